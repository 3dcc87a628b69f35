// Reads typed keyword values from YAML nodes, recording a located error for each wrong one and
// returning undefined, so the loader carries on and reports every problem in one pass.
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { checkExpression } from '../expression/check.js';
import { describeValue } from '../expression/values.js';
import type { Problems } from '../yaml/problems.js';
import { checkTemplates } from '../yaml/template-check.js';
import { identifierPattern } from '../yaml/vars-file.js';
import type { Entry, YamlSource } from '../yaml/yaml-source.js';
import { didYouMean } from '../text/did-you-mean.js';
import { ansibleBoolean } from '../text/ansible-boolean.js';
import { renderString } from '../template/render.js';
import { hasTemplate } from '../template/segments.js';

/** The key under which a mapping keyword written as one template (`environment: "{{ env }}"`) is kept until run time. */
export const templatedMappingKey = '{{template}}';

/** Typed reads of one file's keyword values. */
export class Fields {
  constructor(
    readonly src: YamlSource,
    readonly problems: Problems,
  ) {}

  private fail(entry: Entry, message: string, fix?: string): undefined {
    this.problems.add(this.src.ref(entry.value ?? entry.keyNode), message, fix);
    return undefined;
  }

  private scalar(entry: Entry): unknown {
    return isScalar(entry.value) ? entry.value.value : this.src.value(entry.value);
  }

  /**
   * A boolean keyword. Besides true/false, Ansible's spellings (yes/no/on/off/y/n/1/0, any case)
   * are accepted (YAML 1.2 reads them as strings; Ansible's keyword parser takes them as booleans).
   */
  bool(entry: Entry): boolean | undefined {
    const value = this.scalar(entry);
    if (typeof value === 'boolean') return value;
    if (value === 0 || value === 1) return value === 1;
    const word = typeof value === 'string' ? ansibleBoolean(value) : undefined;
    if (word !== undefined) return word;
    return this.fail(entry, `'${entry.key}' must be true or false (got ${describeValue(value)})`, `write ${entry.key}: true or ${entry.key}: false`);
  }

  /** A boolean keyword Ansible templates when the task runs (run_once): a template is kept as written, checked now. */
  templatedBool(entry: Entry): boolean | string | undefined {
    const value = this.scalar(entry);
    if (typeof value === 'string' && hasTemplate(value)) {
      this.templates(entry.value);
      return value;
    }
    return this.bool(entry);
  }

  /** A string keyword (numbers are taken as their text). */
  string(entry: Entry): string | undefined {
    const value = this.scalar(entry);
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    return this.fail(entry, `'${entry.key}' must be a string (got ${describeValue(value)})`);
  }

  /** A string keyword that may hold a template (checked now, rendered per host at run time). */
  templatedString(entry: Entry): string | undefined {
    this.templates(entry.value);
    return this.string(entry);
  }

  /** One of a closed set of words, with "did you mean". */
  oneOf<const T extends string>(entry: Entry, choices: readonly T[]): T | undefined {
    const value = this.string(entry);
    if (value === undefined) return undefined;
    if ((choices as readonly string[]).includes(value)) return value as T;
    const near = didYouMean(value, choices);
    return this.fail(entry, `'${entry.key}' must be one of ${choices.join(', ')} (got '${value}')`, near ? `did you mean '${near}'?` : undefined);
  }

  /** A variable name (register, loop_var). */
  identifier(entry: Entry): string | undefined {
    const value = this.string(entry);
    if (value === undefined) return undefined;
    if (identifierPattern.test(value)) return value;
    return this.fail(entry, `'${entry.key}' must be a variable name (got '${value}')`, 'use letters, digits and _, not starting with a digit');
  }

