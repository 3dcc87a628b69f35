# devfs rulesets of the simulated kernel: /var/sim/run/devfs/N holds ruleset N, one rule per
# line exactly as `devfs rule -s N show` prints it (sbin/devfs/rule.c rulespec_outfp).
# Needs common.sh.

# sim_devfs_dir: the directory of the kernel's rulesets (created on demand).
sim_devfs_dir() { mkdir -p "$SIM_RUN/devfs" 2>/dev/null; echo "$SIM_RUN/devfs"; }

# sim_devfs_sets: the existing ruleset numbers, ascending, one per line.
sim_devfs_sets() {
	ls "$SIM_RUN/devfs" 2>/dev/null | while read -r _f; do
		case $_f in *[!0-9]*) continue ;; esac
		[ -s "$SIM_RUN/devfs/$_f" ] && echo "$_f"
	done | sort -n
}

# sim_devfs_delset N: deletes every rule of ruleset N.
sim_devfs_delset() { rm -f "$(sim_devfs_dir)/$1"; }

# sim_devfs_add N RULENUM TEXT: inserts the rule "RULENUM TEXT" into ruleset N in number
# order; RULENUM 0 numbers it last + 100 (devfs_rule_autonumber). Returns 17 (EEXIST) when
# the number is taken.
sim_devfs_add() {
	_f=$(sim_devfs_dir)/$1 _n=$2
	touch "$_f"
	if [ "$_n" -eq 0 ]; then
		_last=$(tail -n 1 "$_f" | awk '{ print $1 }')
		_n=$(( ${_last:-0} + 100 ))
	elif awk -v n="$_n" '$1 == n { f = 1 } END { exit !f }' "$_f"; then
		return 17
	fi
	{ cat "$_f"; echo "$_n $3"; } | sort -n -k1,1 >"$_f.$$" && mv "$_f.$$" "$_f"
}

# sim_devfs_visible RULESET DEVNAME: true when /dev/DEVNAME is visible under RULESET: every
# node starts visible, each matching rule's hide/unhide applies in order, "include N" applies
# ruleset N there (devfs_rule.c). Ruleset 0 has no rules. Patterns are fnmatch(3) globs with
# FNM_PATHNAME ('*' does not cross '/').
sim_devfs_visible() {
	[ "$(sim_devfs_visible_devices "$1" "$2")" = "$2" ]
}

# SIM_DEVFS_NODES: the FreeBSD device names the simulator knows (vmm/guest stands for the
# per-guest nodes under /dev/vmm/, nmdm0A for nmdm pairs, tap0 for tap interfaces).
SIM_DEVFS_NODES="null zero random urandom crypto log ptmx pts fd stdin stdout stderr console ctty mem kmem io pci vmm vmm/guest vmm.io nmdm0A nmdm0B tap0 bpf bpf0 pf fuse zfs"

# sim_devfs_visible_devices RULESET [NAMES]: prints the NAMES (default SIM_DEVFS_NODES) visible
# under RULESET, space-separated (what the jail tools record as jail_devices at jail start).
sim_devfs_visible_devices() {
	_dir=$(sim_devfs_dir)
	( cd "$_dir" && ls | while read -r _f; do case $_f in *[!0-9]*) continue ;; esac; sed "s/^/$_f /" "$_f"; done ) |
	awk -v rs="$1" -v names="${2:-$SIM_DEVFS_NODES}" '
		{ n = ++cnt[$1]; rule[$1, n] = $0 }
		function glob2re(g,   i, c, r) { r = "^"
			for (i = 1; i <= length(g); i++) { c = substr(g, i, 1)
				if (c == "*") r = r "[^/]*"; else if (c == "?") r = r "[^/]"
				else if (index(".[]()+{}^$|\\", c)) r = r "\\" c; else r = r c }
			return r "$" }
		function ev(set, dev, st, depth,   i, k, w, nw, pat, act, inc) {
			if (depth > 8) return st
			for (i = 1; i <= cnt[set]; i++) {
				nw = split(rule[set, i], w, " "); pat = ""; act = ""
				for (k = 3; k <= nw; k++) {
					if (w[k] == "path") { pat = w[k + 1]; k++ }
					else if (w[k] == "type") k++
					else if (w[k] == "include") { st = ev(w[k + 1], dev, st, depth + 1); k++ }
					else if (w[k] == "hide" || w[k] == "unhide") act = w[k]
				}
				if (act != "" && (pat == "" || dev ~ glob2re(pat))) st = (act == "hide") ? "hidden" : "visible"
			}
			return st
		}
		END { m = split(names, nm, " "); out = ""
			for (j = 1; j <= m; j++) if (ev(rs, nm[j], "visible", 0) == "visible") out = out (out == "" ? "" : " ") nm[j]
			print out }'
}
