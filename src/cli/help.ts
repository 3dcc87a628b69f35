// The --help texts of beastie and each command.

/** `beastie --help`. */
export const MAIN_HELP = `beastie — an Ansible-style playbook runner for FreeBSD hosts over SSH

usage:
  beastie play PLAYBOOK -i INVENTORY [options]   run a playbook
  beastie inventory -i INVENTORY --list|--graph  show the inventory
  beastie doc [MODULE]                           list modules, or one module's parameters

Run \`beastie COMMAND --help\` for a command's options.
Exit codes: 0 ok, 2 a task failed, 4 a host was unreachable (none failed),
5 invalid input or usage (nothing ran on any host), 250 internal error.
`;

/** `beastie play --help`. */
export const PLAY_HELP = `usage: beastie play PLAYBOOK -i INVENTORY [options]

  -i, --inventory PATH      inventory file or directory (YAML or INI)
  -l, --limit PATTERN       only hosts that also match PATTERN (@FILE: one host per line)
  -t, --tags TAGS           only tasks with these tags (comma separated; repeatable)
      --skip-tags TAGS      skip tasks with these tags
  -C, --check               observe and plan, change nothing
  -D, --diff                show the before/after of every change
  -f, --forks N             hosts worked on at once (default 50)
  -e, --extra-vars VARS     KEY=VALUE, @vars.yml or '{"json": 1}' (repeatable, highest precedence)
      --start-at-task NAME  skip the tasks before the first task of this name
      --json                JSON Lines events on stdout instead of human output
  -v, -vv, -vvv             more detail (module notes, stdout, stderr)
      --list-hosts          print the hosts each play targets, run nothing
      --list-tasks          print the tasks each play would run, run nothing
      --syntax-check        load and validate the playbook, run nothing
      --log-file PATH       JSON log of every command (also $BEASTIE_LOG)
      --accept-new-host-keys  trust and record host keys not yet in known_hosts
  -K, --ask-become-pass     ask for the become (sudo/doas/su) password
      --allow-password      allow SSH password authentication from ansible_password
      --connect-timeout S   SSH connect timeout in seconds
      --retry-file PATH     where to list the hosts that did not finish (default PLAYBOOK.retry)
      --grace S             after Ctrl-C, seconds running commands may take to finish (default 30)
      --break-stale-locks   take over host locks left by runs that are gone
      --report FILE         write a self-contained HTML run report (timeline, failures, diffs, recap)
  -h, --help                this text
`;

/** `beastie inventory --help`. */
export const INVENTORY_HELP = `usage: beastie inventory -i INVENTORY (--list | --graph [GROUP] | --host NAME)

  -i, --inventory PATH   inventory file or directory
      --list             every group, host and variable as JSON (ansible-inventory --list)
      --graph            the group tree (ansible-inventory --graph); --graph GROUP for one group
      --host NAME        one host's variables as JSON
`;

/** `beastie doc --help`. */
export const DOC_HELP = `usage: beastie doc [MODULE]

Without MODULE, lists every module with its summary. With MODULE, prints its parameters (type,
required, default, choices, description) generated from its parameter schema, and an example.
`;