  /** A string or a list of strings; `commas` also splits `tags: a,b` as Ansible does. */
  stringList(entry: Entry, commas = false): string[] | undefined {
    const value = this.src.value(entry.value);
    const split = (s: string) => (commas ? s.split(',').map((part) => part.trim()).filter((part) => part !== '') : [s]);
    if (typeof value === 'string') return split(value);
    if (typeof value === 'number') return [String(value)];
    if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) return value.flatMap((item) => split(String(item)));
    return this.fail(entry, `'${entry.key}' must be a string or a list of strings (got ${describeValue(value)})`);
  }

  /** A string or list of strings that may hold templates (notify). */
  templatedList(entry: Entry): string[] | undefined {
    this.templates(entry.value);
    return this.stringList(entry);
  }

  /**
   * A mapping, or a list of mappings merged in order (environment, module_defaults), or a template
   * rendering one; templates inside are checked now and rendered at run time.
   */
  mappings(entry: Entry): Record<string, unknown> | undefined {
    this.templates(entry.value);
    const value = this.src.value(entry.value);
    if (value === null) return {};
    const items = Array.isArray(value) ? value : [value];
    const merged: Record<string, unknown> = {};
    for (const item of items) {
      if (typeof item === 'string' && item.includes('{{')) {
        merged[templatedMappingKey] = item;
        continue;
      }
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        return this.fail(entry, `'${entry.key}' must be a mapping or a list of mappings (got ${describeValue(value)})`, `write ${entry.key}: {NAME: value}`);
      }
      Object.assign(merged, item);
    }
    return merged;
  }

  /** A whole number of at least `min` (numeric strings accepted). */
  int(entry: Entry, min: number): number | undefined {
    const value = this.scalar(entry);
    const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof number === 'number' && Number.isInteger(number) && number >= min) return number;
    return this.fail(entry, `'${entry.key}' must be a whole number${min > 0 ? ` of at least ${min}` : ' (0 or more)'} (got ${describeValue(value)})`);
  }

  /**
   * A whole number of at least `min`, or a template (`retries: "{{ n }}"`) kept as written to be
   * rendered per host at run time, as Ansible templates its number keywords.
   */
  templatedInt(entry: Entry, min: number): number | string | undefined {
    const value = this.scalar(entry);
    if (typeof value === 'string' && hasTemplate(value)) {
      this.templates(entry.value);
      return value;
    }
    return this.int(entry, min);
  }

  /** A string that may be a template, rendered now against variables known when the playbook loads (play-level keywords). */
  loadTimeString(entry: Entry, vars: Readonly<Record<string, unknown>>, what: string): string | undefined {
    const value = this.string(entry);
    if (value === undefined || !hasTemplate(value)) return value;
    try {
      return String(renderString(value, vars, { source: this.src.ref(entry.value ?? entry.keyNode) }));
    } catch (error) {
      return this.fail(entry, `'${entry.key}' is ${what}, so its template can only use extra vars and play vars: ${(error as Error).message}`, 'pass the variable with -e NAME=VALUE');
    }
  }

  /** A number of seconds, 0 or more, fractions allowed (loop_control pause). */
  seconds(entry: Entry): number | undefined {
    const value = this.scalar(entry);
    const number = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
    if (typeof number === 'number' && Number.isFinite(number) && number >= 0) return number;
    return this.fail(entry, `'${entry.key}' must be a number of seconds, 0 or more (got ${describeValue(value)})`);
  }

  /** A mapping node. */
  mapping(entry: Entry): YAMLMap | undefined {
    if (isMap(entry.value)) return entry.value;
    return this.fail(entry, `'${entry.key}' must be a mapping (key: value) (got ${describeValue(this.src.value(entry.value))})`);
  }

  /** A list node's items (an empty value is an empty list). */
  list(entry: Entry): Node[] | undefined {
    if (entry.value === null || (isScalar(entry.value) && entry.value.value === null)) return [];
    if (isSeq(entry.value)) return entry.value.items.map((item) => this.src.resolve(item as Node)).filter((item): item is Node => item !== null);
    return this.fail(entry, `'${entry.key}' must be a list (got ${describeValue(this.src.value(entry.value))})`, 'start each item with "- "');
  }

  /** `vars:`: a mapping of variable names, each value's templates checked. */
  vars(entry: Entry): Record<string, unknown> | undefined {
    const map = this.mapping(entry);
    if (map === undefined) return undefined;
    const vars: Record<string, unknown> = {};
    for (const item of this.src.entries(map, this.problems)) {
      if (!identifierPattern.test(item.key)) {
        this.problems.add(this.src.ref(item.keyNode), `invalid variable name '${item.key}'`, 'use letters, digits and _, not starting with a digit');
        continue;
      }
      this.templates(item.value);
      vars[item.key] = this.src.value(item.value);
    }
    return vars;
  }

  /** Expressions (when, changed_when, failed_when): a string, a boolean, or a list of them, each parsed. */
  conditions(entry: Entry): string[] | undefined {
    const nodes = isSeq(entry.value) ? entry.value.items.map((item) => this.src.resolve(item as Node)) : [entry.value];
    const texts: string[] = [];
    for (const node of nodes) {
      const value = isScalar(node) ? node.value : this.src.value(node);
      if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') {
        this.problems.add(this.src.ref(node ?? entry.keyNode), `'${entry.key}' must be an expression or a list of them (got ${describeValue(value)})`, "write e.g. `when: result.rc == 0`");
        continue;
      }
      const text = String(value);
      const at = this.src.charAt(node);
      const error = checkExpression(text, { source: this.src.ref(node ?? entry.keyNode), keyword: entry.key, ...(at === undefined ? {} : { at }) });
      if (error) this.problems.addError(error, this.src.ref(node));
      texts.push(text);
    }
    return texts;
  }

  /** One expression (until). */
  condition(entry: Entry): string | undefined {
    if (isSeq(entry.value)) return this.fail(entry, `'${entry.key}' takes one expression, not a list`, 'join the conditions with and');
    return this.conditions(entry)?.[0];
  }

  /** Check the template syntax of every string under a node. */
  templates(node: Node | null): void {
    checkTemplates(this.src, node, this.problems);
  }
}
