// A command run with reads after it in the same round trip (src/facts/read-facts.ts
// readFactsAfter) prints a marker when it ends. Each stream is cut at that marker: what comes
// before is the command's own output — counted against the in-memory limit, shown live, logged as
// the task's output — and the marker with what follows is the batch's reads, kept apart. So a
// command's output, its truncation note and its log records are exactly what it printed alone.
import { OutputBuffer } from './output-buffer.js';

const EMPTY = Buffer.alloc(0);

/** The longest tail of `data` that is a proper prefix of `marker` (it may be the marker's start). */
function pendingPrefix(data: Buffer, marker: Buffer): number {
  for (let length = Math.min(marker.length - 1, data.length); length > 0; length--) {
    if (data.subarray(data.length - length).equals(marker.subarray(0, length))) return length;
  }
  return 0;
}

/** One stream, cut at the first occurrence of a marker. */
export class LeadCut {
  private readonly marker: Buffer;
  private held: Buffer = EMPTY;
  private rest: OutputBuffer | undefined;

  constructor(
    marker: string,
    /** Bytes of the part after the marker kept in memory. */
    private readonly limit: number,
  ) {
    this.marker = Buffer.from(marker);
  }

  /**
   * Take the next chunk; returns the bytes now known to be the command's own. A tail that could
   * be the marker's beginning is held back until the next chunk (or {@link end}) settles it.
   */
  push(bytes: Buffer): Buffer {
    if (this.rest !== undefined) {
      this.rest.push(bytes);
      return EMPTY;
    }
    const data = this.held.length === 0 ? bytes : Buffer.concat([this.held, bytes]);
    const at = data.indexOf(this.marker);
    if (at >= 0) {
      this.held = EMPTY;
      this.rest = new OutputBuffer(this.limit);
      this.rest.push(data.subarray(at));
      return data.subarray(0, at);
    }
    const pending = pendingPrefix(data, this.marker);
    this.held = Buffer.from(data.subarray(data.length - pending));
    return data.subarray(0, data.length - pending);
  }

  /** The stream ended: what was held back is the command's after all (no marker came). */
  end(): Buffer {
    const held = this.held;
    this.held = EMPTY;
    return held;
  }

  /** The marker and what followed it; undefined when the marker never came or the part was cut at the limit. */
  after(): Buffer | undefined {
    return this.rest === undefined || this.rest.dropped > 0 ? undefined : this.rest.bytes();
  }
}

/** Both streams' cuts of one command, or undefined when the command has no reads after it. */
export function leadCuts(markers: { readonly stdout: string; readonly stderr: string } | undefined, limit: number): { readonly stdout: LeadCut; readonly stderr: LeadCut } | undefined {
  return markers === undefined ? undefined : { stdout: new LeadCut(markers.stdout, limit), stderr: new LeadCut(markers.stderr, limit) };
}

/** What followed the command's end on each stream: defined once stdout's marker came (stderr's, when lost, is empty). */
export function afterLead(cuts: ReturnType<typeof leadCuts>): { readonly stdout: string; readonly stderr: string } | undefined {
  const stdout = cuts?.stdout.after();
  if (stdout === undefined) return undefined;
  return { stdout: stdout.toString('utf8'), stderr: cuts?.stderr.after()?.toString('utf8') ?? '' };
}
