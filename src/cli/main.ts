// The command line: `beastie play | inventory | doc`, the help texts, and the one place where
// errors become exit codes — invalid input prints every error with file:line:column, the fix and
// the source line, then exits 5 (nothing ran); a bug exits 250.
import { EXIT_INTERNAL, EXIT_INVALID_INPUT, InvalidInputError } from '../errors.js';
import { painter, wantsColour } from '../output/colour.js';
import { formatInputErrors, readSourceFromDisk } from '../output/input-errors.js';
import type { CliIO } from './cli-io.js';
import { DOC_HELP, MAIN_HELP } from './help.js';
import type { PlayWiring } from './play-wiring.js';
import { versionText } from './version.js';

/** What main needs besides the process: the play wiring, whose module set `doc` lists too. */
export type MainWiring = PlayWiring;

/**
 * Run one command line; returns the exit code (never throws). Each command's code — and the
 * wiring, when given as a function (the module set, ssh2) — is loaded only when that command
 * runs, so `--version` and `--help` start without them.
 */
export async function main(argv: readonly string[], io: CliIO, wiringOrLoader: MainWiring | (() => Promise<MainWiring>)): Promise<number> {
  const [command, ...rest] = argv;
  const wired = () => (typeof wiringOrLoader === 'function' ? wiringOrLoader() : Promise.resolve(wiringOrLoader));
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout.write(MAIN_HELP);
        return command === undefined ? EXIT_INVALID_INPUT : 0;
      case '--version':
        io.stdout.write(versionText('', undefined).replace('beastie  [', 'beastie ['));
        return 0;
      case 'play': {
        const { playCommand } = await import('./play-command.js');
        return await playCommand(rest, io, await wired());
      }
      case 'vault': {
        const { vaultCommand } = await import('./vault-command.js');
        return await vaultCommand(rest, io);
      }
      case 'doctor': {
        const { doctorCommand } = await import('./doctor-command.js');
        return await doctorCommand(rest, io, await wired());
      }
      case 'inventory': {
        const { inventoryCommand } = await import('./inventory-command.js');
        return await inventoryCommand(rest, io);
      }
      case 'doc': {
        if (rest.includes('--help') || rest.includes('-h')) {
          io.stdout.write(DOC_HELP);
          return 0;
        }
        if (rest.length > 1 || rest.some((arg) => arg.startsWith('-'))) {
          throw new InvalidInputError(`beastie doc takes at most one module name, got '${rest.join(' ')}'`, { fix: 'run `beastie doc` or `beastie doc MODULE`' });
        }
        const { docText } = await import('./doc-command.js');
        io.stdout.write(docText((await wired()).modules.all, rest[0]));
        return 0;
      }
      default:
        // `beastie PATTERN -i INV -m MODULE …` (options may come first, as with ansible): the ad-hoc mode.
        if (command.startsWith('-') || rest.length > 0) {
          const { adhocCommand } = await import('./adhoc-command.js');
          return await adhocCommand(argv, io, await wired());
        }
        throw new InvalidInputError(`unknown command '${command}'`, {
          fix: 'use `beastie play`, `beastie doctor`, `beastie inventory`, `beastie doc`, `beastie vault`, or `beastie PATTERN -i INVENTORY -m MODULE` (see `beastie --help`)',
        });
    }
  } catch (error) {
    if (error instanceof InvalidInputError) {
      io.stderr.write(formatInputErrors(error, readSourceFromDisk, painter(wantsColour(io.stderr, io.env))));
      return EXIT_INVALID_INPUT;
    }
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`INTERNAL ERROR (a bug in beastie, please report it):\n${text}\n`);
    return EXIT_INTERNAL;
  }
}
