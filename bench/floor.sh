#!/bin/sh
# The OpenSSH floor: every host in parallel, one ControlMaster connection per host, then one
# command per task over it, one after another. What any SSH tool must at least pay.
# usage: floor.sh HOSTS_FILE COMMANDS_FILE KEY KNOWN_HOSTS CONTROL_DIR KEX
#   HOSTS_FILE: "address port" per line; COMMANDS_FILE: one remote command per line.
set -u
hosts_file=$1 commands_file=$2 key=$3 known_hosts=$4 control_dir=$5 kex=$6
mkdir -p "$control_dir"

one_host() {
	address=$1 port=$2
	socket="$control_dir/$address"
	set -- -i "$key" -o "UserKnownHostsFile=$known_hosts" -o StrictHostKeyChecking=yes \
		-o BatchMode=yes -o ConnectTimeout=30 -o "KexAlgorithms=$kex" -o "ControlPath=$socket" -p "$port"
	# Under a load of ~100 (500 hosts on 2 cores) a banner exchange can time out: try three times.
	tries=0
	until ssh "$@" -o ControlMaster=yes -o ControlPersist=yes -f -N "root@$address"; do
		tries=$((tries + 1))
		[ $tries -ge 3 ] && { echo "floor: $address: master connection failed" >&2; return 1; }
	done
	failed=0
	while IFS= read -r command; do
		ssh "$@" -o ControlMaster=no "root@$address" "$command" >/dev/null 2>&1 </dev/null
		# 255 is ssh's own failure; anything else is the remote command's status, which the floor ignores.
		[ $? -eq 255 ] && { echo "floor: $address: ssh failed for: $command" >&2; failed=1; }
	done <"$commands_file"
	ssh "$@" -O exit "root@$address" 2>/dev/null
	return $failed
}

pids=""
while read -r address port; do
	one_host "$address" "$port" &
	pids="$pids $!"
done <"$hosts_file"
status=0
for pid in $pids; do wait "$pid" || status=1; done
exit $status
