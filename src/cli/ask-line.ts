// Reads one answer line from a TTY stdin (--step), with echo.
import { createInterface } from 'node:readline/promises';

/** Prompt on stdout and read one line. */
export async function askLine(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(prompt);
  } finally {
    rl.close();
  }
}
