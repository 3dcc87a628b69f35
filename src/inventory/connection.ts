// A host's connection and privilege settings from its merged variables, read with Ansible's
// names (ansible_host, ansible_port, ansible_user, … and the older ansible_ssh_* aliases). When
// both spellings are set the later alias wins, as Ansible's config manager picks the last one.
// Callers pass variables with templates already rendered.
import { homedir } from 'node:os';
import { InvalidInputError } from '../errors.js';
import { ansibleBoolean } from '../text/ansible-boolean.js';
import { becomeMethodNamed } from '../playbook/become-methods.js';
import type { BecomeSpec, ConnectionSettings } from '../transport/transport.js';

/** Variables as merged for one host (see variables.ts). */
type Vars = Readonly<Record<string, unknown>>;

/** Privilege settings from the inventory; `become` undefined means the inventory does not say. */
export interface BecomeSettings {
  readonly become: boolean | undefined;
  readonly method: BecomeSpec['method'] | undefined;
  readonly user: string | undefined;
  readonly password: string | undefined;
}

const CONNECTIONS: Readonly<Record<string, ConnectionSettings['connection']>> = {
  ssh: 'ssh',
  // Ansible's paramiko and smart connections reach the host over SSH too; beastie has one SSH.
  paramiko: 'ssh',
  paramiko_ssh: 'ssh',
  smart: 'ssh',
  local: 'local',
};

/** ConnectionSettings for `host` from its variables; a value of the wrong kind is InvalidInputError. */
export function connectionSettings(host: string, vars: Vars): ConnectionSettings {
  const read = new VarReader(host, vars);
  const kind = read.string('ansible_connection');
  let connection: ConnectionSettings['connection'] = 'ssh';
  if (kind !== undefined) {
    const known = CONNECTIONS[kind];
    if (known === undefined) {
      throw new InvalidInputError(`ansible_connection '${kind}' of host ${host} is not supported`, {
        host,
        fix: 'use ansible_connection: ssh (the default) or local',
      });
    }
    connection = known;
  }
  const key = read.string('ansible_private_key_file', 'ansible_ssh_private_key_file');
  const sshArgs = [read.string('ansible_ssh_common_args'), read.string('ansible_ssh_extra_args')]
    .filter((a): a is string => a !== undefined && a.trim() !== '')
    .join(' ');
  const timeout = read.integer(30, 'ansible_timeout', 'ansible_ssh_timeout');
  const port = read.port();
  const user = read.string('ansible_user', 'ansible_ssh_user');
  const password = read.string('ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password');
  return {
    host,
    connection,
    address: read.string('ansible_host', 'ansible_ssh_host') ?? host,
    ...(port === undefined ? {} : { port }),
    ...(user === undefined ? {} : { user }),
    ...(key === undefined ? {} : { privateKeyFile: expandHome(key) }),
    ...(password === undefined ? {} : { password }),
    ...(sshArgs === '' ? {} : { sshArgs }),
    ...(timeout === undefined ? {} : { connectTimeoutMs: timeout * 1000 }),
  };
}

/** Become settings for `host`: ansible_become, _method (sudo|doas|su), _user, _password. */
export function becomeSettings(host: string, vars: Vars): BecomeSettings {
  const read = new VarReader(host, vars);
  const written = read.string('ansible_become_method');
  const method = written === undefined ? undefined : becomeMethodNamed(written);
  if (written !== undefined && method === undefined) {
    throw new InvalidInputError(`ansible_become_method '${written}' of host ${host} is not supported`, {
      host,
      fix: 'use sudo, doas or su',
    });
  }
  return {
    become: read.boolean('ansible_become'),
    method,
    user: read.string('ansible_become_user', 'ansible_sudo_user'),
    password: read.string('ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass'),
  };
}

/** `~/x` → the home directory's x, as Ansible expands path-typed options. */
function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/** Typed reads of one host's variables, with errors naming the host and the variable. */
class VarReader {
  constructor(
    private readonly host: string,
    private readonly vars: Vars,
  ) {}

  /** The value of the last of `names` that is set (null counts as unset, as in Ansible). */
  private pick(names: readonly string[]): [string, unknown] | undefined {
    let found: [string, unknown] | undefined;
    for (const name of names) {
      const value = this.vars[name];
      if (value !== undefined && value !== null) found = [name, value];
    }
    return found;
  }

  private wrong(name: string, value: unknown, wanted: string, fix: string): never {
    throw new InvalidInputError(`${name} of host ${this.host} must be ${wanted}, got ${JSON.stringify(value)}`, {
      host: this.host,
      fix,
    });
  }

  string(...names: string[]): string | undefined {
    const found = this.pick(names);
    if (!found) return undefined;
    const [name, value] = found;
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    return this.wrong(name, value, 'a string', `set ${name} to a plain value, not a list or mapping`);
  }

  /** A whole number; `example` goes into the fix. */
  integer(example: number, ...names: string[]): number | undefined {
    const found = this.pick(names);
    if (!found) return undefined;
    const [name, value] = found;
    const n = typeof value === 'string' && /^\s*\d+\s*$/u.test(value) ? Number(value) : value;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0) return n;
    return this.wrong(name, value, 'a whole number', `set ${name} to a number such as ${example}`);
  }

  port(): number | undefined {
    const port = this.integer(22, 'ansible_port', 'ansible_ssh_port');
    if (port !== undefined && (port < 1 || port > 65535)) {
      this.wrong('ansible_port', port, 'a port number from 1 to 65535', 'set ansible_port to the SSH port, usually 22');
    }
    return port;
  }

  /** Ansible's boolean(): true/yes/on/1/y/t and false/no/off/0/n/f, any case. */
  boolean(...names: string[]): boolean | undefined {
    const found = this.pick(names);
    if (!found) return undefined;
    const [name, value] = found;
    if (typeof value === 'boolean') return value;
    const spelled = ansibleBoolean(String(value));
    if (spelled !== undefined) return spelled;
    return this.wrong(name, value, 'a boolean', `set ${name} to true or false`);
  }
}
