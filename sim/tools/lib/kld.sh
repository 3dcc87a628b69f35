# Kernel linker state of the simulated kernel (/var/sim/run/kld, sim/CONTRACT.md).
# Line format: FILEID REFS ADDRESS SIZEHEX FILENAME MODULES (MODULES = modid:name,… or -).
# Needs common.sh.
. "${SIM_LIB:-/usr/local/freebsd/lib}/cpu.sh"

# sim_kld_list: prints the loaded-files table (nothing when the kernel never booted).
sim_kld_list() { [ -f "$SIM_RUN/kld" ] && cat "$SIM_RUN/kld"; return 0; }

# sim_kld_module_loaded NAME: true when module NAME is registered (what `kldstat -q -m NAME`
# tests; modules compiled into the kernel count).
sim_kld_module_loaded() {
	sim_kld_list | awk -v m="$1" '{ n = split($6, a, ","); for (i = 1; i <= n; i++) { sub(/^[0-9]+:/, "", a[i]); if (a[i] == m) f = 1 } } END { exit !f }'
}

# sim_kld_file_loaded NAME: true when a file named NAME or NAME.ko is loaded
# (linker_find_file_by_name). A path is reduced to its basename first.
sim_kld_file_loaded() { [ -n "$(sim_kld_file_line "$1")" ]; }

# sim_kld_file_line NAME: prints the table line of the loaded file NAME / NAME.ko.
sim_kld_file_line() {
	sim_kld_list | awk -v f="${1##*/}" '$5 == f || $5 == f ".ko" { print; exit }'
}

# sim_kld_modpath: the kernel's module search path (kern.module_path): the running kernel's
# directory, then /boot/modules.
sim_kld_modpath() { sim_kernel_load; echo "/boot/$kernel_name;/boot/modules"; }

# sim_kld_resolve NAME: prints the path of the .ko file kldload NAME would load, or fails.
# A name with '/' is a path; otherwise it is searched in the module path (NAME, NAME.ko).
sim_kld_resolve() {
	case $1 in
	*/*) [ -f "$1" ] && { echo "$1"; return 0; }; return 1 ;;
	esac
	_oldifs=$IFS; IFS=';'
	for _dir in $(sim_kld_modpath); do
		for _cand in "$_dir/$1" "$_dir/$1.ko"; do
			if [ -f "$_cand" ]; then IFS=$_oldifs; echo "$_cand"; return 0; fi
		done
	done
	IFS=$_oldifs
	return 1
}

# sim_ko_field FILE KEY: reads KEY=value from a simulated .ko stand-in file.
sim_ko_field() { sed -n "s/^$2=//p" "$1" | head -n 1; }

# sim_kld_load_file PATH: links the .ko stand-in PATH into the simulated kernel (after its
# `depends=` files, whose refs go up), registers its modules, prints the new file id. A module
# whose MOD_LOAD handler fails is left out (vmm on a CPU it cannot use: vmm_handler → vmx_init ENXIO,
# so the file stays loaded with only pci/ppt; see sim/README.md). If no module of the file
# could register the file is unloaded again and this returns 8 (ENOEXEC).
sim_kld_load_file() {
	_path=$1 _base=${1##*/}
	_size=$(sim_ko_field "$_path" size); : "${_size:=8000}"
	_mods=$(sim_ko_field "$_path" modules)
	_deps=$(sim_ko_field "$_path" depends)
	_kept=
	for _m in $_mods; do
		if [ "$_m" = vmm ] && sim_vmm_fault; then
			# what the kernel logs (vmx.c / svm.c via cpu.sh, kern_module.c module_register_init)
			sim_msgbuf "$vmm_fault"
			sim_msgbuf "module_register_init: MOD_LOAD (vmm, 0xffffffff82b2e9e0, 0) error $vmm_errno"
			continue
		fi
		_kept="$_kept $_m"
	done
	if [ -n "$_mods" ] && [ -z "$_kept" ]; then return 8; fi
	mkdir -p "$SIM_RUN"
	# file ids only grow (kern_linker.c linker_next_id), also after unloads
	_next=$(cat "$SIM_RUN/kld.nextid" 2>/dev/null || echo 0)
	sim_kld_list | awk -v base="$_base" -v size="$_size" -v mods="$_kept" -v nextid="$_next" '
		function hex(s,   i, c, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
			for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
			return v }
		{ print; if ($1 > maxid) maxid = $1
		  end = hex(substr($3, 11)) + hex($4); if (end > top) top = end
		  n = split($6, a, ","); for (i = 1; i <= n; i++) { split(a[i], b, ":"); if (b[1] + 0 > maxmod) maxmod = b[1] + 0 } }
		END {
			if (maxid == 0) { top = hex("80200000") }
			addr = int((top + 4095) / 4096) * 4096
			m = split(mods, mm, " "); list = ""
			for (i = 1; i <= m; i++) { maxmod++; list = list (list == "" ? "" : ",") maxmod ":" mm[i] }
			if (list == "") list = "-"
			id = maxid + 1; if (nextid + 0 > id) id = nextid + 0
			printf "%d 1 0xffffffff%08x %s %s %s\n", id, addr, size, base, list
			print id > "/dev/stderr"
		}' >"$SIM_RUN/kld.$$" 2>"$SIM_RUN/kld.id.$$" || return 5
	mv "$SIM_RUN/kld.$$" "$SIM_RUN/kld"
	_id=$(cat "$SIM_RUN/kld.id.$$"); rm -f "$SIM_RUN/kld.id.$$"
	echo $((_id + 1)) >"$SIM_RUN/kld.nextid"
	# then its dependencies (linker_load_dependencies): linked after it, or one more reference
	for _dep in $_deps; do
		if sim_kld_file_loaded "$_dep.ko"; then
			sim_kld_ref_file "$_dep.ko" >/dev/null
		elif _dpath=$(sim_kld_resolve "$_dep"); then
			( sim_kld_load_file "$_dpath" >/dev/null )
		fi
	done
	echo "$_id"
}

