# Shared ZFS state of the simulated kernel (docs/freebsd/zfs.md), for the zfs and zpool fakes.
# State (kept across reboots: pools and datasets live on disk):
#   /var/sim/state/zfs/pools     one line per pool: NAME SIZE_BYTES
#   /var/sim/state/zfs/datasets  one line per dataset: NAME TYPE CREATION (type filesystem,
#                                volume or snapshot; creation in seconds since the epoch)
#   /var/sim/state/zfs/props     NAME<TAB>PROPERTY<TAB>VALUE, the properties set locally
#   /var/sim/state/zfs/received  the same for received values (zfs receive of a -R stream): a
#                                local value overrides one, source "received" otherwise
#   /var/sim/state/zfs/mounted   NAME yes|no: a mount state chosen by zfs mount/umount, which
#                                differs from what the properties give (until the next boot);
#                                made by the first such command, so reading writes nothing
#   /var/sim/state/zfs/data/ENC  the files of an unmounted filesystem (ENC: the name, / as %)
#   /var/sim/state/zfs/covered/ENC  what a mount covers (the files already in its directory)
# Mountpoints are real directories of the host's view; a mounted filesystem's files are simply
# the files under its mountpoint (the simulator has one file system per host). Unmounting moves
# them out of sight into data/ENC, mounting moves them back — as on FreeBSD, where they live in
# the dataset and not in the directory. A snapshot's files are a copy kept where zfs(8) shows
# them, MOUNTPOINT/.zfs/snapshot/SNAP (docs/freebsd/zfs.md).
# Inside a jail the pools are the host's, mounted there by jail(8) (sim/tools/lib/jail.sh).
if [ -f /var/sim/jail ]; then SIM_ZFS=${SIM_ZFS:-/var/sim/zfs}; else SIM_ZFS=${SIM_ZFS:-/var/sim/state/zfs}; fi
# attachments of `zfs jail` live as long as the jail, so in the kernel's run state: JID NAME
SIM_ZFS_JAILED=${SIM_RUN:-/var/sim/run}/zfs-jailed

# sim_zfs_init: make the state files exist.
sim_zfs_init() {
	mkdir -p "$SIM_ZFS"
	[ -f "$SIM_ZFS/pools" ] || : >"$SIM_ZFS/pools"
	[ -f "$SIM_ZFS/datasets" ] || : >"$SIM_ZFS/datasets"
	[ -f "$SIM_ZFS/props" ] || : >"$SIM_ZFS/props"
	[ -f "$SIM_ZFS/received" ] || : >"$SIM_ZFS/received"
}

# sim_zfs_exists NAME: is NAME a dataset (or snapshot) the caller can see? In a jail the kernel
# answers ENOENT for every dataset the jail does not see (sim_zfs_visible).
sim_zfs_exists() {
	awk -v n="$1" '$1 == n { f = 1 } END { exit !f }' "$SIM_ZFS/datasets" || return 1
	[ ! -f /var/sim/jail ] || [ -n "$(sim_zfs_visible "$1")" ]
}

# sim_zfs_type NAME: filesystem, volume or snapshot.
sim_zfs_type() { awk -v n="$1" '$1 == n { print $2 }' "$SIM_ZFS/datasets"; }

# sim_zfs_pool_exists POOL
sim_zfs_pool_exists() { awk -v n="$1" '$1 == n { f = 1 } END { exit !f }' "$SIM_ZFS/pools"; }

