# Shared ZFS state of the simulated kernel (docs/freebsd/zfs.md), for the zfs and zpool fakes.
# State (kept across reboots: pools and datasets live on disk):
#   /var/sim/state/zfs/pools     one line per pool: NAME SIZE_BYTES
#   /var/sim/state/zfs/datasets  one line per dataset: NAME TYPE CREATION (type filesystem,
#                                volume or snapshot; creation in seconds since the epoch)
#   /var/sim/state/zfs/props     NAME<TAB>PROPERTY<TAB>VALUE, the properties set locally
# Mountpoints are real directories of the host's view; a mounted filesystem's files are simply
# the files under its mountpoint (the simulator has one file system per host).
SIM_ZFS=${SIM_ZFS:-/var/sim/state/zfs}

# sim_zfs_init: make the state files exist.
sim_zfs_init() {
	mkdir -p "$SIM_ZFS"
	[ -f "$SIM_ZFS/pools" ] || : >"$SIM_ZFS/pools"
	[ -f "$SIM_ZFS/datasets" ] || : >"$SIM_ZFS/datasets"
	[ -f "$SIM_ZFS/props" ] || : >"$SIM_ZFS/props"
}

# sim_zfs_exists NAME: is NAME a dataset (or snapshot)?
sim_zfs_exists() { awk -v n="$1" '$1 == n { f = 1 } END { exit !f }' "$SIM_ZFS/datasets"; }

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
	awk -F'\t' -v parsable="$_parsable" -v byteunit="$_b" -v pools="$SIM_ZFS/pools" -v datasets="$SIM_ZFS/datasets" '
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
	function localv(n, p) { return ((n SUBSEP p) in local) ? local[n, p] : "" }
	function has(n, p) { return ((n SUBSEP p) in local) }
	# an inheritable property: local, else the nearest ancestor that sets it, else the default
	function inh(n, p, dflt,   a) {
		if (has(n, p)) { src = "local"; return localv(n, p) }
		for (a = parent(n); a != ""; a = parent(a)) if (has(a, p)) { src = "inherited from " a; return localv(a, p) }
		src = "default"; return dflt
	}
	function emit(n, p, v, s) { printf "%s\t%s\t%s\t%s\n", n, p, v, s }
	function mountpoint(n,   a, rel, v) {
		if (has(n, "mountpoint")) { src = "local"; return localv(n, "mountpoint") }
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
	}
	{ local[$1, $2] = $3; if ($2 ~ /:/) user[$2] = 1 }
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
				emit(n, "mounted", ((cm == "on" || (cm == "noauto" && mp == "/")) && mp != "none" && mp != "legacy") ? "yes" : "no", "-")
			}
			emit(n, "origin", has(n, "origin") ? localv(n, "origin") : "-", "-")
			if (fs) {
				v = has(n, "quota") ? localv(n, "quota") : "none"; emit(n, "quota", v, has(n, "quota") ? "local" : "default")
				v = has(n, "reservation") ? localv(n, "reservation") : "none"; emit(n, "reservation", v, has(n, "reservation") ? "local" : "default")
				v = inh(n, "recordsize", "128K"); emit(n, "recordsize", v, src)
				emit(n, "mountpoint", mp, mpsrc)
				v = inh(n, "sharenfs", "off"); emit(n, "sharenfs", v, src)
			}
			if (vol) { emit(n, "volsize", nice(volsize), "local"); emit(n, "volblocksize", has(n, "volblocksize") ? localv(n, "volblocksize") : "8K", has(n, "volblocksize") ? "local" : "default") }
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
				emit(n, "canmount", has(n, "canmount") ? localv(n, "canmount") : "on", has(n, "canmount") ? "local" : "default")
			}
			if (!snap) {
				v = inh(base, "copies", "1"); emit(n, "copies", v, src)
				if (fs) { v = has(n, "refquota") ? localv(n, "refquota") : "none"; emit(n, "refquota", v, has(n, "refquota") ? "local" : "default") }
				v = has(n, "refreservation") ? localv(n, "refreservation") : "none"; emit(n, "refreservation", v, has(n, "refreservation") ? "local" : "default")
				v = inh(base, "sync", "standard"); emit(n, "sync", v, src)
				v = inh(base, "dedup", "off"); emit(n, "dedup", v, src)
			}
			if (vol) { v = inh(n, "volmode", "default"); emit(n, "volmode", v, src) }
			for (p in user) { v = inh(base, p, "-"); if (src != "default") emit(n, p, v, src) }
		}
	}' "$SIM_ZFS/props"
}

# sim_zfs_mountpoint NAME: where NAME is mounted, empty when it is not (canmount off, none, legacy).
sim_zfs_mountpoint() {
	sim_zfs_table | awk -F'\t' -v n="$1" '$1 == n && $2 == "mounted" { m = $3 } $1 == n && $2 == "mountpoint" { p = $3 }
		END { if (m == "yes") print p }'
}

# sim_zfs_setprop NAME PROP VALUE / sim_zfs_unsetprop NAME PROP: local properties.
sim_zfs_setprop() {
	awk -F'\t' -v n="$1" -v p="$2" '!($1 == n && $2 == p)' "$SIM_ZFS/props" >"$SIM_ZFS/props.$$"
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$SIM_ZFS/props.$$"
	mv "$SIM_ZFS/props.$$" "$SIM_ZFS/props"
}
sim_zfs_unsetprop() {
	awk -F'\t' -v n="$1" -v p="$2" '!($1 == n && $2 == p)' "$SIM_ZFS/props" >"$SIM_ZFS/props.$$"
	mv "$SIM_ZFS/props.$$" "$SIM_ZFS/props"
}

# sim_zfs_add NAME TYPE: a new dataset, kept in name order (children after their parent).
sim_zfs_add() {
	{ cat "$SIM_ZFS/datasets"; echo "$1 $2 $(date +%s)"; } | LC_ALL=C sort -k1,1 >"$SIM_ZFS/datasets.$$"
	mv "$SIM_ZFS/datasets.$$" "$SIM_ZFS/datasets"
}

# sim_zfs_remove NAME: forget a dataset and its local properties.
sim_zfs_remove() {
	awk -v n="$1" '$1 != n' "$SIM_ZFS/datasets" >"$SIM_ZFS/datasets.$$" && mv "$SIM_ZFS/datasets.$$" "$SIM_ZFS/datasets"
	awk -F'\t' -v n="$1" '$1 != n' "$SIM_ZFS/props" >"$SIM_ZFS/props.$$" && mv "$SIM_ZFS/props.$$" "$SIM_ZFS/props"
}

# sim_zfs_descendants NAME: its children, grandchildren and snapshots (deepest first).
sim_zfs_descendants() {
	awk -v n="$1" 'index($1, n "/") == 1 || index($1, n "@") == 1 { print $1 }' "$SIM_ZFS/datasets" | LC_ALL=C sort -r
}
