#!/bin/sh
# Runs one shell command as root on a throwaway simulated FreeBSD host with the host AND jail
# tools, as a fleet host has them (sim/CONTRACT.md): a private mount + UTS namespace whose /etc,
# /usr/local, /boot, /usr/src and /var are overlayfs mounts of BOX/upper/<dir> over the
# profile's layer (over the real dir for /etc, /usr/local, /var); BOX/tools (a copy of
# sim/tools/{host,jail}/bin, lib, {host,jail}/libexec, refreshed on every call) bound read-only
# at /usr/local/freebsd. State persists in BOX between calls; mounts die with the namespace, so
# every call that needs running jails starts them itself (tests boot with sim-boot).
# Usage: sandbox.sh BOX PROFILE COMMAND   (stdin is passed to COMMAND)
set -eu
box=$1 profile=$2 cmd=$3
repo=$(cd "$(dirname "$0")/../../../.." && pwd)
root=$repo/sim/profiles/$profile/root
[ -d "$repo/sim/profiles/$profile" ] || { echo "sandbox.sh: no profile $profile" >&2; exit 2; }
for d in etc usr/local boot usr/src var; do
	mkdir -p "$box/upper/$d" "$box/work/$(echo "$d" | tr / -)"
done
mkdir -p "$box/upper/var/sim" "$box/upper/usr/local/freebsd" "$box/empty"
rm -rf "$box/tools" && mkdir -p "$box/tools/bin" "$box/tools/libexec"
cp -a "$repo/sim/tools/jail/bin/." "$repo/sim/tools/host/bin/." "$box/tools/bin/"
cp -a "$repo/sim/tools/jail/libexec/." "$repo/sim/tools/host/libexec/." "$box/tools/libexec/"
cp -a "$repo/sim/tools/lib" "$box/tools/lib"
[ -f "$box/upper/var/sim/profile" ] || sed -n '/^SIM_/p' "$repo/sim/profiles/$profile/profile.env" >"$box/upper/var/sim/profile"
# the host's own /var/run (Debian's /var/run is /run), marked so sim-boot runs cleanvar in it
mkdir -p "$box/run/.sim-host-run"
# a root-on-ZFS profile's pool mounts at /zroot: each box gets its own, as each fleet host does
# (infra makes the empty mount point on the machine at `up`; so does the first ZFS box)
zroot=
if grep -q '^SIM_ROOT_FS=zfs' "$repo/sim/profiles/$profile/profile.env"; then
	[ -d /zroot ] || mkdir /zroot
	mkdir -p "$box/zroot" && zroot=$box/zroot
fi
export SIM_BOX_ZROOT=$zroot
exec unshare --mount --uts --propagation private /bin/sh -c '
	set -e
	box=$1 root=$2 cmd=$3
	ov() { # dir realLower
		lower="$box/empty"
		[ -d "$root/$1" ] && lower="$root/$1"
		[ "$2" = yes ] && lower="$lower:/$1"
		mount -t overlay overlay -o "lowerdir=$lower,upperdir=$box/upper/$1,workdir=$box/work/$(echo "$1" | tr / -)" "/$1"
	}
	mkdir -p /usr/src
	ov etc yes; ov usr/local yes; ov boot no; ov usr/src no; ov var yes
	mount --bind "$box/run" /run
	[ -z "$SIM_BOX_ZROOT" ] || mount --bind "$SIM_BOX_ZROOT" /zroot
	unset SIM_BOX_ZROOT
	mount --bind -o ro "$box/tools" /usr/local/freebsd
	hostname sim01
	cd /root 2>/dev/null || cd /
	export PATH=/usr/local/freebsd/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
	exec /bin/sh -c "$cmd"
' sandbox "$box" "$root" "$cmd"
