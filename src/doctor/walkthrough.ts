// The seed walk-through's steps (Carlos Neira, "Run Bhyve in a FreeBSD Jail"; docs/freebsd/README.md),
// named once so every finding cites the step its fix comes from in the same words.
export const STEP = {
  devfsRules: 'walk-through "Create a set of rules to allow to run bhyve inside a jail": ruleset 25 in /etc/devfs.rules',
  jailConf: 'walk-through "Modify test-bhyve jail.conf": allow.vmm; devfs_ruleset = 25; vnet',
  createJail: 'walk-through "Create a new jail": bastille create --vnet NAME RELEASE IP IFACE',
  loadModules: 'walk-through "Load the required modules": kldload vmm; kldload nmdm (before the jail starts)',
  vmInit: 'walk-through "install vm-bhyve inside the jail": vm init (its if_bridge and tap drivers must be loaded by the host)',
  vmSwitch: 'walk-through "vm switch add public vtnet0" (inside a Bastille VNET jail the NIC is vnet0)',
  vmConfig: 'walk-through "vm config test": a changed configuration applies when the guest starts again',
  syncDhcp: 'walk-through "Issues": configure the interface with SYNCDHCP',
  pptdevs: 'walk-through "PCI passthrough": pptdevs="1/0/0" in /boot/loader.conf, then reboot',
  passthruConf: 'walk-through "PCI passthrough": passthru0 and wired_memory in the guest\'s configuration',
  securelevel: 'walk-through "Errors": securelevel = -1; in the jail\'s jail.conf',
  kernelPatch: 'walk-through "Errors": the kern_jail.c patch (PRIV_IO, PRIV_KMEM_WRITE), kernel rebuilt and booted',
  cpu: 'walk-through prerequisite: a CPU bhyve supports (Intel VT-x with EPT, or AMD-V with RVI)',
  iommu: 'walk-through "PCI passthrough" prerequisite: an IOMMU (Intel VT-d / AMD-Vi) enabled in the firmware',
  bastilleSetup: 'walk-through "Setup bastillebsd" (bastille setup rewrites /etc/devfs.rules)',
} as const;
