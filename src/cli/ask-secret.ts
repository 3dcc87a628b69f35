// Reads a password from the terminal without echoing it (--ask-become-pass).
import { emitKeypressEvents } from 'node:readline';

/** Prompt on stderr and read one line from a TTY stdin with echo off. */
export function askSecret(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    process.stderr.write(prompt);
    emitKeypressEvents(input);
    input.setRawMode(true);
    input.resume();
    let value = '';
    const done = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.removeListener('keypress', onKey);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onKey = (text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
      if (key?.ctrl && key.name === 'c') return done(new Error('interrupted while asking for a password'));
      if (key?.name === 'return' || key?.name === 'enter') return done();
      if (key?.name === 'backspace') value = value.slice(0, -1);
      else if (text !== undefined) value += text;
    };
    input.on('keypress', onKey);
  });
}