# sim_zfs_table [-p]: every property of every dataset, one line each:
# NAME<TAB>PROPERTY<TAB>VALUE<TAB>SOURCE, datasets in name order, properties in zfs(8)'s order.
# -p prints numbers exactly (bytes, seconds) instead of zfs_nicenum's 5-character form.
sim_zfs_table() {
	_parsable=0; [ "${1:-}" = -p ] && _parsable=1
	# OpenZFS (FreeBSD 13 and later) prints bytes with a B (0B, 512B); 12.x's ZFS without (0, 512)
	_b=B; [ "$(sim_freebsd_major)" -lt 13 ] && _b=
	awk -F'\t' -v parsable="$_parsable" -v byteunit="$_b" -v pools="$SIM_ZFS/pools" -v datasets="$SIM_ZFS/datasets" -v mounts="$SIM_ZFS/mounted" -v received="$SIM_ZFS/received" '
	function nice(n,   u, i, s, p, units) {
		if (parsable) return sprintf("%.0f", n)
		split("K M G T P E", units, " ")
		u = 0; while (n >= 1024 ^ (u + 1) && u < 6) u++
		if (u == 0) return sprintf("%.0f%s", n, byteunit)
		if (n % (1024 ^ u) == 0) return sprintf("%.0f%s", n / 1024 ^ u, units[u])
		for (p = 2; p >= 0; p--) { s = sprintf("%.*f%s", p, n / 1024 ^ u, units[u]); if (length(s) <= 5) break }
		return s
	}
	function bytes(v,   m, u) {
		m = v; u = toupper(substr(v, length(v)))
		if (u ~ /[KMGTPE]/) { m = substr(v, 1, length(v) - 1); return m * 1024 ^ index("KMGTPE", u) }
		return v + 0
	}
	function parent(n,   i) { i = n; sub(/\/[^\/]*$/, "", i); return i == n ? "" : i }
	# a value set on the dataset itself: local, else received (dsl_prop.c: local overrides received)
	function localv(n, p) { return ((n SUBSEP p) in local) ? local[n, p] : (((n SUBSEP p) in recv) ? recv[n, p] : "") }
	function has(n, p) { return ((n SUBSEP p) in local) || ((n SUBSEP p) in recv) }
	function own(n, p) { return ((n SUBSEP p) in local) ? "local" : "received" }
	# an inheritable property: local, else the nearest ancestor that sets it, else the default
	function inh(n, p, dflt,   a) {
		if (has(n, p)) { src = own(n, p); return localv(n, p) }
		for (a = parent(n); a != ""; a = parent(a)) if (has(a, p)) { src = "inherited from " a; return localv(a, p) }
		src = "default"; return dflt
	}
	function emit(n, p, v, s) { printf "%s\t%s\t%s\t%s\n", n, p, v, s }
	function mountpoint(n,   a, rel, v) {
		if (has(n, "mountpoint")) { src = own(n, "mountpoint"); return localv(n, "mountpoint") }
		rel = ""
		for (a = n; a != ""; a = parent(a)) {
			if (has(a, "mountpoint")) {
				v = localv(a, "mountpoint"); src = "inherited from " a
				if (v == "none" || v == "legacy") return v
				return (v == "/" ? "" : v) rel
			}
			rel = "/" substr(a, length(parent(a)) + (parent(a) == "" ? 1 : 2)) rel
		}
		src = "default"; return rel
	}
	BEGIN {
		while ((getline line < pools) > 0) { split(line, f, " "); poolsize[f[1]] = f[2] }
		while ((getline line < datasets) > 0) { split(line, f, " "); order[++count] = f[1]; type[f[1]] = f[2]; created[f[1]] = f[3] }
		while ((getline line < mounts) > 0) { split(line, f, " "); chosen[f[1]] = f[2] }
		while ((getline line < received) > 0) { split(line, f, "\t"); recv[f[1], f[2]] = f[3]; if (f[2] ~ /:/) user[f[2]] = 1 }
	}
	{ local[$1, $2] = $3; if ($2 ~ /:/) user[$2] = 1; if ($2 == "origin") clones[$3] = clones[$3] (clones[$3] == "" ? "" : ",") $1 }
	END {
		for (i = 1; i <= count; i++) {
			n = order[i]; t = type[n]; base = n; sub(/@.*/, "", base); pool = base; sub(/\/.*/, "", pool)
			fs = (t == "filesystem"); vol = (t == "volume"); snap = (t == "snapshot")
			volsize = vol ? bytes(localv(n, "volsize")) : 0
			sparse = vol && !has(n, "refreservation")
			used = vol ? (sparse ? 57344 : volsize + 57344) : (snap ? 0 : 98304)
			refer = vol ? 57344 : 98304
			emit(n, "type", t, "-")
			emit(n, "creation", parsable ? created[n] : strftime("%a %b %e %H:%M %Y", created[n], 1), "-")
			emit(n, "used", nice(used), "-")
			if (!snap) emit(n, "available", nice(poolsize[pool] * 0.96 - 12884901888), "-")
			emit(n, "referenced", nice(refer), "-")
			emit(n, "compressratio", parsable ? "1.00" : "1.00x", "-")
			if (fs) {
				mp = mountpoint(base); mpsrc = src
				cm = has(n, "canmount") ? localv(n, "canmount") : "on"
				# noauto: mounted only by hand, or as the boot environment that is /
				m = (cm == "on" || (cm == "noauto" && mp == "/")) ? "yes" : "no"
				# jailed=on: the host never mounts it (libzfs zfs_is_mountable); a jail may
				if (inh(n, "jailed", "off") == "on") m = "no"
				if (n in chosen) m = chosen[n]
				emit(n, "mounted", (m == "yes" && cm != "off" && mp != "none" && mp != "legacy") ? "yes" : "no", "-")
			}
			emit(n, "origin", has(n, "origin") ? localv(n, "origin") : "-", "-")
			if (snap) emit(n, "clones", (n in clones) ? clones[n] : "", "-")
			if (fs) {
				v = has(n, "quota") ? localv(n, "quota") : "none"; emit(n, "quota", v, has(n, "quota") ? own(n, "quota") : "default")
				v = has(n, "reservation") ? localv(n, "reservation") : "none"; emit(n, "reservation", v, has(n, "reservation") ? own(n, "reservation") : "default")
				v = inh(n, "recordsize", "128K"); emit(n, "recordsize", v, src)
				emit(n, "mountpoint", mp, mpsrc)
				v = inh(n, "sharenfs", "off"); emit(n, "sharenfs", v, src)
			}
			if (vol) { emit(n, "volsize", nice(volsize), "local"); emit(n, "volblocksize", has(n, "volblocksize") ? localv(n, "volblocksize") : "8K", has(n, "volblocksize") ? own(n, "volblocksize") : "default") }
			if (!snap) {
				v = inh(base, "checksum", "on"); emit(n, "checksum", v, src)
				v = inh(base, "compression", "off"); emit(n, "compression", v, src)
			}
			if (fs) {
				v = inh(n, "atime", "on"); emit(n, "atime", v, src)
				v = inh(n, "devices", "on"); emit(n, "devices", v, src)
				v = inh(n, "exec", "on"); emit(n, "exec", v, src)
				v = inh(n, "setuid", "on"); emit(n, "setuid", v, src)
			}
			if (!snap) { v = inh(base, "readonly", "off"); emit(n, "readonly", v, src) }
			if (fs) {
				v = inh(n, "jailed", "off"); emit(n, "jailed", v, src)
				v = inh(n, "snapdir", "hidden"); emit(n, "snapdir", v, src)
				emit(n, "canmount", has(n, "canmount") ? localv(n, "canmount") : "on", has(n, "canmount") ? own(n, "canmount") : "default")
			}
			if (!snap) {
				v = inh(base, "copies", "1"); emit(n, "copies", v, src)
				if (fs) { v = has(n, "refquota") ? localv(n, "refquota") : "none"; emit(n, "refquota", v, has(n, "refquota") ? own(n, "refquota") : "default") }
				v = has(n, "refreservation") ? localv(n, "refreservation") : "none"; emit(n, "refreservation", v, has(n, "refreservation") ? own(n, "refreservation") : "default")
				v = inh(base, "sync", "standard"); emit(n, "sync", v, src)
				v = inh(base, "dedup", "off"); emit(n, "dedup", v, src)
			}
			if (vol) { v = inh(n, "volmode", "default"); emit(n, "volmode", v, src) }
			for (p in user) { v = inh(base, p, "-"); if (src != "default") emit(n, p, v, src) }
			if (fs) emit(n, "encryption", "off", "default")
		}
	}' "$SIM_ZFS/props"
}

