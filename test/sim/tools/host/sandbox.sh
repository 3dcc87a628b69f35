#!/bin/sh
# Runs one shell command as root on a throwaway simulated FreeBSD host: a private mount + UTS
# namespace whose /etc, /usr/local, /boot, /usr/src and /var are overlayfs mounts of
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
# BOX/fstab separates its fields by blanks
case $repo$box in *[[:space:]]*) echo "sandbox.sh: $repo or $box has a blank in its path; fstab(5) cannot name it" >&2; exit 2 ;; esac
if [ ! -f "$box/fstab" ]; then
	mkdir -p "$box/upper/etc" "$box/upper/usr/local/freebsd/bin" "$box/upper/usr/local/freebsd/lib" \
		"$box/upper/usr/local/freebsd/libexec" "$box/upper/usr/local/freebsd/releases" "$box/upper/boot" \
		"$box/upper/usr/src" "$box/upper/var/sim" "$box/empty" \
		"$box/work/etc" "$box/work/usr-local" "$box/work/boot" "$box/work/usr-src" "$box/work/var" \
		"$box/libexec/pkg" "$box/run/.sim-host-run" /usr/src
	# the release sets freebsd-update installs from: their links into the profiles followed, as
	# the fleet's tool sync copies them
	[ -d "$box/releases" ] || cp -rL "$repo/sim/tools/releases" "$box/releases"
	# /usr/local/freebsd/libexec as on a fleet host: the host tools' scripts plus the jail tools'
	# package payloads, copied into BOX so tests never write into the repository
	for f in "$repo"/sim/tools/host/libexec/* "$repo"/sim/tools/jail/libexec/*; do
		[ -e "$f" ] || continue
		case ${f##*/} in pkg) cp -r "$f/." "$box/libexec/pkg/" ;; *) ln -sfn "$f" "$box/libexec/${f##*/}" ;; esac
	done
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
		echo "$repo/sim/tools/host/bin /usr/local/freebsd/bin none bind 0 0"
		echo "$repo/sim/tools/lib /usr/local/freebsd/lib none bind 0 0"
		echo "$box/libexec /usr/local/freebsd/libexec none bind 0 0"
		echo "$box/releases /usr/local/freebsd/releases none bind 0 0"
	} >"$box/fstab.new"
	mv "$box/fstab.new" "$box/fstab"
fi
exec unshare --mount --uts --propagation private /bin/sh -c '
	set -e
	box=$1 cmd=$2
	# mount -a skips what is mounted already, so a retry mounts only what failed. The namespace
	# of the previous call may still be releasing the same upper/work dirs (a kernel that refuses
	# an overlayfs workdir in use): retry for up to ~5 s, then say why.
	i=0
	until mount -a -T "$box/fstab" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -ge 50 ]; then
			mount -a -T "$box/fstab" && break
			echo "sandbox.sh: cannot mount what $box/fstab lists" >&2
			exit 32
		fi
		sleep 0.1
	done
	# sethostname(2) of this UTS namespace, without forking hostname(1)
	echo sim01 >/proc/sys/kernel/hostname
	cd /root 2>/dev/null || cd /
	export PATH=/usr/local/freebsd/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
	exec /bin/sh -c "$cmd"
' sandbox "$box" "$cmd"
