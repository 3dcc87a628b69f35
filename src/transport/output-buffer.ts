// A command's output kept in memory up to a limit per stream (1 MiB), so a command that prints
// gigabytes cannot exhaust the controller; what is dropped is counted and said at the end of the
// text. The run log receives every chunk as it arrives (src/log/logged-transport.ts).

/** Bytes kept in memory per stream of one command. */
export const OUTPUT_LIMIT_BYTES = 1024 * 1024;

/** The note appended to a stream that was cut. */
export function truncationNote(dropped: number, limit: number): string {
  return `\n[beastie: output truncated: only the first ${limit} bytes are kept in memory, ${dropped} more were dropped; the run log (--log-file) has all of it]`;
}

/** One stream's output: the first `limit` bytes, and how many were dropped. */
export class OutputBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private droppedBytes = 0;

  constructor(private readonly limit: number = OUTPUT_LIMIT_BYTES) {}

  /** Keep what fits; count the rest. */
  push(bytes: Buffer): void {
    const room = this.limit - this.kept;
    if (room >= bytes.length) {
      this.chunks.push(bytes);
      this.kept += bytes.length;
      return;
    }
    if (room > 0) {
      this.chunks.push(bytes.subarray(0, room));
      this.kept += room;
    }
    this.droppedBytes += bytes.length - Math.max(room, 0);
  }

  /** How many bytes did not fit. */
  get dropped(): number {
    return this.droppedBytes;
  }

  /** The kept bytes. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** The kept bytes as UTF-8 text, with the truncation note when some were dropped. */
  text(): string {
    const text = this.bytes().toString('utf8');
    return this.droppedBytes === 0 ? text : text + truncationNote(this.droppedBytes, this.limit);
  }
}