# sim_zfs_mountpoint NAME: where NAME is mounted, empty when it is not (canmount off, none, legacy).
sim_zfs_mountpoint() {
	sim_zfs_table | awk -F'\t' -v n="$1" '$1 == n && $2 == "mounted" { m = $3 } $1 == n && $2 == "mountpoint" { p = $3 }
		END { if (m == "yes") print p }'
}

# sim_zfs_settable TABLE NAME PROP [VALUE]: set (with VALUE) or drop NAME's PROP in one of the
# property tables, `props` (local values) or `received` (values of zfs receive).
sim_zfs_settable() {
	awk -F'\t' -v n="$2" -v p="$3" '!($1 == n && $2 == p)' "$SIM_ZFS/$1" >"$SIM_ZFS/$1.$$"
	[ $# -lt 4 ] || printf '%s\t%s\t%s\n' "$2" "$3" "$4" >>"$SIM_ZFS/$1.$$"
	mv "$SIM_ZFS/$1.$$" "$SIM_ZFS/$1"
}
# sim_zfs_setprop NAME PROP VALUE / sim_zfs_unsetprop NAME PROP: local properties.
sim_zfs_setprop() { sim_zfs_settable props "$1" "$2" "$3"; }
sim_zfs_unsetprop() { sim_zfs_settable props "$1" "$2"; }
# sim_zfs_setrecv NAME PROP VALUE / sim_zfs_unsetrecv NAME PROP: received values. `zfs inherit`
# without -S also hides the received value (dsl_prop.c ZPROP_SRC_INHERITED writes PROP$inherit);
# the simulator forgets it instead, which zfs get shows the same way.
sim_zfs_setrecv() { sim_zfs_settable received "$1" "$2" "$3"; }
sim_zfs_unsetrecv() { sim_zfs_settable received "$1" "$2"; }

# sim_zfs_add NAME TYPE: a new dataset, kept in name order (children after their parent).
# The fourth field counts creations (the installer's datasets have none: 0), so that snapshots
# can be ordered as their transaction groups are (zfs promote takes those up to the origin).
sim_zfs_add() {
	_seq=$(awk '($4 + 0) > m { m = $4 + 0 } END { print m + 1 }' "$SIM_ZFS/datasets")
	{ cat "$SIM_ZFS/datasets"; echo "$1 $2 $(date +%s) $_seq"; } | LC_ALL=C sort -k1,1 >"$SIM_ZFS/datasets.$$"
	mv "$SIM_ZFS/datasets.$$" "$SIM_ZFS/datasets"
}

# sim_zfs_seq NAME: its creation count.
sim_zfs_seq() { awk -v n="$1" '$1 == n { print $4 + 0 }' "$SIM_ZFS/datasets"; }

# sim_zfs_remove NAME: forget a dataset and its local properties.
sim_zfs_remove() {
	awk -v n="$1" '$1 != n' "$SIM_ZFS/datasets" >"$SIM_ZFS/datasets.$$" && mv "$SIM_ZFS/datasets.$$" "$SIM_ZFS/datasets"
	awk -F'\t' -v n="$1" '$1 != n' "$SIM_ZFS/props" >"$SIM_ZFS/props.$$" && mv "$SIM_ZFS/props.$$" "$SIM_ZFS/props"
	awk -F'\t' -v n="$1" '$1 != n' "$SIM_ZFS/received" >"$SIM_ZFS/received.$$" && mv "$SIM_ZFS/received.$$" "$SIM_ZFS/received"
	[ ! -f "$SIM_ZFS/mounted" ] || { awk -v n="$1" '$1 != n' "$SIM_ZFS/mounted" >"$SIM_ZFS/mounted.$$" && mv "$SIM_ZFS/mounted.$$" "$SIM_ZFS/mounted"; }
	rm -rf "$SIM_ZFS/data/$(sim_zfs_enc "$1")"
}

# sim_zfs_descendants NAME: its children, grandchildren and snapshots (deepest first).
sim_zfs_descendants() {
	awk -v n="$1" 'index($1, n "/") == 1 || index($1, n "@") == 1 { print $1 }' "$SIM_ZFS/datasets" | LC_ALL=C sort -r
}

# sim_zfs_mountprop NAME: the mountpoint property (a path, none or legacy), mounted or not.
sim_zfs_mountprop() {
	sim_zfs_table | awk -F'\t' -v n="$1" '$1 == n && $2 == "mountpoint" { print $3 }'
}

# sim_zfs_jailed NAME: on when NAME's jailed property (inherited) is on.
sim_zfs_jailed() {
	awk -F'\t' -v n="$1" '$2 == "jailed" { v[$1] = $3 }
		END { for (a = n; a != ""; ) { if (a in v) { print v[a]; exit } if (a !~ /\//) break; sub(/\/[^\/]*$/, "", a) } print "off" }' "$SIM_ZFS/props"
}

# sim_zfs_visible NAME: what the caller may do with dataset NAME, as spl_zone.c's
# zone_dataset_visible decides (docs/freebsd/zfs.md "Datasets in a jail"): "rw" on the host, and
# in a jail for a dataset `zfs jail` attached to it, anything below one and their snapshots; "ro"
# for the parents of an attached dataset; nothing (empty) for every other dataset.
sim_zfs_visible() { echo "$1" | sim_zfs_visible_filter -v | cut -f2; }

# sim_zfs_visible_filter [-v]: the dataset names on stdin that the caller sees (all of them on the
# host); with -v each followed by a tab and rw or ro.
sim_zfs_visible_filter() {
	if [ ! -f /var/sim/jail ]; then
		if [ "${1:-}" = -v ]; then sed 's/$/\trw/'; else cat; fi
		return 0
	fi
	_jid=$(sed -n 's/^jail_jid="\(.*\)"$/\1/p' /var/sim/jail)
	awk -v j="$_jid" -v att="$SIM_ZFS_JAILED" -v tag="${1:-}" '
		BEGIN { while ((getline l < att) > 0) { split(l, f, " "); if (f[1] == j) d[++k] = f[2] } }
		{
			n = $0; how = ""
			for (i = 1; i <= k; i++) if (n == d[i] || index(n, d[i] "/") == 1 || index(n, d[i] "@") == 1) how = "rw"
			if (how == "") for (i = 1; i <= k; i++) if (index(d[i], n "/") == 1) how = "ro"
			if (how != "") print (tag == "-v" ? n "\t" how : n)
		}'
}

# sim_zfs_owned PATH: a directory the host owns. A mountpoint is made and its files are moved
# only there: the rest of / is the machine's, shared by every host and sandbox.
sim_zfs_owned() {
	# in a jail: anything of its root but the Linux directories and simulator mounts it borrows
	if [ -f /var/sim/jail ]; then
		case $1 in /|/bin|/bin/*|/sbin|/sbin/*|/lib*|/usr/bin*|/usr/sbin*|/usr/lib*|/usr/libexec*|/usr/share*|/usr/local/freebsd*|/var/sim/*|/dev|/dev/*|/etc/alternatives*) return 1 ;; esac
		return 0
	fi
	case $1 in
	/etc/*|/usr/local/*|/boot/*|/usr/src/*|/var/*|/root/*) return 0 ;;
	/zroot/*) mountpoint -q /zroot ;;
	*) return 1 ;;
	esac
}

sim_zfs_enc() { printf '%s' "$1" | tr / %; }

# sim_zfs_files NAME: where the files of file system NAME are now: its mountpoint while it is
# mounted (in a directory the host owns), else data/ENC; empty for a volume or an unowned place.
sim_zfs_files() {
	[ "$(sim_zfs_type "$1")" = filesystem ] || return 0
	_mp=$(sim_zfs_mountpoint "$1")
	if [ -n "$_mp" ]; then sim_zfs_owned "$_mp" && echo "$_mp"; return 0; fi
	echo "$SIM_ZFS/data/$(sim_zfs_enc "$1")"
}

# sim_zfs_choose NAME yes|no: record a mount state zfs mount/umount chose.
sim_zfs_choose() {
	[ -f "$SIM_ZFS/mounted" ] || : >"$SIM_ZFS/mounted"
	awk -v n="$1" '$1 != n' "$SIM_ZFS/mounted" >"$SIM_ZFS/mounted.$$"
	echo "$1 $2" >>"$SIM_ZFS/mounted.$$"
	mv "$SIM_ZFS/mounted.$$" "$SIM_ZFS/mounted"
}

# sim_zfs_move FROM TO: every entry of directory FROM (dot files too) into TO.
sim_zfs_move() {
	[ -d "$1" ] || return 0
	mkdir -p "$2"
	find "$1" -mindepth 1 -maxdepth 1 -exec mv -t "$2" {} + 2>/dev/null
	rmdir "$1" 2>/dev/null
	return 0
}

# Overlay mounts: OpenZFS mounts over a non-empty directory unless the overlay property is off
# (lib/libzfs/libzfs_mount.c zfs_mount_at, "Overlay mounts are enabled by default"), so a file
# system can be mounted where another one already is (zfs receive of a -R stream whose received
# mountpoint is the sent dataset's: Bastille's thick jails). Files under a mounted file system
# may be the sources of a running jail's bind mounts, which cannot be moved; such a mount is a
# real bind mount of data/ENC instead, recorded in the kernel's run state (gone at boot):
SIM_ZFS_OVERLAYS=${SIM_RUN:-/var/sim/run}/zfs-overlays

# sim_zfs_over NAME MOUNTPOINT: another mounted file system has MOUNTPOINT.
sim_zfs_over() {
	sim_zfs_table | awk -F'\t' -v n="$1" -v p="$2" '$2 == "mounted" { m[$1] = $3 } $2 == "mountpoint" && $3 == p && $1 != n { c[$1] = 1 }
		END { for (x in c) if (m[x] == "yes") f = 1; exit !f }'
}

# sim_zfs_attach NAME MOUNTPOINT: the files appear at MOUNTPOINT, covering what was there.
sim_zfs_attach() {
	sim_zfs_owned "$2" || return 0
	_e=$(sim_zfs_enc "$1")
	mkdir -p "$2"
	if sim_zfs_over "$1" "$2"; then
		mkdir -p "$SIM_ZFS/data/$_e" && mount --bind "$SIM_ZFS/data/$_e" "$2" && echo "$1 $2" >>"$SIM_ZFS_OVERLAYS"
		return 0
	fi
	[ -n "$(ls -A "$2" 2>/dev/null)" ] && sim_zfs_move "$2" "$SIM_ZFS/covered/$_e" && mkdir -p "$2"
	sim_zfs_move "$SIM_ZFS/data/$_e" "$2"
	return 0
}

# sim_zfs_detach NAME MOUNTPOINT: the files go out of sight; the directory stays (zfs unmount
# leaves it), holding again what the mount covered.
sim_zfs_detach() {
	sim_zfs_owned "$2" || return 0
	_e=$(sim_zfs_enc "$1")
	if [ -f "$SIM_ZFS_OVERLAYS" ] && grep -qxF "$1 $2" "$SIM_ZFS_OVERLAYS"; then
		umount "$2" && grep -vxF "$1 $2" "$SIM_ZFS_OVERLAYS" >"$SIM_ZFS_OVERLAYS.$$"; mv "$SIM_ZFS_OVERLAYS.$$" "$SIM_ZFS_OVERLAYS"
		return 0
	fi
	sim_zfs_move "$2" "$SIM_ZFS/data/$_e"
	mkdir -p "$2"
	sim_zfs_move "$SIM_ZFS/covered/$_e" "$2"
	return 0
}

# sim_zfs_boot: rc.d/zfs (`zfs mount -a`) on a new kernel: every file system mounts as its
# properties say; the states zfs mount/umount chose by hand are forgotten.
sim_zfs_boot() {
	[ -s "$SIM_ZFS/mounted" ] || return 0
	_chosen=$(cat "$SIM_ZFS/mounted")
	: >"$SIM_ZFS/mounted"
	# the hand-mounted noauto ones go first, children before parents; then the unmounted ones
	# come back, parents before children (a child's mountpoint is a directory of its parent)
	printf '%s\n' "$_chosen" | awk '$2 == "yes" { print $1 }' | LC_ALL=C sort -r | while read -r _n; do
		sim_zfs_exists "$_n" && [ -z "$(sim_zfs_mountpoint "$_n")" ] && sim_zfs_detach "$_n" "$(sim_zfs_mountprop "$_n")"
	done
	printf '%s\n' "$_chosen" | awk '$2 == "no" { print $1 }' | LC_ALL=C sort | while read -r _n; do
		sim_zfs_exists "$_n" && _mp=$(sim_zfs_mountpoint "$_n") && [ -n "$_mp" ] && sim_zfs_attach "$_n" "$_mp"
	done
	return 0
}
