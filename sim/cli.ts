// `npm run sim -- up|down|status|power-cycle|reboot-watch`: the simulated FreeBSD fleet's command
// line (issue 4; sim/README.md, "How the fleet runs").
import { parseArgs } from 'node:util';
import { downFleet } from './infra/down.js';
import { powerCycleHost } from './infra/power-cycle.js';
import { superviseFleet } from './infra/reboot-supervisor.js';
import { SimError } from './infra/sim-error.js';
import { fleetStatus, renderStatus } from './infra/status.js';
import { upFleet } from './infra/up.js';

const USAGE = `usage:
  npm run sim -- up --hosts N --dir DIR [--profile seed|current|novtx|bare|seed:150,current:40,…]
                    [--reboot-down-seconds S] [--boot-script PATH] [--concurrency C]
  npm run sim -- down --dir DIR
  npm run sim -- status --dir DIR [--json]
  npm run sim -- power-cycle --dir DIR --host simK
  npm run sim -- reboot-watch --dir DIR      (started by up; the reboot supervisor)
`;

/** The subcommands. */
type Command = 'up' | 'down' | 'status' | 'power-cycle' | 'reboot-watch';

function isCommand(value: string | undefined): value is Command {
  return value === 'up' || value === 'down' || value === 'status' || value === 'power-cycle' || value === 'reboot-watch';
}

function requireOption(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new SimError(`--${name} is required\n${USAGE}`);
  return value;
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new SimError(`--${name} expects a number, got ${JSON.stringify(value)}`);
  return number;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!isCommand(command)) {
    process.stderr.write(USAGE);
    return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
  }
  const { values } = parseArgs({
    args: [...rest],
    options: {
      dir: { type: 'string' },
      hosts: { type: 'string' },
      profile: { type: 'string' },
      'reboot-down-seconds': { type: 'string' },
      'boot-script': { type: 'string' },
      concurrency: { type: 'string' },
      host: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const dir = requireOption(values.dir, 'dir');
  switch (command) {
    case 'up': {
      const hosts = numberOption(values.hosts, 'hosts');
      if (hosts !== undefined && (!Number.isInteger(hosts) || hosts < 1)) throw new SimError(`--hosts expects a whole number ≥ 1, got ${hosts}`);
      // Ctrl-C while hosts start: stop starting more, then take down what started.
      const abort = new AbortController();
      const interrupt = () => abort.abort();
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      const rebootDownSeconds = numberOption(values['reboot-down-seconds'], 'reboot-down-seconds');
      const concurrency = numberOption(values.concurrency, 'concurrency');
      const result = await upFleet({
        signal: abort.signal,
        dir,
        ...(hosts === undefined ? {} : { hosts }),
        ...(values.profile === undefined ? {} : { profile: values.profile }),
        ...(rebootDownSeconds === undefined ? {} : { rebootDownSeconds }),
        ...(values['boot-script'] === undefined ? {} : { bootScript: values['boot-script'] }),
        ...(concurrency === undefined ? {} : { concurrency }),
      });
      process.stdout.write(`${result.inventory}\n`);
      return 0;
    }
    case 'down': {
      const result = await downFleet(dir);
      process.stderr.write(`sim: stopped ${result.hosts} host(s), ${result.processes} process(es)\n`);
      return 0;
    }
    case 'status': {
      const status = await fleetStatus(dir);
      process.stdout.write(values.json ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status));
      return 0;
    }
    case 'power-cycle': {
      const { host, state } = await powerCycleHost(dir, requireOption(values.host, 'host'));
      process.stdout.write(`${host}: ${state.state}${state.detail ? ` (${state.detail})` : ''}\n`);
      return state.state === 'up' ? 0 : 1;
    }
    case 'reboot-watch':
      await superviseFleet(dir);
      return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SimError) {
      process.stderr.write(`sim: ${error.describe()}\n`);
      if (error.message === 'interrupted') process.exit(130);
    }
    else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`sim: ${error.message}\n${USAGE}`);
      process.exit(2);
    } else process.stderr.write(`sim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
