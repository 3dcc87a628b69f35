// Every doctor check, in the order their findings are reported: the hardware, the host's kernel
// and boot files, the jails, then what runs inside them.
import type { Check } from '../check.js';
import { bastilleSetupDevfs } from './bastille-setup-devfs.js';
import { bastilleVnetName } from './bastille-vnet-name.js';
import { bhyveModules } from './bhyve-modules.js';
import { cpuVirtualization } from './cpu-virtualization.js';
import { devfsRuleset } from './devfs-ruleset.js';
import { devfsRulesetApplied } from './devfs-ruleset-applied.js';
import { devfsRulesetDepth } from './devfs-ruleset-depth.js';
import { devfsRulesetLoaded } from './devfs-ruleset-loaded.js';
import { guestRestartPending } from './guest-restart-pending.js';
import { iommu } from './iommu.js';
import { jailDhcp } from './jail-dhcp.js';
import { jailNetDrivers } from './jail-net-drivers.js';
import { jailParams } from './jail-params.js';
import { jailSecurelevel } from './jail-securelevel.js';
import { jailUserland } from './jail-userland.js';
import { kernelJailPriv } from './kernel-jail-priv.js';
import { kernelSources } from './kernel-sources.js';
import { pptdevs } from './pptdevs.js';
import { switchInterfaces } from './switch-interfaces.js';
import { vmmBeforeJail } from './vmm-before-jail.js';

export const ALL_CHECKS: readonly Check[] = [
  cpuVirtualization,
  iommu,
  bhyveModules,
  jailNetDrivers,
  vmmBeforeJail,
  devfsRuleset,
  devfsRulesetDepth,
  devfsRulesetLoaded,
  devfsRulesetApplied,
  jailParams,
  jailSecurelevel,
  jailUserland,
  kernelJailPriv,
  kernelSources,
  pptdevs,
  guestRestartPending,
  switchInterfaces,
  jailDhcp,
  bastilleVnetName,
  bastilleSetupDevfs,
];
