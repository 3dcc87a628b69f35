// What a change can affect: a fact that names what it reads is forgotten only by a change that
// writes the same subject or one above or below it; a fact or a change that cannot say is always.
import { describe, expect, it } from 'vitest';
import { affectedBy, fileSubject, type Subject } from '../../src/facts/fact.js';
import { fileStatFact } from '../../src/facts/file-stat.js';
import { sysrcValueFact } from '../../src/facts/sysrc-value.js';

describe('affectedBy', () => {
  const cases: [readonly Subject[] | undefined, readonly Subject[] | undefined, boolean][] = [
    [['file:/etc/rc.conf'], ['file:/etc/rc.conf'], true],
    [['file:/etc/rc.conf'], ['file:/etc/rc.conf.local'], false],
    [['file:/usr/local/etc/bench/motd'], ['file:/usr/local/etc/bench'], true],
    [['file:/usr/local/etc/bench'], ['file:/usr/local/etc/bench/motd'], true],
    [['file:/usr/local/etc/bench'], ['file:/usr/local/etc/benchmark'], false],
    [['file:/etc/rc.conf'], ['kld:vmm'], false],
    [['kld:vmm'], ['kld:vmm'], true],
    [undefined, ['file:/etc/rc.conf'], true],
    [['file:/etc/rc.conf'], undefined, true],
  ];
  for (const [reads, writes, affected] of cases) {
    it(`${JSON.stringify(reads)} after writing ${JSON.stringify(writes)}: ${affected}`, () => {
      expect(affectedBy(reads === undefined ? {} : { reads }, writes)).toBe(affected);
    });
  }

  it('names a path without its trailing slashes', () => {
    expect(fileSubject('/usr/local/etc/')).toBe('file:/usr/local/etc');
    expect(fileSubject('/')).toBe('file:/');
  });

  it('file facts read their path; sysrc without a path reads every rc_conf_files file, so it names none', () => {
    expect(fileStatFact('/etc/motd').reads).toEqual(['file:/etc/motd']);
    expect(sysrcValueFact('vm_enable', '/etc/rc.conf').reads).toEqual(['file:/etc/rc.conf']);
    expect(sysrcValueFact('vm_enable').reads).toBeUndefined();
  });
});
