#!/bin/sh
# Runs one shell command as root on a throwaway simulated FreeBSD host: a private mount + UTS
# namespace whose /etc, /usr/local, /boot, /usr/src, /usr/ports and /var are overlayfs mounts of
# BOX/upper/<dir> over sim/profiles/PROFILE/root/<dir> (over the real dir for /etc, /usr/local,
# /var), with the fake tools at /usr/local/freebsd as on a fleet host (sim/CONTRACT.md).
# State persists in BOX between calls, so consecutive calls see one host.
# Usage: sandbox.sh BOX PROFILE COMMAND   (stdin is passed to COMMAND)
#
# The tests make hundreds of calls and a fork costs 5-9 ms of CPU on the CI machine, so a call
# forks as little as it can: BOX is laid out once (BOX/fstab lists the mounts), and each call is
# unshare, one `mount -a` and the command (the old 40 forks a call cost 0.4 s of CPU).
set -eu
box=$1 profile=$2 cmd=$3
cd "${0%/*}/../../../.."
repo=$PWD
root=$repo/sim/profiles/$profile/root
[ -d "$root" ] || { echo "sandbox.sh: no profile $profile" >&2; exit 2; }
# shellcheck source=../sandbox-lib.sh
. "$repo/test/sim/tools/sandbox-lib.sh"
sandbox_check_paths
if [ ! -f "$box/fstab" ]; then
	sandbox_layout
	mkdir -p "$box/upper/usr/local/freebsd/bin" "$box/upper/usr/local/freebsd/lib" \
		"$box/upper/usr/local/freebsd/libexec" "$box/upper/usr/local/freebsd/releases" "$box/libexec/pkg"
	# the release sets freebsd-update installs from: their links into the profiles followed, as
	# the fleet's tool sync copies them
	[ -d "$box/releases" ] || cp -rL "$repo/sim/tools/releases" "$box/releases"
	# /usr/local/freebsd/libexec as on a fleet host: the host tools' scripts plus the jail tools'
	# package payloads, copied into BOX so tests never write into the repository
	for f in "$repo"/sim/tools/host/libexec/* "$repo"/sim/tools/jail/libexec/*; do
		[ -e "$f" ] || continue
		case ${f##*/} in pkg) cp -r "$f/." "$box/libexec/pkg/" ;; *) ln -sfn "$f" "$box/libexec/${f##*/}" ;; esac
	done
	{
		sandbox_fstab
		echo "$repo/sim/tools/host/bin /usr/local/freebsd/bin none bind 0 0"
		echo "$repo/sim/tools/lib /usr/local/freebsd/lib none bind 0 0"
		echo "$box/libexec /usr/local/freebsd/libexec none bind 0 0"
		echo "$box/releases /usr/local/freebsd/releases none bind 0 0"
	} >"$box/fstab.new"
	mv "$box/fstab.new" "$box/fstab"
fi
sandbox_exec
