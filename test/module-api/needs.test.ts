// The module contract's `needs` (src/module-api/module.ts): per module of the registry, the facts a
// module declares from its params are exactly the facts its `observe` asks for, read through a
// recording HostContext on a host where nothing exists yet. A new module gets a sample here, or
// its own YAML example's params are used.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allModules } from '../../modules/all.js';
import type { Fact } from '../../src/facts/fact.js';
import type { HostContext, ModuleDefinition } from '../../src/module-api/module.js';

/** Params per module: each sample takes a different branch of what the module reads. */
const samples: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  command: [{ cmd: 'true' }, { cmd: 'true', creates: '/tmp/x' }, { cmd: 'true', chdir: '/tmp', creates: 'a', removes: 'b' }],
  shell: [{ cmd: 'true | cat' }, { cmd: 'true', removes: '/tmp/y' }],
  sysrc: [{ name: 'vm_enable', value: 'YES' }, { name: 'kld_list', value: 'vmm', state: 'value_present', path: '/boot/loader.conf' }],
  timezone: [{ name: 'Europe/Berlin' }],
  // Branches their examples do not take.
  openssl_privatekey: [{ path: '/usr/local/etc/ssl/k.key' }, { path: '/usr/local/etc/ssl/k.key', return_content: true, type: 'ECC', curve: 'secp384r1' }],
  openssl_dhparam: [{ path: '/usr/local/etc/ssl/dh.pem' }, { path: '/usr/local/etc/ssl/dh.pem', return_content: true, size: 2048 }],
  openssl_csr: [{ path: '/usr/local/etc/ssl/r.csr', privatekey_path: '/usr/local/etc/ssl/k.key', common_name: 'pkg.example.org' }],
  lineinfile: [{ path: '/etc/rc.conf', line: 'a=1' }],
  blockinfile: [{ path: '/etc/devfs.rules', block: 'x' }],
  copy: [{ dest: '/etc/motd', content: 'hi\n' }, { dest: '/usr/local/etc/', src: '/nonexistent/app.conf' }, { dest: '/usr/local/etc/b.conf', src: '/usr/local/etc/a.conf', remote_src: true, mode: 'preserve' }],
  template: [{ src: '/nonexistent/bench.conf.j2', dest: '/usr/local/etc/' }, { src: '/nonexistent/x.hbs', dest: '/etc/x' }],
  file: [{ path: '/usr/local/vms', state: 'directory' }, { path: '/srv/www', state: 'directory', recurse: true, owner: 'www', mode: 'u=rwX,g=rX,o=' }, { path: '/etc/b', state: 'hard', src: '/etc/a' }, { path: '/etc/t', state: 'touch', modification_time: '202601020304.05', access_time: 'now' }, { path: '/etc/p', access_time: 'preserve' }],
  service: [{ name: 'sshd', state: 'started' }, { name: 'vm', enabled: true }],
  vbotka_service: [{ script: 'sshd', command: 'rcvar' }, { script: 'ntpd', command: 'onestart' }, { script: 'ntpd', command: 'restart' }, { script: 'ntpd', command: 'enable' }, { list_enabled: true }],
  cronvar: [{ name: 'MAILTO', value: 'root' }, { name: 'PATH', value: '/bin', cron_file: 'vars' }],
  pkg: [{ name: ['vm-bhyve'] }, { name: ['vm-bhyve'], state: 'latest' }],
  fetch: [{ src: '/etc/rc.conf', dest: '/nonexistent-fetch/' }],
  reboot: [{}],
  devfs_rule: [{ name: 'bhyve', number: 25, rules: ['add path vmm unhide'] }],
  kld: [{ name: 'vmm' }, { name: 'wsp', load: false, boot: true }],
  shutdown: [{}, { delay: 5, search_paths: '/usr/local/sbin' }],
  portinstall: [{ name: 'sysutils/tmux' }, { name: 'mysql80-client,nano', state: 'absent' }],
  bastille_jail: [{ name: 'bhyve', release: '14.1-RELEASE' }, { name: 'gone', state: 'absent' }],
  vm_switch: [{ name: 'public', interfaces: ['igb0'] }],
  vm_guest: [{ name: 'test' }, { name: 'inst', iso: 'https://example.org/FreeBSD-14.1-RELEASE-amd64-disc1.iso', install: true }],
  pptdev: [{ devices: ['igb0'] }],
  kernel_patch: [{ patch: '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n' }],
  patch: [{ src: '/tmp/x.patch', remote_src: true, dest: '/etc/x' }, { src: '/tmp/y.patch', remote_src: true, basedir: '/usr/local/www', strip: 1, state: 'absent' }],
  assert: [{ that: ['true'] }],
  fail: [{ msg: 'no' }],
  debug: [{ msg: 'hi' }],
  set_fact: [{ a: 1 }],
  include_vars: [{ file: 'vars/main.yml' }],
  raw: [{ cmd: 'uname -a' }],
  unarchive: [{ src: '/nonexistent/site.tar.gz', dest: '/usr/local/www' }, { src: '/var/db/site.tgz', dest: '/usr/local/www', remote_src: true, creates: '/usr/local/www/index.html', exclude: ['*.bak'] }],
  authorized_key: [{ user: 'deploy', key: 'ssh-ed25519 AAAA x' }, { user: 'deploy', key: 'ssh-ed25519 AAAA x', path: '/etc/ssh/keys/deploy', manage_dir: false }],
  pause: [{ prompt: 'Continue?' }],
  setup: [{}, { gather_subset: ['!all'], filter: 'ansible_d*' }],
  script: [{ cmd: 'files/prepare.sh --fast' }, { cmd: 'prepare.sh', chdir: '/tmp', creates: 'done', removes: '/var/db/x' }],
  service_facts: [{}],
  get_url: [{ url: 'https://download.freebsd.org/x/FreeBSD-14.1-RELEASE-amd64-bootonly.iso', dest: '/vms/.iso/' }],
  uri: [{ url: 'http://192.0.2.1/health' }, { url: 'http://192.0.2.1/x.json', dest: '/var/db/x.json', creates: '/var/db/done', removes: '/var/db/todo' }],
  package_facts: [{}],
};

