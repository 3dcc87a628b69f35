// kld: a kernel module loaded or unloaded now, and optionally at every boot (rc.conf kld_list,
// or /boot/loader.conf NAME_load for modules that must be there before devices attach, such
// as vmm for pptdevs). kldload fails when repeated (docs/freebsd/kld.md, docs/freebsd/idempotency.md), so observe first.
import { z } from 'zod';
import { sh } from '../src/command/command.js';
import { kldBootFact, kldStatusFact, osreldateFact, type KldBootConfig, type KldStatus } from '../src/facts/kld-status.js';
import { defineModule, type Step } from '../src/module-api/module.js';

const name = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a module name such as vmm or nmdm').describe('Kernel module name (vmm, nmdm, if_bridge…).');

/**
 * The written parameters. `load` and `boot` are those of the `kld` module of
 * dlundgren/ansible-freebsd-modules (library/kld), which roles such as trombik.freebsd_kld ship;
 * Ansible itself has no kld module. They map onto state and boot_loader (README, "Modules").
 */
const written = z
  .strictObject({
    name,
    state: z.enum(['loaded', 'unloaded']).optional().describe('Whether the module is in the running kernel (default loaded).'),
    persistent: z
      .boolean()
      .optional()
      .describe('true: listed in rc.conf kld_list (loaded by rc at boot); false: removed from it; unset: left alone.'),
    boot_loader: z
      .boolean()
      .optional()
      .describe('true: NAME_load="YES" in /boot/loader.conf (loaded by the loader, before devices attach: vmm needs this for pptdevs); false: removed; unset: left alone.'),
    load: z.boolean().optional().describe("dlundgren's kld: true is state loaded, false unloaded."),
    boot: z
      .boolean()
      .optional()
      .describe("dlundgren's kld: NAME_load in /boot/loader.conf, as boot_loader. When load or boot is given it defaults to true, as in that module."),
  })
  .superRefine((p, context) => {
    if (p.load !== undefined && p.state !== undefined && p.load !== (p.state === 'loaded')) {
      context.addIssue({ code: 'custom', message: `load: ${p.load} contradicts state: ${p.state}; give one of them` });
    }
    if (p.boot !== undefined && p.boot_loader !== undefined && p.boot !== p.boot_loader) {
      context.addIssue({ code: 'custom', message: `boot: ${p.boot} contradicts boot_loader: ${p.boot_loader}; give one of them` });
    }
  });

/** The module's own form: dlundgren's load/boot become state/boot_loader (boot defaulting to true when that form is used). */
export function resolveKld(p: z.output<typeof written>) {
  const dlundgren = p.load !== undefined || p.boot !== undefined;
  const state: 'loaded' | 'unloaded' = p.state ?? (p.load === false ? 'unloaded' : 'loaded');
  const bootLoader = p.boot_loader ?? p.boot ?? (dlundgren ? true : undefined);
  return { name: p.name, state, persistent: p.persistent, boot_loader: bootLoader };
}

const params = written.transform(resolveKld);

type Params = z.output<typeof params>;

interface KldFacts {
  readonly status: KldStatus;
  readonly boot: KldBootConfig;
}

/**
 * The tap and tun drivers became one module in FreeBSD 13.0: sys/net/if_tuntap.c builds
 * if_tuntap.ko (declaring the modules if_tuntap, if_tun and if_tap) and if_tap.ko/if_tun.ko are
 * gone (docs/freebsd/kld.md). vm-bhyve switches at __FreeBSD_version 1300029; so does kld.
 */
export const TUNTAP_SINCE = 1300029;
const TUNTAP_NAMES: ReadonlySet<string> = new Set(['if_tap', 'if_tun']);

/** The module a name means on a kernel of `osreldate`: if_tap and if_tun are if_tuntap from 13.0 on. */
export function moduleFor(name: string, osreldate: number | undefined): string {
  return TUNTAP_NAMES.has(name) && osreldate !== undefined && osreldate >= TUNTAP_SINCE ? 'if_tuntap' : name;
}

