// A lock file on the controller for a short read-modify-write (the retry file): created with
// O_EXCL holding `PID NONCE`; a lock whose process is gone (killed inside the few milliseconds it
// is held) is moved aside under a name of our own and removed only if it is still the one judged
// stale, so two runs taking over at once never remove a lock a third has just made.
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** How long to wait for another run's lock before giving up. */
const WAIT_MS = 10_000;
/** Pause between tries (the lock is held for a read and a rename). */
const RETRY_MS = 5;

/** Runs `work` holding the lock file `path`; throws when another live run holds it too long. */
export function withFileLock<T>(path: string, work: () => T): T {
  const own = `${process.pid} ${randomBytes(8).toString('hex')}\n`;
  const deadline = Date.now() + WAIT_MS;
  while (!tryCreate(path, own)) {
    const holder = readText(path);
    if (holder !== undefined && holderGone(holder)) {
      removeIfStill(path, holder);
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`${path} is held by another run (pid ${holder?.split(' ')[0] ?? '?'}) for more than ${WAIT_MS / 1000} s; remove it if no beastie runs`);
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, RETRY_MS);
  }
  try {
    return work();
  } finally {
    if (readText(path) === own) rmSync(path, { force: true });
  }
}

function tryCreate(path: string, text: string): boolean {
  try {
    writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whether the lock's process has ended (EPERM: it runs, as another user). */
function holderGone(text: string): boolean {
  const pid = Number(text.split(' ')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Removes the stale lock `text`; a fresh lock moved aside by mistake is put back. */
function removeIfStill(path: string, text: string): void {
  const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readText(aside) !== text) {
    try {
      linkSync(aside, path);
    } catch {
      // A third run made a lock meanwhile; the one moved aside belongs to a run that will
      // find it gone at release, which only removes its own.
    }
  }
  rmSync(aside, { force: true });
}
