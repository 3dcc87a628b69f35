# Shared helpers of the simulated FreeBSD tools (sim/CONTRACT.md, "Host tools").
# Sourced by /bin/sh scripts: POSIX sh only. Every function is documented above its definition.
# State paths are fixed FreeBSD-side paths; tests run the tools in a mount namespace.

# SIM_RUN: the kernel's runtime state (shared by the host and its jails).
SIM_RUN=/var/sim/run
# SIM_STATE: persistent simulated state of this host or jail (package db, kernel builds).
SIM_STATE=/var/sim/state
# SIM_HW: the machine's static description (profile layer).
SIM_HW=/var/sim/hardware
# SIM_JAIL_MARKER: exists only inside a jail (written by the jail tools).
SIM_JAIL_MARKER=/var/sim/jail

# sim_prog NAME: sets the program name used by sim_warn/sim_die (like getprogname()).
sim_prog() { SIM_PROG=$1; }

# sim_warn MSG...: prints "PROG: MSG" on stderr, as warnx(3) does.
sim_warn() { printf '%s: %s\n' "${SIM_PROG:-${0##*/}}" "$*" >&2; }

# sim_die RC MSG...: warnx(3) then exit RC, as errx(3) does.
sim_die() { _rc=$1; shift; sim_warn "$@"; exit "$_rc"; }

# sim_in_jail: true (0) when the caller runs inside a simulated jail; loads the marker's
# variables (jail_name, jail_jid, jail_securelevel, jail_devfs_ruleset, jail_allow_vmm,
# jail_vnet, jail_hostname, jail_osrelease, jail_devices) on the way.
sim_in_jail() {
	[ -f "$SIM_JAIL_MARKER" ] || return 1
	[ -n "${_sim_jail_loaded:-}" ] || { . "$SIM_JAIL_MARKER"; _sim_jail_loaded=1; }
	return 0
}

# SIM_WORLD: the installed userland's release once freebsd-update replaced it (sh-sourceable
# SIM_FREEBSD_VERSION=…); on FreeBSD that is what /bin/freebsd-version has baked in. /bin here
# is the machine's, so the release lives in this state file, the host's (or jail's) own.
SIM_WORLD=/var/sim/state/world

# sim_profile_load: sources /var/sim/profile (SIM_PROFILE, SIM_FREEBSD_VERSION, SIM_CPU_VTX…),
# then the installed userland's release (SIM_WORLD) when freebsd-update changed it.
# Inside a Bastille thin jail the userland is the release tree nullfs-mounted at /.bastille (the
# release Bastille bootstrapped records itself in var/sim/userland, standing for the tree's
# /bin/freebsd-version): a host's upgrade does not move the jail; `bastille upgrade` does.
sim_profile_load() {
	[ -f /var/sim/profile ] && . /var/sim/profile
	[ -f "$SIM_WORLD" ] && . "$SIM_WORLD"
	if sim_in_jail && [ -f /.bastille/var/sim/userland ]; then
		SIM_FREEBSD_VERSION=$(sed -n 's/^USERLAND_VERSION="\(.*\)"$/\1/p' /.bastille/var/sim/userland)
	fi
	: "${SIM_FREEBSD_VERSION:=12.2-RELEASE}" "${SIM_CPU_VTX:=yes}"
}

# sim_freebsd_major: the major release of this host (12, 13, 14), from SIM_FREEBSD_VERSION.
sim_freebsd_major() { sim_profile_load; echo "${SIM_FREEBSD_VERSION%%.*}"; }

# sim_hw_load: sources the machine description (hw_ncpu, hw_physmem, hw_model, hw_machine).
sim_hw_load() {
	[ -f "$SIM_HW/sysctl" ] && . "$SIM_HW/sysctl"
	: "${hw_ncpu:=4}" "${hw_physmem:=34210865152}" "${hw_machine:=amd64}"
	: "${hw_model:=Intel(R) Xeon(R) CPU E3-1225 v5 @ 3.30GHz}"
}