# sim_kld_ref_file NAME: a second load of an already linked file: refs + 1 (linker_load_file
# finds the file by name and only counts the reference); prints its id.
sim_kld_ref_file() {
	_tmp=$SIM_RUN/kld.$$
	sim_kld_list | awk -v f="${1##*/}" '($5 == f || $5 == f ".ko") && !done { $2 = $2 + 1; done = 1 } { print }' >"$_tmp" && mv "$_tmp" "$SIM_RUN/kld"
	sim_kld_file_line "$1" | awk '{ print $1 }'
}

# sim_kld_unload_id ID: drops file ID (refs - 1; removed at 0, then its `depends=` files are
# released the same way, as linker_file_unload drops its dependencies' references).
sim_kld_unload_id() {
	_line=$(sim_kld_list | awk -v id="$1" '$1 == id')
	[ -n "$_line" ] || return 0
	_tmp=$SIM_RUN/kld.$$
	sim_kld_list | awk -v id="$1" '$1 == id { if ($2 > 1) { $2 = $2 - 1; print }; next } { print }' >"$_tmp" && mv "$_tmp" "$SIM_RUN/kld"
	set -- $_line
	[ "$2" -gt 1 ] && return 0
	_ko=$(sim_kld_resolve "$5") || return 0
	for _dep in $(sim_ko_field "$_ko" depends); do
		_did=$(sim_kld_file_line "$_dep" | awk '{ print $1 }')
		[ -n "$_did" ] && sim_kld_unload_id "$_did"
	done
	return 0
}

# sim_vmm_can_init: true when vmm's MOD_LOAD succeeds on this machine (cpu.sh sim_vmm_fault).
sim_vmm_can_init() { ! sim_vmm_fault; }

# sim_vmm_loaded: true when vmm.ko is linked (its sysctls hw.vmm.* and allow.vmm exist, even
# when the vmm module itself failed to initialise).
sim_vmm_loaded() { sim_kld_file_loaded vmm.ko; }
