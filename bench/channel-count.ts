// SSH channels counted on the server side: every host's sshd logs at DEBUG1, which writes one
// `server_input_channel_open: ctype session` line per session channel and one
// `session_input_channel_req: session N req exec|subsystem|shell` line per request; the
// benchmark reads what each run appended to the logs.
import { open, stat } from 'node:fs/promises';

/** Channels opened during one run, over all its hosts. */
export interface ChannelCount {
  /** Session channels (each one a round trip to start a remote process or subsystem). */
  readonly sessions: number;
  readonly exec: number;
  /** SFTP and other subsystems (Ansible's file transfers). */
  readonly subsystem: number;
  /** New SSH connections (key exchanges), with the algorithm each used. */
  readonly connections: number;
  readonly kex: Readonly<Record<string, number>>;
}

/** Byte offsets of each log before a run. */
export type LogMarks = ReadonlyMap<string, number>;

/** Where each log ends now. */
export async function markLogs(logs: readonly string[]): Promise<LogMarks> {
  const marks = new Map<string, number>();
  await Promise.all(logs.map(async (log) => marks.set(log, await stat(log).then((s) => s.size, () => 0))));
  return marks;
}

/** Count what the logs gained since `marks`. */
export async function countChannelsSince(marks: LogMarks): Promise<ChannelCount> {
  const texts = await Promise.all([...marks].map(([log, offset]) => readFrom(log, offset)));
  return countChannels(texts.join('\n'));
}

/** Count channel opens, exec/subsystem requests and key exchanges in sshd DEBUG1 log text. */
export function countChannels(text: string): ChannelCount {
  let sessions = 0;
  let exec = 0;
  let subsystem = 0;
  let connections = 0;
  const kex: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line.includes('server_input_channel_open: ctype session ')) sessions += 1;
    else if (/session_input_channel_req: session \d+ req exec\b/.test(line)) exec += 1;
    else if (/session_input_channel_req: session \d+ req subsystem\b/.test(line)) subsystem += 1;
    else {
      const algorithm = /debug1: kex: algorithm: (\S+)/.exec(line)?.[1];
      if (algorithm !== undefined) {
        connections += 1;
        kex[algorithm] = (kex[algorithm] ?? 0) + 1;
      }
    }
  }
  return { sessions, exec, subsystem, connections, kex };
}

async function readFrom(file: string, offset: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.max(0, size - offset));
    await handle.read(buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