# sim_kernel_load: sources the running kernel's description (kernel_name, kernel_osrelease,
# kernel_version, kernel_ident, kernel_jail_privs); falls back to the profile's release when
# the host was never booted (tools run outside a fleet).
sim_kernel_load() {
	if [ -f "$SIM_RUN/kernel" ]; then . "$SIM_RUN/kernel"; return 0; fi
	sim_profile_load
	kernel_name=kernel kernel_osrelease=$SIM_FREEBSD_VERSION kernel_ident=GENERIC
	kernel_version="FreeBSD $SIM_FREEBSD_VERSION GENERIC" kernel_jail_privs=PRIV_KMEM_READ
}

# sim_kernel_jail_grants PRIV: true when the running kernel's prison_priv_check grants jails PRIV
# (a stock kernel: PRIV_KMEM_READ only; the seed's kern_jail.c patch adds PRIV_IO and
# PRIV_KMEM_WRITE; docs/freebsd/passthrough.md).
sim_kernel_jail_grants() {
	sim_kernel_load
	case " $kernel_jail_privs " in *" $1 "*) return 0 ;; esac
	return 1
}

# sim_host_securelevel: the host's kern.securelevel (-1 when never set).
sim_host_securelevel() {
	if [ -s "$SIM_RUN/securelevel" ]; then cat "$SIM_RUN/securelevel"; else echo -1; fi
}

# sim_securelevel: the effective kern.securelevel of the caller: the host's, or inside a jail
# max(host, jail's securelevel parameter) (kern_jail.c, securelevel_gt()).
sim_securelevel() {
	_sl=$(sim_host_securelevel)
	if sim_in_jail; then
		_jl=${jail_securelevel:--1}
		[ "$_jl" -gt "$_sl" ] && _sl=$_jl
	fi
	echo "$_sl"
}

# sim_hostname: kern.hostname as the caller sees it (the jail's host.hostname inside a jail).
sim_hostname() {
	if sim_in_jail; then echo "${jail_hostname:-$jail_name}"; return; fi
	/bin/hostname
}

