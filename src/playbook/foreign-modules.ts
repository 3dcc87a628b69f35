// Ansible modules for other systems (Linux package managers, init systems, firewalls) that beastie
// knows by name but never runs: FreeBSD hosts have no such tool. Playbooks and shared roles written
// for several systems call them behind `when: ansible_os_family == …`; Ansible loads such a task
// and skips it, so beastie must load it too, and fail only if the task actually runs on a host.
import { z } from 'zod';
import { defineModule, type ModuleDefinition } from '../module-api/module.js';

/** Which system a foreign module serves, and what a FreeBSD host uses instead. */
interface Foreign {
  readonly collection: 'ansible.builtin' | 'ansible.posix' | 'community.general';
  /** What the module manages, as in "NAME manages <what>". */
  readonly what: string;
  /** The FreeBSD module to write instead. */
  readonly instead: string;
}

const linuxPackages = (what: string, collection: Foreign['collection'] = 'community.general'): Foreign => ({ collection, what, instead: 'community.general.pkgng (or ansible.builtin.package)' });
const linuxService = (what: string, collection: Foreign['collection'] = 'community.general'): Foreign => ({ collection, what, instead: 'ansible.builtin.service' });

/** The table: module name (without collection) → what it is. To add one: one line. */
export const foreignModules: Readonly<Record<string, Foreign>> = {
  apt: linuxPackages("Debian's and Ubuntu's packages", 'ansible.builtin'),
  apt_key: linuxPackages("Debian's APT keys", 'ansible.builtin'),
  apt_repository: linuxPackages("Debian's APT sources", 'ansible.builtin'),
  deb822_repository: linuxPackages("Debian's APT sources", 'ansible.builtin'),
  dpkg_selections: linuxPackages("Debian's dpkg selections", 'ansible.builtin'),
  debconf: linuxPackages("Debian's debconf answers", 'ansible.builtin'),
  yum: linuxPackages("Red Hat's packages (yum)", 'ansible.builtin'),
  yum_repository: linuxPackages("Red Hat's yum repositories", 'ansible.builtin'),
  dnf: linuxPackages("Fedora's and Red Hat's packages (dnf)", 'ansible.builtin'),
  dnf5: linuxPackages("Fedora's packages (dnf5)", 'ansible.builtin'),
  rpm_key: linuxPackages("Red Hat's RPM keys", 'ansible.builtin'),
  pacman: linuxPackages("Arch Linux's packages"),
  pacman_key: linuxPackages("Arch Linux's pacman keys"),
  zypper: linuxPackages("SUSE's packages"),
  zypper_repository: linuxPackages("SUSE's zypper repositories"),
  apk: linuxPackages("Alpine Linux's packages"),
  portage: linuxPackages("Gentoo's packages"),
  xbps: linuxPackages("Void Linux's packages"),
  urpmi: linuxPackages("Mageia's packages"),
  apt_rpm: linuxPackages("ALT Linux's packages"),
  opkg: linuxPackages("OpenWrt's packages"),
  slackpkg: linuxPackages("Slackware's packages"),
  swupd: linuxPackages("Clear Linux's bundles"),
  snap: linuxPackages("Ubuntu's snaps"),
  flatpak: linuxPackages('Flatpak applications'),
  homebrew: linuxPackages("macOS's Homebrew packages"),
  homebrew_cask: linuxPackages("macOS's Homebrew casks"),
  homebrew_tap: linuxPackages("macOS's Homebrew taps"),
  macports: linuxPackages("macOS's MacPorts packages"),
  openbsd_pkg: linuxPackages("OpenBSD's packages"),
  pkgin: linuxPackages("NetBSD's and SmartOS's pkgsrc packages"),
  pkg5: linuxPackages("Solaris's IPS packages"),
  systemd: linuxService("Linux's systemd units", 'ansible.builtin'),
  systemd_service: linuxService("Linux's systemd units", 'ansible.builtin'),
  sysvinit: linuxService("Linux's SysV init scripts", 'ansible.builtin'),
  openrc: linuxService("Gentoo's and Alpine's OpenRC services"),
  runit: linuxService('runit services'),
  launchd: linuxService("macOS's launchd services"),
  alternatives: { collection: 'community.general', what: "Debian's and Red Hat's update-alternatives links", instead: 'ansible.builtin.file (state: link)' },
  modprobe: { collection: 'community.general', what: "Linux's kernel modules", instead: 'kld' },
  ufw: { collection: 'community.general', what: "Ubuntu's firewall", instead: "pf's rules in a template and ansible.builtin.service (pf)" },
  iptables: { collection: 'ansible.builtin', what: "Linux's packet filter", instead: "pf's rules in a template and ansible.builtin.service (pf)" },
  firewalld: { collection: 'ansible.posix', what: "Red Hat's firewalld", instead: "pf's rules in a template and ansible.builtin.service (pf)" },
  selinux: { collection: 'ansible.posix', what: "Linux's SELinux mode", instead: 'nothing: FreeBSD has no SELinux' },
  seboolean: { collection: 'ansible.posix', what: "Linux's SELinux booleans", instead: 'nothing: FreeBSD has no SELinux' },
  sefcontext: { collection: 'community.general', what: "Linux's SELinux file contexts", instead: 'nothing: FreeBSD has no SELinux' },
};

/** The Ansible name of a foreign module: `community.general.pacman`. */
function fqcn(name: string, foreign: Foreign): string {
  return `${foreign.collection}.${name}`;
}

/** The failure of a foreign module's task that ran (nothing skipped it). */
export function foreignModuleFailure(name: string): string | undefined {
  const foreign = foreignModules[name];
  if (foreign === undefined) return undefined;
  return (
    `${fqcn(name, foreign)} manages ${foreign.what}: beastie runs FreeBSD hosts and only loads this module, so that playbooks written for several ` +
    `systems load; it cannot run. Skip the task on FreeBSD (when: ansible_os_family != 'FreeBSD', as such playbooks guard it), or use ${foreign.instead}`
  );
}

// Ansible checks a module's parameters only when it runs; so does a foreign module (it never runs).
const anyParams = z.record(z.string(), z.unknown());

const definitions = new Map<string, ModuleDefinition>();

/** The module definition that loads a foreign module's task and fails it if it runs; undefined for other names. */
export function foreignModule(name: string): ModuleDefinition | undefined {
  const foreign = foreignModules[name];
  if (foreign === undefined) return undefined;
  let definition = definitions.get(name);
  if (definition === undefined) {
    const msg = foreignModuleFailure(name) ?? '';
    definition = defineModule({
      name,
      summary: `${fqcn(name, foreign)} (not for FreeBSD: loads, fails if it runs)`,
      params: anyParams,
      example: `- ${fqcn(name, foreign)}: {}\n  when: ansible_os_family != 'FreeBSD'`,
      // Nothing reaches the host: the task fails on the controller.
      controllerOnly: true,
      supportsCheckMode: true,
      needs: () => [],
      async observe() {
        return undefined;
      },
      plan() {
        return { steps: [], failure: msg, values: { msg } };
      },
    });
    definitions.set(name, definition);
  }
  return definition;
}