/** Modules whose facts cannot be known before observe runs, and why. */
const readWhenRun: Readonly<Record<string, string>> = {
  ping: 'a fresh nonce per call: it must reach the host itself',
  wait_for_connection: 'it polls the host until it answers',
};

/** The params of the module's own YAML example, for a module without a sample above. */
function exampleParams(module: ModuleDefinition): Record<string, unknown>[] {
  const tasks: unknown = parse(module.example);
  const task: unknown = Array.isArray(tasks) ? tasks[0] : tasks;
  // The module's key, short or as an FQCN (community.crypto.openssl_csr).
  const key = typeof task === 'object' && task !== null ? Object.keys(task).find((k) => k === module.name || k.endsWith(`.${module.name}`)) : undefined;
  const value = key === undefined ? undefined : (task as Record<string, unknown>)[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? [value as Record<string, unknown>] : [];
}

/** A HostContext that records every fact asked for and answers as a host where nothing exists. */
function recordingHost(): { host: HostContext; read: string[] } {
  const read: string[] = [];
  const absent = (fact: Fact<unknown>) => {
    try {
      return fact.parse({ stdout: 'absent\n', stderr: '', exitCode: 1 });
    } catch {
      return undefined;
    }
  };
  const host: HostContext = {
    host: 'h1',
    vars: { inventory_hostname: 'h1', playbook_dir: '/nonexistent-playbook' },
    facts: async (...facts) => {
      read.push(...facts.map((fact) => fact.key));
      return facts.map(absent) as never;
    },
  };
  return { host, read };
}

describe('needs: the facts a module declares are the facts observe reads', () => {
  for (const module of allModules) {
    it(module.name, async () => {
      if (module.name in readWhenRun) {
        expect(module.needs?.(module.params.parse({}), { host: 'h1', vars: {} })).toBeUndefined();
        return;
      }
      // Declaring is optional (a module without `needs` reads when it runs): what is declared is checked.
      if (module.needs === undefined) return;
      const given = samples[module.name] ?? exampleParams(module);
      expect(given.length, `add params for ${module.name} to the samples of test/module-api/needs.test.ts`).toBeGreaterThan(0);
      for (const raw of given) {
        const params: unknown = module.params.parse(raw);
        const { host, read } = recordingHost();
        const declared = module.needs?.(params, host);
        expect(declared, `${module.name} declares no facts for ${JSON.stringify(raw)}`).toBeDefined();
        try {
          await module.observe(host, params);
        } catch {
          // A module may refuse what it read (a missing controller file): what it asked for counts.
        }
        expect([...new Set(read)].sort(), JSON.stringify(raw)).toEqual([...new Set((declared ?? []).map((fact) => fact.key))].sort());
      }
    });
  }

  it('every module of the first two issues declares (a new module should too: ModuleDefinition.needs in src/module-api/module.ts)', () => {
    const undeclared = allModules.filter((module) => module.needs === undefined && !(module.name in readWhenRun)).map((module) => module.name);
    expect(undeclared.filter((name) => name in samples)).toEqual([]);
  });

  it('kernel_patch with the patch in a controller file cannot declare: the text is part of the fact', () => {
    const kernelPatch = allModules.find((module) => module.name === 'kernel_patch');
    expect(kernelPatch?.needs?.(kernelPatch.params.parse({ src: 'jail-vmm.patch' }), { host: 'h1', vars: {} })).toBeUndefined();
  });
});