# sim_dev_exists NAME: true when /dev/NAME exists for the caller. On the host every simulated
# FreeBSD device node exists (vmm nodes only while vmm.ko is loaded); inside a jail only the
# names in jail_devices (the devfs ruleset applied when the jail's /dev was mounted).
# /dev/vmmctl exists only where the running kernel's vmm makes it (sim_kernel_has_vmmctl).
sim_dev_exists() {
	if [ "$1" = vmmctl ] && ! sim_kernel_has_vmmctl; then return 1; fi
	if sim_in_jail; then
		for _d in $jail_devices; do [ "$_d" = "$1" ] && return 0; done
		return 1
	fi
	case $1 in
	vmm|vmm/*|vmm.io|vmm.io/*) sim_kld_file_loaded vmm.ko ;;
	*) return 0 ;;
	esac
}

# SIM_VMMCTL_OSRELDATE: the first __FreeBSD_version whose vmm creates /dev/vmmctl (the VM
# create/destroy device of sys/dev/vmm/vmm_dev.c; consumers test `__FreeBSD_version > 1500026`),
# and whose libvmmapi creates VMs through it instead of the hw.vmm.create sysctl
# (docs/freebsd/upgrade.md, "FreeBSD 15.0's vmm").
SIM_VMMCTL_OSRELDATE=1500027

# sim_kernel_has_vmmctl: true when the running kernel has /dev/vmmctl: vmm.ko is loaded and the
# kernel is 15.0 or later. Needs kld.sh.
sim_kernel_has_vmmctl() { sim_kld_file_loaded vmm.ko && [ "$(sim_osreldate)" -ge "$SIM_VMMCTL_OSRELDATE" ]; }

# sim_userland_uses_vmmctl: true when the caller's userland (the jail's own inside a jail) is
# 15.0 or later, so libvmmapi's VM creation opens /dev/vmmctl rather than writing hw.vmm.create.
sim_userland_uses_vmmctl() { [ "$(sim_userland_osreldate)" -ge "$SIM_VMMCTL_OSRELDATE" ]; }

# sim_checkyesno VALUE: rc.subr's checkyesno on a value: YES/TRUE/ON/1 → 0, anything else → 1.
sim_checkyesno() {
	case $1 in
	[Yy][Ee][Ss]|[Tt][Rr][Uu][Ee]|[Oo][Nn]|1) return 0 ;;
	*) return 1 ;;
	esac
}

# sim_source_rc_conf: sources /etc/defaults/rc.conf and then the rc_conf_files into the calling
# shell, as rc.subr's load_rc_config does (call it in a subshell: rc.conf may set anything).
sim_source_rc_conf() {
	[ -r /etc/defaults/rc.conf ] && . /etc/defaults/rc.conf >/dev/null 2>&1
	for _f in ${rc_conf_files:-/etc/rc.conf /etc/rc.conf.local}; do
		[ -r "$_f" ] && . "$_f" >/dev/null 2>&1
	done
	return 0
}

# sim_rcvar NAME: prints the value of rc.conf variable NAME as load_rc_config sets it; empty when unset.
sim_rcvar() {
	(
		sim_source_rc_conf
		eval "printf '%s\n' \"\${$1:-}\""
	)
}

# sim_sh_quote VALUE: sets sim_quoted to VALUE as one single-quoted sh word (' as '\''), built
# by the shell itself: a boot reads a dozen rc.conf variables, and a sed each cost more than the read.
sim_sh_quote() {
	_sq_rest=$1 sim_quoted=
	while :; do
		case $_sq_rest in
		*\'*) sim_quoted="$sim_quoted${_sq_rest%%\'*}'\\''"; _sq_rest=${_sq_rest#*\'} ;;
		*) break ;;
		esac
	done
	sim_quoted="'$sim_quoted$_sq_rest'"
}

# sim_rc_vars VAR...: `rc_VAR='VALUE'` lines, for eval, of rc.conf's variables as load_rc_config
# sets them (sim_source_rc_conf), all read in one subshell.
sim_rc_vars() {
	(
		sim_source_rc_conf
		for _v; do
			eval "_val=\${$_v:-}"
			sim_sh_quote "$_val"
			printf 'rc_%s=%s\n' "$_v" "$sim_quoted"
		done
	)
}

# sim_loader_var NAME: value of NAME in /boot/defaults/loader.conf, /boot/loader.conf,
# /boot/loader.conf.local (last assignment wins, quotes removed; empty when unset).
sim_loader_var() {
	cat /boot/defaults/loader.conf /boot/loader.conf /boot/loader.conf.local 2>/dev/null |
	sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" | sed 's/[[:space:]]*#.*$//' |
	tail -n 1 | sed 's/^"\(.*\)"$/\1/'
}

# sim_now_ctime SECONDS: ctime(3) text of SECONDS without the newline ("Tue May 14 15:03:20 2024").
sim_now_ctime() { LC_ALL=C TZ=${TZ:-UTC} date -d "@$1" '+%a %b %e %H:%M:%S %Y'; }

# sim_osreldate_of RELEASE: __FreeBSD_version of a release, e.g. 12.2-RELEASE → 1202000
# (13.5 → 1305000 and 15.0 → 1500068 are the simulator's values, not read in sys/sys/param.h).
sim_osreldate_of() {
	case $1 in
	12.2*) echo 1202000 ;; 13.0*) echo 1300139 ;; 13.5*) echo 1305000 ;; 13.*) echo 1300139 ;;
	14.3*) echo 1403000 ;; 14.*) echo 1400097 ;; 15.0*) echo 1500068 ;; *) echo 1202000 ;;
	esac
}

# sim_osreldate: kern.osreldate, the running kernel's __FreeBSD_version (uname -K).
sim_osreldate() { sim_kernel_load; sim_osreldate_of "$kernel_osrelease"; }

# sim_userland_osreldate: the installed userland's __FreeBSD_version (uname -U).
sim_userland_osreldate() { sim_profile_load; sim_osreldate_of "$SIM_FREEBSD_VERSION"; }

# sim_osrelease: kern.osrelease as the caller sees it (the jail's osrelease inside a jail).
sim_osrelease() {
	if sim_in_jail && [ -n "${jail_osrelease:-}" ]; then echo "$jail_osrelease"; return; fi
	sim_kernel_load; echo "$kernel_osrelease"
}

# sim_msgbuf LINE: appends LINE to the kernel message buffer (what dmesg prints).
sim_msgbuf() { mkdir -p "$SIM_RUN" && printf '%s\n' "$1" >>"$SIM_RUN/msgbuf"; }
