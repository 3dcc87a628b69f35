#!/bin/sh
# The main job on its embedded default: three simulated FreeBSD hosts (two of the seed's era,
# one current), the seed's playbook run against them with live output, run again to show that
# nothing changes, then where to go next. The fleet is stopped on the way out, whatever happens.
# Needs root on Debian (network namespaces, overlayfs, sshd); installs what is missing.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup-test-deps.sh
dir="${BEASTIE_DEMO_DIR:-$PWD/.sim/demo}"
profiles="${BEASTIE_DEMO_PROFILES:-seed:2,current:1}"

cleanup() { npm run --silent sim -- down --dir "$dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Starting 3 simulated FreeBSD hosts ($profiles) in $dir"
npm run --silent sim -- down --dir "$dir" >/dev/null 2>&1 || true
npm run --silent sim -- up --hosts 3 --profile "$profiles" --dir "$dir"

step "First run of playbooks/bhyve-jail.yml: from an empty host to a running bhyve guest in a VNET jail"
npx beastie play playbooks/bhyve-jail.yml -i "$dir/inventory.yml" || status=$?
if [ "${status:-0}" -ne 0 ]; then echo "first run exited ${status}" >&2; exit "$status"; fi

step "Second run: every module observes first, so nothing changes (changed=0)"
npx beastie play playbooks/bhyve-jail.yml -i "$dir/inventory.yml"

step "Where to go next: each module documents itself"
npx beastie doc vm_guest
printf '\nAlso: npx beastie doc (all modules), playbooks/passthrough.yml (PCI passthrough in batches), README.md.\n'
