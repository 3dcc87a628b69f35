// Every task module beastie ships, in `beastie doc` order. Add a module here to make it usable.
import type { ModuleDefinition } from '../src/module-api/module.js';
import add_host from './add_host.js';
import assemble from './assemble.js';
import assert from './assert.js';
import authorized_key from './authorized_key.js';
import bastille_jail from './bastille_jail.js';
import blockinfile from './blockinfile.js';
import command from './command.js';
import copy from './copy.js';
import cron from './cron.js';
import cronvar from './cronvar.js';
import debug from './debug.js';
import devfs_rule from './devfs_rule.js';
import fail from './fail.js';
import fetch from './fetch.js';
import group from './group.js';
import file from './file.js';
import find from './find.js';
import get_url from './get_url.js';
import git from './git.js';
import getent from './getent.js';
import kernel_patch from './kernel_patch.js';
import hostname from './hostname.js';
import timezone from './timezone.js';
import kld from './kld.js';
import mount from './mount.js';
import openssl_csr from './openssl_csr.js';
import openssl_dhparam from './openssl_dhparam.js';
import openssl_privatekey from './openssl_privatekey.js';
import zfs from './zfs.js';
import zfs_facts from './zfs_facts.js';
import zpool_facts from './zpool_facts.js';
import lineinfile from './lineinfile.js';
import package_ from './package.js';
import package_facts from './package_facts.js';
import patch from './patch.js';
import pause from './pause.js';
import ping from './ping.js';
import pptdev from './pptdev.js';
import raw from './raw.js';
import replace from './replace.js';
import pkg from './pkg.js';
import pkgng from './pkgng.js';
import portinstall from './portinstall.js';
import reboot from './reboot.js';
import service from './service.js';
import service_facts from './service_facts.js';
import setup from './setup.js';
import include_vars from './include_vars.js';
import ini_file from './ini_file.js';
import set_fact from './set_fact.js';
import shell from './shell.js';
import shutdown from './shutdown.js';
import script from './script.js';
import slurp from './slurp.js';
import stat from './stat.js';
import sysctl from './sysctl.js';
import sysrc from './sysrc.js';
import template from './template.js';
import unarchive from './unarchive.js';
import uri from './uri.js';
import user from './user.js';
import tempfile from './tempfile.js';
import vbotka_service from './vbotka_service.js';
import vm_guest from './vm_guest.js';
import vm_switch from './vm_switch.js';
import wait_for from './wait_for.js';
import wait_for_connection from './wait_for_connection.js';

export const allModules: readonly ModuleDefinition[] = [
  // Generic modules (issue 2).
  command,
  shell,
  sysrc,
  lineinfile,
  blockinfile,
  copy,
  template,
  file,
  service,
  pkg,
  pkgng,
  openssl_privatekey,
  openssl_dhparam,
  openssl_csr,
  fetch,
  reboot,
  wait_for_connection,
  ping,
  add_host,
  assemble,
  assert,
  fail,
  debug,
  set_fact,
  include_vars,
  // Ansible's other builtin and posix modules (issue 12).
  stat,
  raw,
  replace,
  slurp,
  tempfile,
  user,
  group,
  wait_for,
  sysctl,
  cron,
  cronvar,
  hostname,
  timezone,
  package_,
  getent,
  service_facts,
  package_facts,
  find,
  get_url,
  git,
  uri,
  mount,
  script,
  unarchive,
  authorized_key,
  setup,
  pause,
  patch,
  shutdown,
  portinstall,
  ini_file,
  // vbotka's FreeBSD collection (issue 12).
  vbotka_service,
  // bhyve in Bastille jails, the seed walk-through (issue 5).
  devfs_rule,
  kld,
  bastille_jail,
  vm_switch,
  vm_guest,
  pptdev,
  kernel_patch,
  // ZFS (issue 15).
  zfs,
  zfs_facts,
  zpool_facts,
];
