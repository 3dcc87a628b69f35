// Where the command line writes and what it reads from its environment, so tests run it in-process.

/** A writable text stream (process.stdout in real use). */
export interface TextOut {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

/** The process surroundings of one command-line invocation. */
export interface CliIO {
  readonly stdout: TextOut;
  readonly stderr: TextOut;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Reads the become password (--ask-become-pass); absent when there is no way to ask. */
  readonly askSecret?: ((prompt: string) => Promise<string>) | undefined;
}
