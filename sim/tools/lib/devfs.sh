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
# ruleset N there while the include depth lasts (sim_devfs_rule_depth). Ruleset 0 has no rules.
# Patterns are fnmatch(3) globs with FNM_PATHNAME ('*' does not cross '/').
sim_devfs_visible() {
	[ "$(sim_devfs_visible_devices "$1" "$2")" = "$2" ]
}

# sim_devfs_rule_depth: the kernel's vfs.devfs.rule_depth, how deep includes are followed
# (sys/fs/devfs/devfs_devs.c: `unsigned devfs_rule_depth = 1`, writable; every boot starts at 1).
# devfs_rule.c runs a mount's ruleset with this depth and follows an "include M" only while the
# depth is above 0, running M's rules with depth - 1 (devfs_rule_run): with the default 1 a
# ruleset's own includes are followed, an include inside an included ruleset is not.
sim_devfs_rule_depth() {
	_d=1
	[ -s "$SIM_RUN/devfs_rule_depth" ] && read -r _d <"$SIM_RUN/devfs_rule_depth"
	echo "$_d"
}

# SIM_DEVFS_NODES: the FreeBSD device names the simulator knows (vmm/guest stands for the
# per-guest nodes under /dev/vmm/, nmdm0A for nmdm pairs, tap0 for tap interfaces; vmmctl only
# exists on 15.0 kernels, sim_dev_exists).
SIM_DEVFS_NODES="null zero random urandom crypto log ptmx pts fd stdin stdout stderr console ctty mem kmem io pci vmm vmm/guest vmm.io vmmctl nmdm0A nmdm0B tap0 bpf bpf0 pf fuse zfs"

# sim_devfs_visible_devices RULESET [NAMES [VISIBLE]]: prints the NAMES (default
# SIM_DEVFS_NODES) visible under RULESET, space-separated (what the jail tools record as
# jail_devices at jail start). Every name starts visible, as a node does when devfs creates it;
# with VISIBLE given ("-" for none), only the names in it start visible and the others hidden:
# that is DEVFSIO_SAPPLY on a mounted devfs (devfs_ruleset_applydm), which runs the ruleset's
# rules over the mount's current state, so a node no rule matches keeps its state.
sim_devfs_visible_devices() {
	_dir=$(sim_devfs_dir)
	( cd "$_dir" && ls | while read -r _f; do case $_f in *[!0-9]*) continue ;; esac; sed "s/^/$_f /" "$_f"; done ) |
	awk -v rs="$1" -v names="${2:-$SIM_DEVFS_NODES}" -v start="${3-all}" -v maxdepth="$(sim_devfs_rule_depth)" '
		{ n = ++cnt[$1]; rule[$1, n] = $0 }
		function glob2re(g,   i, c, r) { r = "^"
			for (i = 1; i <= length(g); i++) { c = substr(g, i, 1)
				if (c == "*") r = r "[^/]*"; else if (c == "?") r = r "[^/]"
				else if (index(".[]()+{}^$|\\", c)) r = r "\\" c; else r = r c }
			return r "$" }
		# ev: devfs_ruleset_applyde; depth is what is left of vfs.devfs.rule_depth
		function ev(set, dev, st, depth,   i, k, w, nw, pat, act, inc) {
			for (i = 1; i <= cnt[set]; i++) {
				nw = split(rule[set, i], w, " "); pat = ""; act = ""; inc = ""
				for (k = 3; k <= nw; k++) {
					if (w[k] == "path") { pat = w[k + 1]; k++ }
					else if (w[k] == "type") k++
					else if (w[k] == "include") { inc = w[k + 1]; k++ }
					else if (w[k] == "hide" || w[k] == "unhide") act = w[k]
				}
				# devfs_rule_run: a rule that does not match the node does nothing; one that
				# does hides or unhides it, then runs its include while depth is left
				if (pat != "" && dev !~ glob2re(pat)) continue
				if (act != "") st = (act == "hide") ? "hidden" : "visible"
				if (inc != "" && depth > 0) st = ev(inc, dev, st, depth - 1)
			}
			return st
		}
		END { m = split(names, nm, " "); out = ""
			if (start != "all") { k = split(start, sv, " "); for (j = 1; j <= k; j++) vis[sv[j]] = 1 }
			for (j = 1; j <= m; j++) {
				st0 = (start == "all" || (nm[j] in vis)) ? "visible" : "hidden"
				if (ev(rs, nm[j], st0, maxdepth + 0) == "visible") out = out (out == "" ? "" : " ") nm[j]
			}
			print out }'
}

