#!/bin/sh
# Runs one shell command as root on a throwaway simulated FreeBSD host: a private mount + UTS
# namespace whose /etc, /usr/local, /boot, /usr/src and /var are overlayfs mounts of
# BOX/upper/<dir> over sim/profiles/PROFILE/root/<dir> (over the real dir for /etc, /usr/local,
# /var), with the fake tools at /usr/local/freebsd as on a fleet host (sim/CONTRACT.md).
# State persists in BOX between calls, so consecutive calls see one host.
# Usage: sandbox.sh BOX PROFILE COMMAND   (stdin is passed to COMMAND)
set -eu
box=$1 profile=$2 cmd=$3
repo=$(cd "$(dirname "$0")/../../../.." && pwd)
root=$repo/sim/profiles/$profile/root
[ -d "$root" ] || { echo "sandbox.sh: no profile $profile" >&2; exit 2; }
for d in etc usr/local boot usr/src var; do
	mkdir -p "$box/upper/$d" "$box/work/$(echo "$d" | tr / -)"
done
mkdir -p "$box/upper/var/sim" "$box/upper/usr/local/freebsd/bin" "$box/upper/usr/local/freebsd/lib" "$box/upper/usr/local/freebsd/libexec" "$box/upper/usr/local/freebsd/releases" "$box/empty"
# the release sets freebsd-update installs from: their links into the profiles followed, as
# the fleet's tool sync copies them
[ -d "$box/releases" ] || cp -rL "$repo/sim/tools/releases" "$box/releases"
# /usr/local/freebsd/libexec as on a fleet host: the host tools' scripts plus the jail tools'
# package payloads, copied into BOX so tests never write into the repository
if [ ! -d "$box/libexec" ]; then
	mkdir -p "$box/libexec/pkg"
	for f in "$repo"/sim/tools/host/libexec/* "$repo"/sim/tools/jail/libexec/*; do
		[ -e "$f" ] || continue
		case ${f##*/} in pkg) cp -r "$f/." "$box/libexec/pkg/" ;; *) ln -s "$f" "$box/libexec/${f##*/}" ;; esac
	done
fi
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
	box=$1 root=$2 repo=$3 cmd=$4
	ov() { # dir realLower
		lower="$box/empty"
		[ -d "$root/$1" ] && lower="$root/$1"
		[ "$2" = yes ] && lower="$lower:/$1"
		# the namespace of the previous call may still be releasing the same upper/work dirs
		# (overlayfs refuses a workdir in use): retry for up to ~5 s
		i=0
		until mount -t overlay overlay -o "lowerdir=$lower,upperdir=$box/upper/$1,workdir=$box/work/$(echo "$1" | tr / -)" "/$1" 2>/dev/null; do
			i=$((i + 1)); [ $i -ge 50 ] && { echo "sandbox.sh: cannot mount /$1" >&2; exit 32; }
			sleep 0.1
		done
	}
	mkdir -p /usr/src
	ov etc yes; ov usr/local yes; ov boot no; ov usr/src no; ov var yes
	mount --bind "$box/run" /run
	[ -z "$SIM_BOX_ZROOT" ] || mount --bind "$SIM_BOX_ZROOT" /zroot
	unset SIM_BOX_ZROOT
	mount --bind "$repo/sim/tools/host/bin" /usr/local/freebsd/bin
	mount --bind "$repo/sim/tools/lib" /usr/local/freebsd/lib
	mount --bind "$box/libexec" /usr/local/freebsd/libexec
	mount --bind "$box/releases" /usr/local/freebsd/releases
	hostname sim01
	cd /root 2>/dev/null || cd /
	export PATH=/usr/local/freebsd/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
	exec /bin/sh -c "$cmd"
' sandbox "$box" "$root" "$repo" "$cmd"
