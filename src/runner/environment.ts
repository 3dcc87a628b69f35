// The `environment:` keyword: the task's commands run as `env NAME=value … /bin/sh -c '…'` on the
// host, each NAME=value one quoted word, so a value never becomes code.
import { sh, type Command } from '../command/command.js';
import { scriptCommand } from '../command/script-argument.js';
import { InvalidInputError } from '../errors.js';
import { identifierPattern } from '../yaml/vars-file.js';
import type { CommandResult, PutOptions, RunOptions, Transport } from '../transport/transport.js';

/** The rendered environment as NAME=value words; a name that is not a variable name is refused. */
export function environmentWords(environment: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(environment).map(([name, value]) => {
    if (!identifierPattern.test(name)) throw new InvalidInputError(`environment: '${name}' is not a variable name`, { fix: 'use letters, digits and _, not starting with a digit' });
    return `${name}=${value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)}`;
  });
}

/** `env 'A=1' /bin/sh -c '…'`: the command with the environment in front. */
export function withEnvironment(command: Command, words: readonly string[]): Command {
  if (words.length === 0) return command;
  return { text: scriptCommand(sh`env ${words} /bin/sh -c`.text, command.text), display: `env ${words.map((w) => w.split('=')[0] + '=…').join(' ')} ${command.display}` };
}

/** A transport whose commands run with the task's environment. */
export class EnvironmentTransport implements Transport {
  constructor(
    private readonly parent: Transport,
    private readonly words: readonly string[],
  ) {}

  get host(): string {
    return this.parent.host;
  }

  run(command: Command, options?: RunOptions): Promise<CommandResult> {
    return this.parent.run(withEnvironment(command, this.words), options);
  }

  put(path: string, content: string | Buffer, options?: PutOptions): Promise<void> {
    return this.parent.put(path, content, options);
  }

  get(path: string, options?: Parameters<Transport['get']>[1]): Promise<Buffer | undefined> {
    return this.parent.get(path, options);
  }

  close(): Promise<void> {
    return this.parent.close();
  }
}