# sim_devfs_load_files FILE...: what rc.subr's devfs_init_rulesets does with `devfs rule`
# calls, in one awk pass (a fleet boots hundreds of hosts): for each "[name=N]" line the
# ruleset N is emptied (delset) and $name becomes N; every other line, its "#" comment cut,
# $variables expanded and quotes removed (the eval), is added to the current ruleset with the
# next number (last + 100). A bad line prints devfs's message and stops, as the rc.subr loop
# does; then this prints rc.subr's WARNING for that file and returns 1. Missing files are
# skipped. WARNPREFIX (e.g. "/etc/rc.d/devfs") starts the warning.
sim_devfs_load_files() {
	_dir=$(sim_devfs_dir)
	_files=
	for _f; do [ -e "$_f" ] && _files="$_files $_f"; done
	[ -z "$_files" ] && return 0
	# shellcheck disable=SC2086
	awk -v dir="$_dir" -v warnprefix="${WARNPREFIX:-$0}" '
		function fail(msg) { print "devfs rule: " msg > "/dev/stderr"; bad = 1 }
		function spec(line,   w, n, i, num, type, path, act, user, group, mode, inc, out) {
			n = split(line, w, /[ \t]+/); i = 1
			if (w[1] == "add") i = 2
			else { fail("unknown command: " w[1]); return "" }
			num = 0
			if (w[i] ~ /^[0-9]+$/) { num = w[i]; i++ }
			if (i > n) { fail("unexpected end of rulespec"); return "" }
			for (; i <= n; i++) {
				if (w[i] == "type") { if (i == n) { fail("expecting argument for type"); return "" } type = type " type " w[++i] }
				else if (w[i] == "path") { if (i == n) { fail("expecting argument for path"); return "" } path = w[++i] }
				else if (w[i] == "hide" || w[i] == "unhide") act = w[i]
				else if (w[i] == "user") { if (i == n) { fail("expecting argument for user"); return "" } user = w[++i] }
				else if (w[i] == "group") { if (i == n) { fail("expecting argument for group"); return "" } group = w[++i] }
				else if (w[i] == "mode") { if (i == n) { fail("expecting argument for mode"); return "" } mode = w[++i] }
				else if (w[i] == "include") { if (i == n) { fail("expecting argument for include"); return "" } inc = w[++i] }
				else { fail("unknown argument: " w[i]); return "" }
			}
			out = substr(type, 2)
			if (path != "") out = out (out == "" ? "" : " ") "path " path
			if (act != "") out = out (out == "" ? "" : " ") act
			if (user != "") out = out (out == "" ? "" : " ") "user " user
			if (group != "") out = out (out == "" ? "" : " ") "group " group
			if (mode != "") out = out (out == "" ? "" : " ") "mode " mode
			if (inc != "") out = out (out == "" ? "" : " ") "include " inc
			if (num == 0) num = last[set] + 100
			if (num > last[set]) last[set] = num
			return num " " out
		}
		FNR == 1 { if (bad) exit }
		bad { next }
		{ line = $0; sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line) }
		line ~ /^#/ { next }
		line ~ /^\[.*\]/ {
			if (!match(line, /=[0-9]*\]/) || RLENGTH < 3) { print warnprefix ": WARNING: devfs_rulesets_from_file: cannot extract rule number (" line ")" > "/dev/stderr"; bad = 1; badfile = FILENAME; next }
			set = substr(line, RSTART + 1, RLENGTH - 2); name = substr(line, 2, RSTART - 2)
			var[name] = set; file = dir "/" set
			if (file in opened) close(file)
			printf "" > file; opened[file] = 1; last[set] = 0
			next
		}
		{
			sub(/#.*/, "", line); sub(/[ \t]+$/, "", line)
			if (line == "") next
			while (match(line, /\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/)) {
				v = substr(line, RSTART, RLENGTH); gsub(/[${}]/, "", v)
				line = substr(line, 1, RSTART - 1) var[v] substr(line, RSTART + RLENGTH)
			}
			gsub(/["\047]/, "", line)
			r = spec(line)
			if (bad) { badfile = FILENAME; next }
			file = dir "/" set; opened[file] = 1
			print r >> file
		}
		END {
			if (bad) { print warnprefix ": WARNING: devfs_init_rulesets: could not read rules from " badfile > "/dev/stderr"; exit 1 }
		}' $_files
}
