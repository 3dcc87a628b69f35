// The --help texts of beastie and each command.

/** `beastie --help`. */
export const MAIN_HELP = `beastie — an Ansible-style playbook runner for FreeBSD hosts over SSH

usage:
  beastie play PLAYBOOK -i INVENTORY [options]   run a playbook
  beastie PATTERN -i INVENTORY -m MODULE -a ARGS run one module on some hosts (ad-hoc, as ansible)
  beastie doctor -i INVENTORY [--jail NAME]      find the pitfalls of bhyve in a jail, with fixes
  beastie inventory -i INVENTORY --list|--graph  show the inventory
  beastie doc [MODULE]                           list modules, or one module's parameters
  beastie vault encrypt|decrypt|view|encrypt_string|rekey   Ansible Vault files and values

Run \`beastie COMMAND --help\` for a command's options.
Exit codes: 0 ok, 2 a task failed, 4 a host was unreachable (none failed),
5 invalid input or usage (nothing ran on any host), 250 internal error.
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
