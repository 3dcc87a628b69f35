// A command run with reads after it in the same round trip (src/facts/read-facts.ts
// readFactsAfter) prints a marker when it ends. Each stream is cut at that marker: what comes
// before is the command's own output — counted against the in-memory limit, shown live, logged as
// the task's output — and the marker with what follows is the batch's reads, kept apart. So a
// command's output, its truncation note and its log records are exactly what it printed alone.
//
// The marker carries a nonce made on the host, which no command line holds (a host user who reads
// the command with ps could otherwise print the marker into the lead's output and end it early
// with a forged exit status). Each stream announces it first (RunOptions.leadEnds): the cut learns
// the marker from that line, which it takes out of the command's own output and hands on, first,
// with what followed the marker.
import { OutputBuffer } from './output-buffer.js';
import type { LeadEnds } from './transport.js';

const EMPTY = Buffer.alloc(0);
const CLOSE = Buffer.from('@@\n');
/** The most bytes of a host part looked at before a candidate announcement is given up. */
const HOST_PART_MAX = 64;

/** The longest tail of `data` that is a proper prefix of `marker` (it may be the marker's start). */
function pendingPrefix(data: Buffer, marker: Buffer): number {
  for (let length = Math.min(marker.length - 1, data.length); length > 0; length--) {
    if (data.subarray(data.length - length).equals(marker.subarray(0, length))) return length;
  }
  return 0;
}

/**
 * The first announcement in `data`: `found` with where its line starts and ends and the host
 * part; `wait` from where a line that may still become one starts; `none` with how many bytes at
 * the end may be the start of one.
 */
function scanAnnouncement(
  data: Buffer,
  ends: LeadEnds,
  prefix: Buffer,
): { readonly kind: 'found'; readonly at: number; readonly end: number; readonly hostPart: string } | { readonly kind: 'wait'; readonly at: number } | { readonly kind: 'none'; readonly pending: number } {
  for (let at = data.indexOf(prefix); at >= 0; at = data.indexOf(prefix, at + 1)) {
    const start = at + prefix.length;
    const close = data.subarray(start, start + HOST_PART_MAX + CLOSE.length).indexOf(CLOSE);
    if (close >= 0) {
      const hostPart = data.subarray(start, start + close).toString('latin1');
      if (ends.hostPart.test(hostPart)) return { kind: 'found', at, end: start + close + CLOSE.length, hostPart };
      continue;
    }
    // No close yet: it may come in the next chunk, unless too much has come already.
    if (data.length - start < HOST_PART_MAX + CLOSE.length) return { kind: 'wait', at };
  }
  return { kind: 'none', pending: pendingPrefix(data, prefix) };
}

/** One stream, cut at the first occurrence of the marker its announcement names. */
export class LeadCut {
  private readonly prefix: Buffer;
  /** Known once the stream announced its nonce. */
  private marker: Buffer | undefined;
  /** The announcement's line, handed on first with what followed the marker. */
  private announced: Buffer = EMPTY;
  private held: Buffer = EMPTY;
  private rest: OutputBuffer | undefined;

  constructor(
    private readonly ends: LeadEnds,
    private readonly stream: 'stdout' | 'stderr',
    /** Bytes of the part after the marker kept in memory. */
    private readonly limit: number,
  ) {
    this.prefix = Buffer.from(ends.announce);
  }

  /**
   * Take the next chunk; returns the bytes now known to be the command's own. A tail that could
   * be the announcement's or the marker's beginning is held back until the next chunk (or
   * {@link end}) settles it.
   */
  push(bytes: Buffer): Buffer {
    if (this.rest !== undefined) {
      this.rest.push(bytes);
      return EMPTY;
    }
    let data = this.held.length === 0 ? bytes : Buffer.concat([this.held, bytes]);
    let before = EMPTY;
    if (this.marker === undefined) {
      const scan = scanAnnouncement(data, this.ends, this.prefix);
      if (scan.kind === 'none') {
        this.held = Buffer.from(data.subarray(data.length - scan.pending));
        return data.subarray(0, data.length - scan.pending);
      }
      if (scan.kind === 'wait') {
        this.held = Buffer.from(data.subarray(scan.at));
        return data.subarray(0, scan.at);
      }
      // What came before the announcement (nothing, unless a login shell printed something) is the command's.
      before = Buffer.from(data.subarray(0, scan.at));
      this.announced = Buffer.from(data.subarray(scan.at, scan.end));
      this.marker = Buffer.from(this.ends.marker(this.stream, scan.hostPart));
      data = data.subarray(scan.end);
    }
    const marker = this.marker;
    const at = data.indexOf(marker);
    if (at >= 0) {
      this.held = EMPTY;
      this.rest = new OutputBuffer(this.limit);
      this.rest.push(this.announced);
      this.rest.push(data.subarray(at));
      return Buffer.concat([before, data.subarray(0, at)]);
    }
    const pending = pendingPrefix(data, marker);
    this.held = Buffer.from(data.subarray(data.length - pending));
    return Buffer.concat([before, data.subarray(0, data.length - pending)]);
  }

  /** The stream ended: what was held back is the command's after all (no marker came). */
  end(): Buffer {
    const held = this.held;
    this.held = EMPTY;
    return held;
  }

  /** The announcement, the marker and what followed it; undefined when the marker never came or the part was cut at the limit. */
  after(): Buffer | undefined {
    return this.rest === undefined || this.rest.dropped > 0 ? undefined : this.rest.bytes();
  }
}

/** Both streams' cuts of one command, or undefined when the command has no reads after it. */
export function leadCuts(ends: LeadEnds | undefined, limit: number): { readonly stdout: LeadCut; readonly stderr: LeadCut } | undefined {
  return ends === undefined ? undefined : { stdout: new LeadCut(ends, 'stdout', limit), stderr: new LeadCut(ends, 'stderr', limit) };
}

/** What followed the command's end on each stream: defined once stdout's marker came (stderr's, when lost, is empty). */
export function afterLead(cuts: ReturnType<typeof leadCuts>): { readonly stdout: string; readonly stderr: string } | undefined {
  const stdout = cuts?.stdout.after();
  if (stdout === undefined) return undefined;
  return { stdout: stdout.toString('utf8'), stderr: cuts?.stderr.after()?.toString('utf8') ?? '' };
}
