#!/bin/sh
# Runs one shell command as root on a throwaway simulated FreeBSD host with the host AND jail
# tools, as a fleet host has them (sim/CONTRACT.md): a private mount + UTS namespace whose /etc,
# /usr/local, /boot, /usr/src and /var are overlayfs mounts of BOX/upper/<dir> over the
# profile's layer (over the real dir for /etc, /usr/local, /var); BOX/tools (a copy of
# sim/tools/{host,jail}/bin, lib, {host,jail}/libexec, refreshed on every call) bound read-only
# at /usr/local/freebsd. State persists in BOX between calls; mounts die with the namespace, so
# every call that needs running jails starts them itself (tests boot with sim-boot).
# Usage: sandbox.sh BOX PROFILE COMMAND   (stdin is passed to COMMAND)
#
# A fork costs 5-9 ms of CPU on the CI machine, so BOX is laid out once (BOX/fstab lists the
# mounts, for one `mount -a`) and a call forks only to refresh the tools and to mount, as
# test/sim/tools/host/sandbox.sh does.
set -eu
box=$1 profile=$2 cmd=$3
cd "${0%/*}/../../../.."
repo=$PWD
root=$repo/sim/profiles/$profile/root
[ -d "$repo/sim/profiles/$profile" ] || { echo "sandbox.sh: no profile $profile" >&2; exit 2; }
# BOX/fstab separates its fields by blanks
case $repo$box in *[[:space:]]*) echo "sandbox.sh: $repo or $box has a blank in its path; fstab(5) cannot name it" >&2; exit 2 ;; esac
rm -rf "$box/tools" && mkdir -p "$box/tools/bin" "$box/tools/libexec"
cp -a "$repo/sim/tools/jail/bin/." "$repo/sim/tools/host/bin/." "$box/tools/bin/"
cp -a "$repo/sim/tools/jail/libexec/." "$repo/sim/tools/host/libexec/." "$box/tools/libexec/"
cp -a "$repo/sim/tools/lib" "$box/tools/lib"
if [ ! -f "$box/fstab" ]; then
	mkdir -p "$box/upper/etc" "$box/upper/usr/local/freebsd" "$box/upper/boot" "$box/upper/usr/src" \
		"$box/upper/var/sim" "$box/empty" \
		"$box/work/etc" "$box/work/usr-local" "$box/work/boot" "$box/work/usr-src" "$box/work/var" \
		"$box/run/.sim-host-run" /usr/src
	[ -f "$box/upper/var/sim/profile" ] || sed -n '/^SIM_/p' "$repo/sim/profiles/$profile/profile.env" >"$box/upper/var/sim/profile"
	# an overlay of BOX/upper/DIR over the profile's DIR (when it has one), then over the
	# machine's own DIR (yes) or not
	overlay() {
		lower=$box/empty
		[ -d "$root/$1" ] && lower=$root/$1
		[ "$2" = yes ] && lower=$lower:/$1
		echo "overlay /$1 overlay lowerdir=$lower,upperdir=$box/upper/$1,workdir=$box/work/$3 0 0"
	}
	{
		overlay etc yes etc
		overlay usr/local yes usr-local
		overlay boot no boot
		overlay usr/src no usr-src
		overlay var yes var
		# the host's own /var/run (Debian's /var/run is /run), marked so sim-boot runs cleanvar in it
		echo "$box/run /run none bind 0 0"
		# a root-on-ZFS profile's pool mounts at /zroot: each box gets its own, as each fleet host
		# does (infra makes the empty mount point on the machine at `up`; so does the first ZFS box)
		if grep -q '^SIM_ROOT_FS=zfs' "$repo/sim/profiles/$profile/profile.env"; then
			[ -d /zroot ] || mkdir /zroot
			mkdir -p "$box/zroot"
			echo "$box/zroot /zroot none bind 0 0"
		fi
		echo "$box/tools /usr/local/freebsd none bind,ro 0 0"
	} >"$box/fstab.new"
	mv "$box/fstab.new" "$box/fstab"
fi
exec unshare --mount --uts --propagation private /bin/sh -c '
	set -e
	box=$1 cmd=$2
	mount -a -T "$box/fstab"
	# sethostname(2) of this UTS namespace, without forking hostname(1)
	echo sim01 >/proc/sys/kernel/hostname
	cd /root 2>/dev/null || cd /
	export PATH=/usr/local/freebsd/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
	exec /bin/sh -c "$cmd"
' sandbox "$box" "$cmd"
