# Sourced by test/sim/tools/{host,jail}/sandbox.sh: the part of a throwaway simulated host that
# both sandboxes share — the overlays of /etc, /usr/local, /boot, /usr/src, /usr/ports and /var over the
# profile's layer, the host's /run, a ZFS profile's /zroot, and the namespace a call runs in.
# Sourced, not run, so it costs no fork: a fork costs 5-9 ms of CPU on the CI machine.
# Needs: repo (the checkout), box (BOX), profile, root (the profile's root layer).

# BOX/fstab separates its fields by blanks.
sandbox_check_paths() {
	case $repo$box in *[[:space:]]*) echo "sandbox.sh: $repo or $box has a blank in its path; fstab(5) cannot name it" >&2; exit 2 ;; esac
}

# The directories the shared fstab lines name, and the profile's SIM_ variables.
sandbox_layout() {
	mkdir -p "$box/upper/etc" "$box/upper/usr/local/freebsd" "$box/upper/boot" "$box/upper/usr/src" \
		"$box/upper/usr/ports" "$box/upper/var/sim" "$box/empty" \
		"$box/work/etc" "$box/work/usr-local" "$box/work/boot" "$box/work/usr-src" "$box/work/usr-ports" "$box/work/var" \
		"$box/run/.sim-host-run" /usr/src /usr/ports
	[ -f "$box/upper/var/sim/profile" ] || sed -n '/^SIM_/p' "$repo/sim/profiles/$profile/profile.env" >"$box/upper/var/sim/profile"
}

# An overlay of BOX/upper/DIR over the profile's DIR (when it has one), then over the machine's
# own DIR (yes) or not.
sandbox_overlay() {
	lower=$box/empty
	[ -d "$root/$1" ] && lower=$root/$1
	[ "$2" = yes ] && lower=$lower:/$1
	echo "overlay /$1 overlay lowerdir=$lower,upperdir=$box/upper/$1,workdir=$box/work/$3 0 0"
}

# The fstab lines both sandboxes mount; each adds its own tools at /usr/local/freebsd after them.
sandbox_fstab() {
	sandbox_overlay etc yes etc
	sandbox_overlay usr/local yes usr-local
	sandbox_overlay boot no boot
	sandbox_overlay usr/src no usr-src
	# the ports tree: empty unless the profile puts one there, as on a fleet host
	sandbox_overlay usr/ports no usr-ports
	sandbox_overlay var yes var
	# the host's own /var/run (Debian's /var/run is /run), marked so sim-boot runs cleanvar in it
	echo "$box/run /run none bind 0 0"
	# a root-on-ZFS profile's pool mounts at /zroot: each box gets its own, as each fleet host
	# does (infra makes the empty mount point on the machine at `up`; so does the first ZFS box)
	if grep -q '^SIM_ROOT_FS=zfs' "$repo/sim/profiles/$profile/profile.env"; then
		[ -d /zroot ] || mkdir /zroot
		mkdir -p "$box/zroot"
		echo "$box/zroot /zroot none bind 0 0"
	fi
}

# Mount BOX/fstab in a private mount + UTS namespace named sim01 and run CMD there as root.
sandbox_exec() {
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
}
