import { describe, expect, it } from 'vitest';
import { parseServiceRcvar, serviceRcvarFact } from '../../src/facts/service-rcvar.js';

const out = (stdout: string, exitCode = 0, stderr = '') => ({ stdout, stderr, exitCode });

describe('service NAME rcvar', () => {
  it("reads rc.subr's listing: the first assignment outside a comment, quotes removed", () => {
    expect(parseServiceRcvar(out('# php_fpm\n#\nphp_fpm_enable="NO"\n#   (default: "")\n\n'))).toEqual({ kind: 'found', variable: 'php_fpm_enable', value: 'NO' });
    expect(parseServiceRcvar(out('# sendmail\n#\nsendmail_enable="NO"\nsendmail_submit_enable="YES"\n'))).toEqual({ kind: 'found', variable: 'sendmail_enable', value: 'NO' });
    expect(parseServiceRcvar(out('# x\n# y_enable="YES"\ny_enable=\n'))).toEqual({ kind: 'found', variable: 'y_enable', value: '' });
  });

  it('says what service printed when there is no rcvar (a missing script, a script without one)', () => {
    expect(parseServiceRcvar(out('# devfs\n#\n\n'))).toEqual({ kind: 'none', output: '# devfs\n#' });
    expect(parseServiceRcvar(out('nope does not exist in /etc/rc.d or the local startup\n', 1))).toEqual({ kind: 'none', output: 'nope does not exist in /etc/rc.d or the local startup' });
  });

  it("asks service(8) with the module's options before the name", () => {
    expect(serviceRcvarFact('php-fpm').command.text).toBe('service php-fpm rcvar');
    expect(serviceRcvarFact('php-fpm', ['-j', 'web']).command.text).toBe('service -j web php-fpm rcvar');
  });
});
