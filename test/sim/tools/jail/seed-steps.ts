// Shell steps shared by the jail-tool tests: the seed walk-through's host preparation
// (../shared/seeds/000_*.txt), written as the article does it.
import { step, type Step } from './box.js';
import { WALKTHROUGH_RULESET_25 } from '../../../fixtures/walkthrough-ruleset.js';

/** A fresh simulated boot: empties /var/sim/run and drops the previous namespace's state. */
export const BOOT = step('boot', '/usr/local/freebsd/libexec/sim-boot');

/** The article's ruleset 25, appended to /etc/devfs.rules and loaded. */
export const RULESET_25 = step(
  'ruleset',
  `grep -q devfs_rules_bhyve_jail /etc/devfs.rules 2>/dev/null || cat >>/etc/devfs.rules <<'X'
${WALKTHROUGH_RULESET_25}X
service devfs restart`,
);

/** The jail.conf edits of the article: ruleset 25, allow.vmm, then securelevel LEVEL. */
export function editJailConf(name: string, level: number): Step {
  const file = `/usr/local/bastille/jails/${name}/jail.conf`;
  return step(
    `edit-${level}`,
    `grep -q 'allow.vmm;' ${file} || sed -i 's/^  securelevel = .*;/&\\n  allow.vmm;/' ${file}
sed -i 's/devfs_ruleset = [0-9]*;/devfs_ruleset = 25;/; s/^  securelevel = .*;/  securelevel = ${level};/' ${file}`,
  );
}

/** Modules the jail needs from the host (bridgestp first: see sim/README.md, known issues). */
export const HOST_MODULES = step('kld', 'kldload vmm nmdm if_tap bridgestp if_bridge');

/** vm-bhyve inside jail NAME, as the article sets it up. */
export function vmSetup(name: string): Step {
  const j = `jexec ${name}`;
  return step(
    'vm-setup',
    `${j} env ASSUME_ALWAYS_YES=yes pkg install vm-bhyve >/dev/null
${j} sysrc vm_enable=YES >/dev/null; ${j} mkdir -p /vms; ${j} sysrc vm_dir=/vms >/dev/null
${j} vm init
${j} sh -c 'cp /usr/local/share/examples/vm-bhyve/* /vms/.templates/'`,
  );
}
