#!/usr/bin/python3
# Renders a batch of templates with Ansible's own Templar in one process, for the differential
# tests: reads {"cases": [{"template": str, "vars": {...}, "mode": "value"|"file"}]} as JSON on
# stdin ("environment": the template action's Jinja2 arguments, for "file" mode) and prints one JSON result per case: {"ok": true, "value": ..., "type": ...} or
# {"ok": false, "error": "..."} (with "warnings" when the case asks for them). "value" mode is a playbook value (a whole template keeps its
# type); "file" mode is the template module (do_template: text, trailing newline kept).
import json
import sys
import warnings

warnings.filterwarnings("ignore")

from jinja2.exceptions import TemplateSyntaxError

from ansible.parsing.dataloader import DataLoader
from ansible.template import AnsibleEnvironment, Templar
from ansible.utils.display import Display

Display().verbosity = 0

# A case with "warnings": true also reports the warnings its render printed (a plugin's
# display.warning(msg), before Display's wrapping and its once-per-process filter), as "warnings".
_warned = []
Display.warning = lambda self, msg, formatted=False: _warned.append(msg)

# ansible-core 2.17's fix for its issue 82606 (ansible/ansible commit 6d34eb8, "Do not ignore
# SyntaxError from jinja2.Environment.from_string"), backported: Jinja2 can compile a template into
# Python that Python refuses (`lookup('vars', 'v1', default='', default='')`: SyntaxError: keyword
# argument repeated: default); 2.14's do_template catches only TemplateSyntaxError there and
# returns such a template unrendered, 2.17 and later fail with "template error while templating
# string: <the SyntaxError>. String: <the template>". The SyntaxError is handed to 2.14's own
# TemplateSyntaxError branch, which words the failure exactly as 2.17 does.
_from_string = AnsibleEnvironment.from_string


def _from_string_failing_on_python_syntax(self, source, *args, **kwargs):
    try:
        return _from_string(self, source, *args, **kwargs)
    except SyntaxError as error:
        failure = TemplateSyntaxError(str(error), error.lineno or 1)
        failure.translated = True  # its text is the SyntaxError's alone, as to_native(e) is in 2.17
        raise failure from error


AnsibleEnvironment.from_string = _from_string_failing_on_python_syntax


def plain(value):
    """JSON-able copy of a rendered value, with Python type names for the comparison."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        # A set's order is CPython's hash order, which for text changes from one process to the
        # next (PYTHONHASHSEED): its items, in no defined order; agrees() compares them as a set.
        return [plain(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def main():
    request = json.load(sys.stdin)
    loader = DataLoader()
    out = []
    for case in request["cases"]:
        templar = Templar(loader=loader, variables=case.get("vars", {}))
        _warned.clear()
        try:
            if case.get("mode") == "file":
                # As the template action plugin renders a file, in the environment its task
                # arguments make (trim_blocks, newline_sequence, the delimiter strings, ...).
                if case.get("environment"):
                    templar = templar.copy_with_new_env(environment_class=AnsibleEnvironment, **case["environment"])
                value = templar.do_template(case["template"], preserve_trailing_newlines=True,
                                            escape_backslashes=False)
            else:
                value = templar.template(case["template"])
            # Text is "str" whatever its class (a lookup's result is AnsibleUnsafeText).
            out.append({"ok": True, "value": plain(value), "type": "str" if isinstance(value, str) else type(value).__name__})
        except Exception as error:  # every failure is a result to compare, not a crash
            out.append({"ok": False, "error": str(error).split("\n")[0]})
        if case.get("warnings"):
            out[-1]["warnings"] = list(_warned)
    json.dump(out, sys.stdout)


main()
