#!/bin/sh
# Installs what the tests need on a fresh Debian machine (run as root): OpenSSH's server for the
# simulated fleet and the SSH transport tests, sudo and doas for become tests, patch for the
# simulated kernel source tree, tcsh for the csh-login-shell transport tests, ansible-core for the
# Ansible Vault compatibility tests. Idempotent: installs only what is missing.
set -e
missing=""
command -v /usr/sbin/sshd >/dev/null 2>&1 || missing="$missing openssh-server"
command -v sudo >/dev/null 2>&1 || missing="$missing sudo"
command -v doas >/dev/null 2>&1 || missing="$missing opendoas"
command -v patch >/dev/null 2>&1 || missing="$missing patch"
command -v tcsh >/dev/null 2>&1 || missing="$missing tcsh"
command -v unshare >/dev/null 2>&1 || missing="$missing util-linux"
command -v /usr/bin/chromium >/dev/null 2>&1 || missing="$missing chromium"
# ansible-vault: the vault tests check beastie against files Debian's ansible-core writes and reads.
# The Jinja differential tests (test/template/differential.test.ts) render with its Templar too.
command -v /usr/bin/ansible-vault >/dev/null 2>&1 || missing="$missing ansible-core"
# The ipaddr differential tests (test/template/differential-ipaddr.test.ts) need ansible.utils
# (Debian's ansible collections) and the netaddr it runs on.
[ -d /usr/lib/python3/dist-packages/ansible_collections/ansible/utils ] || missing="$missing ansible"
/usr/bin/python3 -c 'import netaddr' >/dev/null 2>&1 || missing="$missing python3-netaddr"
if [ -n "$missing" ]; then
  echo "setup-test-deps: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq $missing >/dev/null
fi
mkdir -p /run/sshd
[ -d node_modules ] || npm ci --no-audit --no-fund
