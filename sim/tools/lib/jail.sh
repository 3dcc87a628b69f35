# Jail-side helpers of the simulated FreeBSD tools (sim/CONTRACT.md, "Jail tools").
# Sourced by /bin/sh scripts after common.sh (and devfs.sh, kld.sh where needed): POSIX sh only.
# Every function is documented above its definition.

# SIM_JAILS: running jails of the simulated kernel, one sh-sourceable file per jail name.
SIM_JAILS=$SIM_RUN/jails
# SIM_JAIL_MOUNTS: what jail -c mounted per jail (kept across the boot's wipe of /var/sim/run).
SIM_JAIL_MOUNTS=/var/sim/state/jail-mounts
# SIM_VMM: bhyve guests of the simulated kernel (/dev/vmm/NAME), one file per guest.
SIM_VMM=$SIM_RUN/vmm
# SIM_NET: network interfaces, one directory per vnet (host, or a VNET jail's name).
SIM_NET=$SIM_RUN/net

# sim_jailconf_parse FILE: tokenises a jail.conf(5) file and prints one line per parameter
# statement, "JAIL<TAB>OP<TAB>NAME<TAB>VALUE", in file order. OP is "=" (assignment; list
# values joined with ","), "+=" (append) or "" (a bare boolean such as `allow.vmm;`). JAIL "*" is
# the wildcard section, "" a global parameter. Quotes are removed: '…' is literal, "…" takes
# backslash escapes ($var expansion is not modelled). Comments: #, //, /* */. A syntax error
# prints "jail: FILE line N: syntax error" (jail(8)'s yyerror form) and returns 1.
sim_jailconf_parse() {
	awk -v file="$1" '
	BEGIN { RS = "\001" }
	{ src = $0 }
	END {
		n = length(src); i = 1; line = 1; nt = 0
		while (i <= n) {
			c = substr(src, i, 1)
			if (c == "\n") { line++; i++; continue }
			if (c ~ /[ \t\r]/) { i++; continue }
			if (c == "#" || substr(src, i, 2) == "//") { while (i <= n && substr(src, i, 1) != "\n") i++; continue }
			if (substr(src, i, 2) == "/*") { i += 2; while (i <= n && substr(src, i, 2) != "*/") { if (substr(src, i, 1) == "\n") line++; i++ } i += 2; continue }
			if (substr(src, i, 2) == "+=") { tok[++nt] = "+="; kind[nt] = "op"; tl[nt] = line; i += 2; continue }
			if (c ~ /[;{}=,]/) { tok[++nt] = c; kind[nt] = "op"; tl[nt] = line; i++; continue }
			# a word: adjacent quoted and unquoted pieces form one token
			w = ""; started = 0
			while (i <= n) {
				c = substr(src, i, 1)
				if (c == "\"") { i++; while (i <= n && (c = substr(src, i, 1)) != "\"") {
						if (c == "\\" && i < n) { i++; c = substr(src, i, 1); if (c == "n") c = "\n"; else if (c == "t") c = "\t" }
						if (c == "\n") line++
						w = w c; i++ }
					i++; started = 1; continue }
				if (c == "\047") { i++; while (i <= n && (c = substr(src, i, 1)) != "\047") { if (c == "\n") line++; w = w c; i++ } i++; started = 1; continue }
				if (c ~ /[ \t\r\n;{}=,#]/ || substr(src, i, 2) == "+=") break
				w = w c; i++; started = 1
			}
			if (!started) { i++; continue }
			tok[++nt] = w; kind[nt] = "word"; tl[nt] = line
		}
		jail = ""; depth = 0; k = 1
		while (k <= nt) {
			if (kind[k] == "word" && tok[k + 1] == "{" && kind[k + 1] == "op") {
				if (depth) { bad(tl[k]) } jail = tok[k]; depth = 1; k += 2; continue }
			if (tok[k] == "}" && kind[k] == "op") { if (!depth) bad(tl[k]); depth = 0; jail = ""; k++; continue }
			if (tok[k] == ";" && kind[k] == "op") { k++; continue }
			if (kind[k] != "word") bad(tl[k])
			name = tok[k]; k++
			if (tok[k] == ";" && kind[k] == "op") { printf "%s\t\t%s\t\n", jail, name; k++; continue }
			if (kind[k] != "op" || (tok[k] != "=" && tok[k] != "+=")) bad(tl[k - 1])
			op = tok[k]; k++; val = ""; first = 1
			while (k <= nt && !(kind[k] == "op" && tok[k] == ";")) {
				if (kind[k] == "op" && tok[k] == ",") { k++; continue }
				if (kind[k] != "word") bad(tl[k])
				val = val (first ? "" : ",") tok[k]; first = 0; k++
			}
			if (k > nt) bad(tl[nt])
			gsub(/\n/, "\\n", val)
			printf "%s\t%s\t%s\t%s\n", jail, op, name, val; k++
		}
		if (depth) bad(line)
	}
	function bad(l) { printf "jail: %s line %d: syntax error\n", file, l > "/dev/stderr"; exit 1 }
	' "$1"
}

# sim_jailconf_jails FILE: the names of the jails FILE defines, in file order.
sim_jailconf_jails() {
	sim_jailconf_parse "$1" | awk -F'\t' '$1 != "" && $1 != "*" && !seen[$1]++ { print $1 }'
}

# sim_jailconf_params FILE NAME: the parameters of jail NAME (wildcard section first), one
# "OP<TAB>NAME<TAB>VALUE" line per statement in file order; fails when NAME is not defined.
sim_jailconf_params() {
	_out=$(sim_jailconf_parse "$1") || return 1
	printf '%s\n' "$_out" | awk -F'\t' -v j="$2" '$1 == j { f = 1 } END { exit !f }' || return 2
	printf '%s\n' "$_out" | awk -F'\t' -v j="$2" '$1 == "*" || $1 == j { print $2 "\t" $3 "\t" $4 }'
}

# sim_jailconf_effective FILE NAME: the effective parameters of NAME as sh assignments
# "p_NAME='value'" (dots become _; later "=" wins, "+=" appends with a newline for exec.* and
# "," otherwise; a bare boolean sets "true", its "no" form sets "false"), plus p_order, the
# parameter names in first-seen order. Used as: eval "$(sim_jailconf_effective F N)".
sim_jailconf_effective() {
	_params=$(sim_jailconf_params "$1" "$2") || return $?
	printf '%s\n' "$_params" | awk -F'\t' '
		function key(n) { gsub(/[^A-Za-z0-9]/, "_", n); return "p_" n }
		function q(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
		{ op = $1; n = $2; v = $3
		  if (op == "") {
			if (n ~ /^allow\.no/) { n = "allow." substr(n, 10); v = "false" }
			else if (n == "vnet") v = "new"
			else if (n ~ /^(mount\.no|no)/) { sub(/no/, "", n); v = "false" }
			else v = "true"
		  }
		  if (!(n in val)) order = order (order == "" ? "" : " ") n
		  if (op == "+=" && (n in val) && val[n] != "") val[n] = val[n] (n ~ /^exec\./ ? "\n" : ",") v
		  else val[n] = v
		}
		END { for (n in val) print key(n) "=" q(val[n]); print "p_order=" q(order) }'
}

# sim_jail_file NAME: the state file of running jail NAME.
sim_jail_file() { echo "$SIM_JAILS/$1"; }

# sim_jail_find NAME|JID: true when the jail runs; prints its name (jails are found by name,
# then by numeric JID, as jail_getid(3) does).
sim_jail_find() {
	[ -n "$1" ] || return 1
	case $1 in */*|.*) return 1 ;; esac
	if [ -f "$SIM_JAILS/$1" ]; then echo "$1"; return 0; fi
	case $1 in *[!0-9]*) return 1 ;; esac
	for _f in "$SIM_JAILS"/*; do
		[ -f "$_f" ] || continue
		if grep -qx "jail_jid=\"$1\"" "$_f"; then echo "${_f##*/}"; return 0; fi
	done
	return 1
}

# sim_jail_load NAME: sources the state of running jail NAME into the jail_* variables.
sim_jail_load() {
	jail_name= jail_jid= jail_securelevel= jail_devfs_ruleset= jail_allow_vmm= jail_allow= jail_vnet=
	jail_hostname= jail_osrelease= jail_devices= jail_path= jail_ip4= jail_conf=
	. "$SIM_JAILS/$1"
}

# sim_jail_names: the running jails' names in JID order.
sim_jail_names() {
	for _f in "$SIM_JAILS"/*; do
		[ -f "$_f" ] || continue
		sed -n 's/^jail_jid="\(.*\)"$/\1/p' "$_f" | sed "s|\$| ${_f##*/}|"
	done | sort -n | awk '{ print $2 }'
}

# sim_jail_next_jid: hands out the next JID (the kernel's lastjid + 1; never reused until boot).
sim_jail_next_jid() {
	mkdir -p "$SIM_JAILS"
	_last=0
	[ -s "$SIM_JAILS/.lastjid" ] && _last=$(cat "$SIM_JAILS/.lastjid")
	_last=$((_last + 1))
	echo "$_last" >"$SIM_JAILS/.lastjid"
	echo "$_last"
}

# sim_resolve_in ROOT PATH: the Linux path that PATH (relative to ROOT) names when ROOT is the
# root directory: symlinks are followed inside ROOT (absolute targets restart at ROOT), as a
# chrooted process would see them. Missing components are kept as they are.
sim_resolve_in() {
	_root=$1 _rest=$2 _done= _hops=0
	while [ -n "$_rest" ]; do
		_rest=${_rest#/}
		[ -n "$_rest" ] || break
		case $_rest in */*) _c=${_rest%%/*} _rest=${_rest#*/} ;; *) _c=$_rest _rest= ;; esac
		case $_c in .|'') continue ;; ..) _done=${_done%/*}; continue ;; esac
		if [ -L "$_root$_done/$_c" ] && [ "$_hops" -lt 32 ]; then
			_hops=$((_hops + 1))
			_t=$(readlink "$_root$_done/$_c")
			case $_t in /*) _done= ;; esac
			_rest="$_t${_rest:+/$_rest}"
			continue
		fi
		_done="$_done/$_c"
	done
	echo "$_root$_done"
}

# SIM_JAIL_USERLAND: "jail-path linux-dir" pairs: where the simulator binds Linux's programs so
# that a chrooted jail has a working /bin/sh (the stand-in for the release's FreeBSD userland).
SIM_JAIL_USERLAND="bin:/usr/bin sbin:/usr/sbin lib:/usr/lib lib64:/usr/lib64 usr/bin:/usr/bin usr/sbin:/usr/sbin usr/lib:/usr/lib usr/lib64:/usr/lib64 usr/libexec:/usr/libexec usr/share:/usr/share"

# sim_jail_mount NAME SRC DST [ro]: bind-mounts SRC on DST (created if missing) and records DST
# in NAME's mount list.
sim_jail_mount() {
	[ -e "$3" ] || { if [ -d "$2" ]; then mkdir -p "$3"; else mkdir -p "${3%/*}" && : >"$3"; fi; }
	if [ "${4:-}" = ro ]; then mount --bind -o ro "$2" "$3" || return 1
	else mount --bind "$2" "$3" || return 1; fi
	mkdir -p "$SIM_JAIL_MOUNTS" && echo "$3" >>"$SIM_JAIL_MOUNTS/$1"
}

# sim_jail_unmount_all NAME: unmounts everything jail -c mounted for NAME, last first.
sim_jail_unmount_all() {
	[ -f "$SIM_JAIL_MOUNTS/$1" ] || return 0
	sed '1!G;h;$!d' "$SIM_JAIL_MOUNTS/$1" | while read -r _m; do
		umount "$_m" 2>/dev/null || umount -l "$_m" 2>/dev/null
	done
	rm -f "$SIM_JAIL_MOUNTS/$1"
}

# sim_jail_has_mounts PATH: true when something is mounted at or below PATH (a guard before
# removing a jail's directory: a bind mount would let rm reach the host's files).
sim_jail_has_mounts() {
	awk -v p="$1" '{ m = $5; gsub(/\\040/, " ", m) } m == p || index(m, p "/") == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo
}

# sim_jail_build_dev NAME ROOT RULESET: mounts a tmpfs on ROOT/dev holding the nodes RULESET
# unhides (the jail's devfs): character devices for null, zero, random, urandom; empty files
# standing for pci, io, mem, kmem and console (a host device no default ruleset unhides: it
# shows a ruleset whose hide_all never ran); a vmm directory. Prints the visible names (jail_devices).
sim_jail_build_dev() {
	_devs=$(sim_devfs_visible_devices "$3")
	mkdir -p "$2/dev"
	mount -t tmpfs -o mode=0555,size=1m sim-devfs "$2/dev" || return 1
	mkdir -p "$SIM_JAIL_MOUNTS" && echo "$2/dev" >>"$SIM_JAIL_MOUNTS/$1"
	for _d in $_devs; do sim_jail_dev_show "$2" "$_d"; done
	echo "$_devs"
}

# sim_jail_dev_show ROOT NAME: makes the node NAME (one of SIM_DEVFS_NODES) appear in the jail
# devfs at ROOT/dev, as sim_jail_build_dev does for each visible name; names the simulator keeps
# no node for (the per-guest vmm/NAME, nmdm, tap nodes, made when their guest is) are skipped.
sim_jail_dev_show() {
	case $2 in
	null) mknod -m 666 "$1/dev/null" c 1 3 ;;
	zero) mknod -m 666 "$1/dev/zero" c 1 5 ;;
	random) mknod -m 444 "$1/dev/random" c 1 8 ;;
	urandom) mknod -m 444 "$1/dev/urandom" c 1 9 ;;
	pci|io|mem|kmem|console) : >"$1/dev/$2"; chmod 600 "$1/dev/$2" ;;
	vmmctl) if sim_kernel_has_vmmctl; then : >"$1/dev/vmmctl"; chmod 600 "$1/dev/vmmctl"; fi ;;
	vmm) mkdir -p "$1/dev/vmm" ;;
	esac
}

# sim_jail_dev_hide ROOT NAME: the node NAME disappears from the jail devfs at ROOT/dev (a hide
# rule's DE_WHITEOUT); the counterpart of sim_jail_dev_show.
sim_jail_dev_hide() {
	case $2 in
	null|zero|random|urandom|pci|io|mem|kmem|console|vmmctl) rm -f "$1/dev/$2" ;;
	vmm) rmdir "$1/dev/vmm" 2>/dev/null || true ;;
	esac
}

# sim_jail_devfs_of PATH: the running jail whose mounted devfs (ROOT/dev, sim_jail_build_dev)
# holds PATH, a canonical host path; prints its name, or fails when PATH is on no jail's devfs.
sim_jail_devfs_of() {
	for _j in $(sim_jail_names); do
		_jp=$(sed -n 's/^jail_path="\(.*\)"$/\1/p' "$SIM_JAILS/$_j")
		[ -n "$_jp" ] && [ -f "$SIM_JAIL_MOUNTS/$_j" ] && grep -qxF "$_jp/dev" "$SIM_JAIL_MOUNTS/$_j" || continue
		_jd=$(readlink -f -- "$_jp/dev") || continue
		case $1 in "$_jd"|"$_jd"/*) echo "$_j"; return 0 ;; esac
	done
	return 1
}

# sim_jail_applyset NAME RULESET: DEVFSIO_SAPPLY of RULESET on running jail NAME's devfs
# (sys/fs/devfs/devfs_rule.c, devfs_ruleset_applydm): the ruleset's rules run in order over the
# mount's current nodes, so what they unhide appears, what they hide disappears and a node no
# rule matches keeps its state; the mount keeps its own ruleset (jail_devfs_ruleset). Rewrites
# jail_devices in the jail's state and in its marker. Needs devfs.sh.
sim_jail_applyset() {
	sim_jail_load "$1"
	_old=$jail_devices
	_new=$(sim_devfs_visible_devices "$2" "$SIM_DEVFS_NODES" "${_old:--}")
	for _d in $SIM_DEVFS_NODES; do
		case " $_old " in *" $_d "*) _was=1 ;; *) _was=0 ;; esac
		case " $_new " in *" $_d "*) _is=1 ;; *) _is=0 ;; esac
		[ "$_was" = "$_is" ] && continue
		if [ "$_is" = 1 ]; then sim_jail_dev_show "$jail_path" "$_d"; else sim_jail_dev_hide "$jail_path" "$_d"; fi
	done
	for _sf in "$SIM_JAILS/$1" "$jail_path/var/sim/jail"; do
		[ -f "$_sf" ] || continue
		awk -v v="$_new" '/^jail_devices=/ { print "jail_devices=\"" v "\""; next } { print }' "$_sf" >"$_sf.$$" && mv "$_sf.$$" "$_sf"
	done
}

# sim_jail_start_mounts NAME ROOT RULESET FSTAB MOUNTDEVFS: every mount of a starting jail (see
# sim/CONTRACT.md): fstab nullfs entries, the Linux userland, devfs, the fake tools and the
# kernel state. Prints the jail's visible devices. Fails (after undoing) on a mount error.
sim_jail_start_mounts() {
	_n=$1 _r=$2
	if [ -n "$4" ] && [ -f "$4" ]; then
		while read -r _src _dst _type _opts _rest; do
			case $_src in ''|\#*) continue ;; esac
			case $_type in
			nullfs) _o=; case ",$_opts," in *,ro,*) _o=ro ;; esac
				sim_jail_mount "$_n" "$_src" "$_dst" $_o || { sim_jail_unmount_all "$_n"; return 1; } ;;
			esac
		done <"$4"
	fi
	for _pair in $SIM_JAIL_USERLAND; do
		_in=${_pair%%:*} _lx=${_pair#*:}
		[ -d "$_lx" ] || continue
		if [ ! -e "$_r/$_in" ] && [ ! -L "$_r/$_in" ] && [ "$_in" = lib64 ] && [ -L "$_r/lib" ]; then
			ln -s "$(readlink "$_r/lib")64" "$_r/lib64"   # thin jail: lib64 -> /.bastille/lib64
		fi
		_t=$(sim_resolve_in "$_r" "$_in")
		sim_jail_mount "$_n" "$_lx" "$_t" ro || { sim_jail_unmount_all "$_n"; return 1; }
	done
	_devs=
	if [ "$5" = true ]; then
		_devs=$(sim_jail_build_dev "$_n" "$_r" "$3") || { sim_jail_unmount_all "$_n"; return 1; }
	fi
	mkdir -p "$_r/usr/local/freebsd" "$_r/var/sim/run" "$_r/var/sim/hardware"
	# Debian's /usr/bin/awk and friends are symlinks through /etc/alternatives
	{ [ ! -d /etc/alternatives ] || sim_jail_mount "$_n" /etc/alternatives "$_r/etc/alternatives" ro; } &&
	sim_jail_mount "$_n" /usr/local/freebsd "$_r/usr/local/freebsd" ro &&
	sim_jail_mount "$_n" "$SIM_RUN" "$_r/var/sim/run" &&
	{ [ ! -d "$SIM_HW" ] || sim_jail_mount "$_n" "$SIM_HW" "$_r/var/sim/hardware" ro; } &&
	{ [ ! -f /var/sim/profile ] || sim_jail_mount "$_n" /var/sim/profile "$_r/var/sim/profile" ro; } &&
	# the pools are the kernel's: zfs(8) in the jail reads them there and sees what spl_zone.c
	# lets it see (sim/tools/lib/zfs.sh, sim_zfs_visible)
	{ [ ! -d /var/sim/state/zfs ] || { mkdir -p "$_r/var/sim/zfs" && sim_jail_mount "$_n" /var/sim/state/zfs "$_r/var/sim/zfs"; }; } ||
		{ sim_jail_unmount_all "$_n"; return 1; }
	echo "$_devs"
}

# sim_net_vnet: the vnet the caller lives in: a VNET jail's name, else "host".
sim_net_vnet() {
	if sim_in_jail && [ "$jail_vnet" = yes ]; then echo "$jail_name"; else echo host; fi
}

# sim_net_dir VNET: the directory of VNET's interfaces; the host's is seeded on first use with
# lo0 and the machine's attached network devices (pciconf class 0x02 with a native driver).
sim_net_dir() {
	_nd=$SIM_NET/$1
	if [ ! -d "$_nd" ]; then
		mkdir -p "$_nd"
		echo 'if_type="loop"' >"$_nd/lo0"
		if [ "$1" = host ] && [ -f "$SIM_RUN/pci" ]; then
			grep -v '^#' "$SIM_HW/pci" 2>/dev/null | awk -F'|' '$3 ~ /^(0x)?02/ { print $1 }' | while read -r _sel; do
				_drv=$(awk -v s="$_sel" '$1 == s { print $2 }' "$SIM_RUN/pci")
				case $_drv in ''|none*|ppt*) continue ;; esac
				echo 'if_type="ether"' >"$_nd/$_drv"
			done
		fi
	fi
	echo "$_nd"
}

# sim_vmm_find NAME: true when the simulated kernel has a vmm instance NAME (/dev/vmm/NAME).
sim_vmm_find() { [ -f "$SIM_VMM/$1" ]; }

# sim_jail_dev_node NAME PATTERNNAME add|del: inside a jail, creates (or removes) /dev/NAME when
# the jail's devfs ruleset unhides it (checked as PATTERNNAME, one of SIM_DEVFS_NODES: nmdm0A
# for nmdm pairs, tap0 for taps): devfs applies the mounted ruleset to nodes created later.
# The host's /dev is Linux's and is left alone.
sim_jail_dev_node() {
	sim_in_jail || return 0
	[ -d /dev ] || return 0
	if [ "$3" = del ]; then rm -f "/dev/$1" 2>/dev/null; return 0; fi
	sim_devfs_visible "$jail_devfs_ruleset" "$2" && : >"/dev/$1" 2>/dev/null
	return 0
}
