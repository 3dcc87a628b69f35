import { afterAll, describe, expect, it } from 'vitest';
import { hostSandbox } from '../host-sandbox.js';

const host = hostSandbox('current');
afterAll(() => host.dispose());

describe('chmod -h (simulated)', () => {
  it("acts on the name itself, never on a link's target; octal and symbolic modes; chmod.c's errors", () => {
    const result = host.run(
      [
        'd=/var/chmod-h; rm -rf $d; mkdir -p $d/dir && cd $d && touch f target && chmod 0644 f target && ln -s target l',
        'chmod -h 0600 f l dir; echo rc=$?; stat -c "%a %n" f target dir',
        'chmod -h u+x,g-r f; stat -c %a f',
        '(cd dir && touch g && chmod -h -w ./g && stat -c %a g)',
        'chmod -h 0600 missing; echo rc=$?',
        'chmod -fh 0600 missing; echo rc=$?',
        'chmod -h nonsense f; echo rc=$?',
        'chmod -R -h 0600 dir; echo rc=$?',
        'chmod -h 0600; echo rc=$?',
        'chmod 0600 l; stat -c %a target',
      ].join('\n'),
    );
    expect(result.stdout).toBe('rc=0\n600 f\n644 target\n600 dir\n700\n444\nrc=1\nrc=1\nrc=1\nrc=1\nrc=1\n600\n');
    expect(result.stderr).toBe(
      'chmod: missing: No such file or directory\n' +
        'chmod: invalid file mode: nonsense\n' +
        'chmod: the -R and -h options may not be specified together.\n' +
        'usage: chmod [-fhv] [-R [-H | -L | -P]] mode file ...\n',
    );
  });
});
