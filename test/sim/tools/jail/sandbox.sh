#!/bin/sh
# Runs one shell command as root on a throwaway simulated FreeBSD host with the host AND jail
# tools, as a fleet host has them (sim/CONTRACT.md): a private mount + UTS namespace whose /etc,
# /usr/local, /boot, /usr/src, /usr/ports and /var are overlayfs mounts of BOX/upper/<dir> over the
# profile's layer (over the real dir for /etc, /usr/local, /var); BOX/tools (a copy of
# sim/tools/{host,jail}/bin, lib, {host,jail}/libexec, refreshed on every call) bound read-only
# at /usr/local/freebsd. State persists in BOX between calls; mounts die with the namespace, so
# every call that needs running jails starts them itself (tests boot with sim-boot).
# Usage: sandbox.sh BOX PROFILE COMMAND   (stdin is passed to COMMAND)
#
# A fork costs 5-9 ms of CPU on the CI machine, so BOX is laid out once (BOX/fstab lists the
# mounts, for one `mount -a`) and a call forks only to refresh the tools and to mount, as
# test/sim/tools/host/sandbox.sh does; what both share is test/sim/tools/sandbox-lib.sh.
set -eu
box=$1 profile=$2 cmd=$3
cd "${0%/*}/../../../.."
repo=$PWD
root=$repo/sim/profiles/$profile/root
[ -d "$repo/sim/profiles/$profile" ] || { echo "sandbox.sh: no profile $profile" >&2; exit 2; }
# shellcheck source=../sandbox-lib.sh
. "$repo/test/sim/tools/sandbox-lib.sh"
sandbox_check_paths
rm -rf "$box/tools" && mkdir -p "$box/tools/bin" "$box/tools/libexec"
cp -a "$repo/sim/tools/jail/bin/." "$repo/sim/tools/host/bin/." "$box/tools/bin/"
cp -a "$repo/sim/tools/jail/libexec/." "$repo/sim/tools/host/libexec/." "$box/tools/libexec/"
cp -a "$repo/sim/tools/lib" "$box/tools/lib"
# the simulated update server (freebsd-update -b/-j: bastille upgrade and update reach it)
cp -rL "$repo/sim/tools/releases" "$box/tools/releases"
if [ ! -f "$box/fstab" ]; then
	sandbox_layout
	{
		sandbox_fstab
		echo "$box/tools /usr/local/freebsd none bind,ro 0 0"
	} >"$box/fstab.new"
	mv "$box/fstab.new" "$box/fstab"
fi
sandbox_exec
