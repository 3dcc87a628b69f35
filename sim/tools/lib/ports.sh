# The ports tree as portupgrade reads it (ports-mgmt/portupgrade, lib/pkgtools/portsdb.rb): its
# INDEX, PORTSDIR/INDEX-N for the userland's major version (the ports' INDEXFILE), one port a line
# "PKGNAME|PORTSDIR/ORIGIN|PREFIX|COMMENT|…". The simulator keeps no portsdb (INDEX.db): it reads
# the INDEX each time. Needs common.sh.

# sim_ports_dir: PORTSDIR, or /usr/ports.
sim_ports_dir() { echo "${PORTSDIR:-/usr/ports}"; }

# sim_ports_index: the INDEX file portupgrade opens.
sim_ports_index() { echo "$(sim_ports_dir)/INDEX-$(sim_freebsd_major)"; }

# sim_ports_require_index: fails as PortsDB#update_db does when there is no INDEX to read (it
# tries `make fetchindex`, then `make index`, both in PORTSDIR).
sim_ports_require_index() {
	[ -f "$(sim_ports_index)" ] && return 0
	echo "Fetching the ports index ... failed to fetch INDEX!" >&2
	echo "Updating the ports index ... failed to generate INDEX!" >&2
	echo "database file error" >&2
	return 1
}

# sim_ports_glob PATTERN: the origins (category/name) whose port matches PATTERN, a sh glob
# matched against the origin when it has a '/', else against the package name without its
# version (PortsDB#glob).
sim_ports_glob() {
	sim_ports_require_index || return 1
	_pdir="$(sim_ports_dir)/"
	while IFS='|' read -r _pkgname _path _rest; do
		_origin=${_path#"$_pdir"}
		case $1 in
		*/*) case $_origin in $1) echo "$_origin" ;; esac ;;
		*) case ${_pkgname%-*} in $1) echo "$_origin" ;; esac ;;
		esac
	done <"$(sim_ports_index)"
	return 0
}

# sim_ports_pkgname ORIGIN: the package name (with version) the port builds.
sim_ports_pkgname() {
	awk -F'|' -v path="$(sim_ports_dir)/$1" '$2 == path { print $1; exit }' "$(sim_ports_index)"
}