/** Facts of `name` and, for tap/tun, of if_tuntap and the kernel's version too. */
function factsOf(name: string) {
  const own = [kldStatusFact(name), kldBootFact(name)] as const;
  return TUNTAP_NAMES.has(name) ? [...own, osreldateFact, kldStatusFact('if_tuntap'), kldBootFact('if_tuntap')] : own;
}

/**
 * The steps for a tap/tun name on a 13+ kernel: kld_list's old word goes (its .ko no longer
 * exists, and if_tuntap takes its place), then if_tuntap is planned as asked.
 */
export function planRenamed(p: Params, old: KldFacts, renamed: KldFacts): Step[] {
  const steps: Step[] = [];
  let kldList = renamed.boot.kldList;
  if (p.persistent !== undefined && old.boot.kldList.includes(p.name)) {
    const after = kldList.filter((word) => word !== p.name);
    steps.push({
      kind: 'change',
      summary: `remove ${p.name} from kld_list: FreeBSD 13+ provides it as if_tuntap`,
      actions: [{ kind: 'run', command: sh`sysrc kld_list-=${p.name}` }],
      diff: { header: '/etc/rc.conf kld_list', before: `kld_list="${kldList.join(' ')}"\n`, after: `kld_list="${after.join(' ')}"\n` },
    });
    kldList = after;
  }
  steps.push(...planKld({ ...p, boot_loader: undefined, name: 'if_tuntap' }, { status: renamed.status, boot: { ...renamed.boot, kldList } }));
  return steps;
}

/** The steps that bring the module's state and boot configuration to what params ask. */
export function planKld(p: Params, facts: KldFacts): Step[] {
  const steps: Step[] = [];
  const loaded = facts.status !== 'absent';
  if (p.state === 'loaded') {
    steps.push(
      loaded
        ? { kind: 'noop', reason: `${p.name} is loaded${facts.status === 'module' ? '' : ' (as a file)'}` }
        : {
            kind: 'change',
            summary: `load ${p.name}`,
            actions: [{ kind: 'run', command: sh`kldload ${p.name}` }],
            diff: { header: `kldstat -m ${p.name}`, before: 'not loaded\n', after: 'loaded\n' },
          },
    );
  } else {
    steps.push(
      loaded
        ? {
            kind: 'change',
            summary: `unload ${p.name}`,
            actions: [{ kind: 'run', command: sh`kldunload ${p.name}` }],
            diff: { header: `kldstat -m ${p.name}`, before: 'loaded\n', after: 'not loaded\n' },
          }
        : { kind: 'noop', reason: `${p.name} is not loaded` },
    );
  }

  if (p.persistent !== undefined) {
    const listed = facts.boot.kldList.includes(p.name);
    const listText = (words: readonly string[]) => `kld_list="${words.join(' ')}"\n`;
    if (p.persistent && !listed) {
      const after = [...facts.boot.kldList, p.name];
      steps.push({
        kind: 'change',
        summary: `add ${p.name} to kld_list`,
        actions: [{ kind: 'run', command: sh`sysrc kld_list+=${p.name}` }],
        diff: { header: '/etc/rc.conf kld_list', before: listText(facts.boot.kldList), after: listText(after) },
      });
    } else if (!p.persistent && listed) {
      const after = facts.boot.kldList.filter((word) => word !== p.name);
      steps.push({
        kind: 'change',
        summary: `remove ${p.name} from kld_list`,
        actions: [{ kind: 'run', command: sh`sysrc kld_list-=${p.name}` }],
        diff: { header: '/etc/rc.conf kld_list', before: listText(facts.boot.kldList), after: listText(after) },
      });
    } else {
      steps.push({ kind: 'noop', reason: `kld_list ${listed ? 'has' : 'lacks'} ${p.name}` });
    }
  }

  if (p.boot_loader !== undefined) {
    const key = `${p.name}_load`;
    const on = facts.boot.loaderLoad !== undefined && /^yes$/i.test(facts.boot.loaderLoad);
    const line = (value: string | undefined) => (value === undefined ? '' : `${key}="${value}"\n`);
    if (p.boot_loader && !on) {
      steps.push({
        kind: 'change',
        summary: `load ${p.name} from the loader at boot`,
        actions: [{ kind: 'run', command: sh`sysrc -f /boot/loader.conf ${`${key}=YES`}` }],
        diff: { header: '/boot/loader.conf', before: line(facts.boot.loaderLoad), after: line('YES') },
      });
    } else if (!p.boot_loader && facts.boot.loaderLoad !== undefined) {
      steps.push({
        kind: 'change',
        summary: `stop loading ${p.name} from the loader`,
        actions: [{ kind: 'run', command: sh`sysrc -f /boot/loader.conf -x ${key}` }],
        diff: { header: '/boot/loader.conf', before: line(facts.boot.loaderLoad), after: '' },
      });
    } else {
      steps.push({ kind: 'noop', reason: `/boot/loader.conf ${on ? 'loads' : 'does not load'} ${p.name}` });
    }
  }
  return steps;
}

