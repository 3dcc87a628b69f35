// Where the command line writes and what it reads from its environment, so tests run it in-process.

/** A writable text stream (process.stdout in real use). */
export interface TextOut {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** The process surroundings of one command-line invocation. */
export interface CliIO {
  readonly stdout: TextOut;
  readonly stderr: TextOut;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Reads a password without echo (become, SSH, vault); absent when there is no way to ask. */
  readonly askSecret?: (prompt: string) => Promise<string>;
  /** Asks a yes/no/continue question on the terminal (--step); absent without one. */
  readonly askLine?: (prompt: string) => Promise<string>;
  /** Reads all of stdin (`beastie vault` without FILE); absent when there is none. */
  readonly readStdin?: () => Promise<Buffer>;
  /** Where the system ansible.cfg is (/etc/ansible/ansible.cfg); tests point it elsewhere. */
  readonly systemAnsibleCfg?: string;
}
