// "Accepts SSH": a TCP connection to the host's address gets an `SSH-2.0-` banner. Cheaper than a
// login (no key exchange), which matters when 500 hosts start at once.
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimError } from './sim-error.js';

/** One attempt: resolves true when the server sent its SSH banner, false on refusal or silence. */
export function readsSshBanner(address: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    let received = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\n')) done(received.startsWith('SSH-2.0-'));
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

/** Poll until the host sends its banner; throws after `timeoutMs`. */
export async function waitForSshBanner(host: string, address: string, port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  while (!(await readsSshBanner(address, port))) {
    if (Date.now() > deadline) throw new SimError(`sshd on ${address}:${port} sent no SSH banner within ${timeoutMs} ms`, { host });
    await sleep(delay);
    delay = Math.min(delay * 2, 200);
  }
}