export default defineModule({
  name: 'kld',
  summary: 'Load or unload a kernel module, now and at boot (kld_list, loader.conf)',
  description:
    'Observes with `kldstat -q -m NAME` (module name, true also for modules compiled into the kernel) and ' +
    '`kldstat -q -n NAME` (file name) and loads only when absent, since kldload fails when repeated. ' +
    'After loading it checks again, so an EPERM (securelevel > 0, inside a jail) or a module that ' +
    'cannot initialise fails the task with kldload\'s own message. if_tap and if_tun mean if_tuntap on FreeBSD 13+ ' +
    '(uname -K >= 1300029): the task loads and lists if_tuntap, and takes the old name out of kld_list (after an upgrade). ' +
    "Also takes load/boot of the kld module of dlundgren/ansible-freebsd-modules (shipped by roles such as trombik.freebsd_kld; " +
    'Ansible has none): load is state, boot is boot_loader and defaults to true when either is given, as there.',
  params,
  example: `- name: vmm and nmdm are loaded, now and at boot
  kld:
    name: "{{ item }}"
    persistent: true
  loop: [vmm, nmdm]

- name: vmm is loaded by the loader, so pptdevs attach to ppt at boot
  kld:
    name: vmm
    boot_loader: true`,
  needs: (p) => [...factsOf(p.name)],
  async observe(host, p): Promise<KldFacts & { readonly module: string; readonly renamed?: KldFacts }> {
    if (!TUNTAP_NAMES.has(p.name)) {
      const [status, boot] = await host.facts(kldStatusFact(p.name), kldBootFact(p.name));
      return { status, boot, module: p.name };
    }
    const [status, boot, osreldate, tuntapStatus, tuntapBoot] = await host.facts(
      kldStatusFact(p.name),
      kldBootFact(p.name),
      osreldateFact,
      kldStatusFact('if_tuntap'),
      kldBootFact('if_tuntap'),
    );
    const module = moduleFor(p.name, osreldate);
    return module === p.name ? { status, boot, module } : { status, boot, module, renamed: { status: tuntapStatus, boot: tuntapBoot } };
  },
  plan({ params: p, facts }) {
    const steps = facts.renamed === undefined ? planKld(p, facts) : planRenamed(p, facts, facts.renamed);
    // name/load/boot are what dlundgren's kld returns; module is the name the kernel knows it by.
    const values = { module: facts.module, name: p.name, load: p.state === 'loaded', ...(p.boot_loader === undefined ? {} : { boot: p.boot_loader }) };
    return { steps, values };
  },
  verify({ params: p, facts }) {
    const loaded = (facts.renamed ?? facts).status !== 'absent';
    if (p.state === 'loaded' && !loaded) return `${facts.module} is still not loaded after kldload`;
    if (p.state === 'unloaded' && loaded) return `${facts.module} is still loaded after kldunload`;
    return undefined;
  },
});
