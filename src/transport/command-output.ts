// One running command's two output streams, collected the same way by the local and the ssh
// transport: each chunk first goes through the become password exchange until the tool has
// authenticated (become.ts), then past the lead cut (lead-cut.ts), then into the buffer kept up to
// the limit (output-buffer.ts) and, decoded as UTF-8, to the caller's live output.
import { StringDecoder } from 'node:string_decoder';
import type { BecomeExchange } from './become.js';
import { afterLead, leadCuts } from './lead-cut.js';
import { OutputBuffer } from './output-buffer.js';
import type { RunOptions } from './transport.js';

export type OutputStream = 'stdout' | 'stderr';

/** Where the exchange's answers go: the command's stdin. */
export interface CommandInput {
  write(data: string | Buffer): void;
  end(): void;
}

/** What one command printed, once it ended. */
export interface CollectedOutput {
  readonly stdout: OutputBuffer;
  readonly stderr: OutputBuffer;
  /** With `RunOptions.leadEnds`: each stream from its marker on (CommandResult.after). */
  readonly after: { readonly stdout: string; readonly stderr: string } | undefined;
}

export class CommandOutput {
  private readonly buffers: { readonly stdout: OutputBuffer; readonly stderr: OutputBuffer };
  private readonly cuts: ReturnType<typeof leadCuts>;
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };

  constructor(
    private readonly options: Pick<RunOptions, 'onOutput' | 'leadEnds'>,
    limit: number,
    private readonly exchange: BecomeExchange | undefined,
    private readonly input: CommandInput,
  ) {
    this.buffers = { stdout: new OutputBuffer(limit), stderr: new OutputBuffer(limit) };
    this.cuts = leadCuts(options.leadEnds, limit);
  }

  /** The listener for one stream's 'data' events. */
  onData(stream: OutputStream): (data: Buffer) => void {
    return (data) => {
      const exchange = this.exchange;
      if (exchange === undefined || exchange.authenticated) {
        this.keep(stream, data);
        return;
      }
      // latin1 maps bytes to chars one to one, so the exchange never splits a UTF-8 sequence.
      const step = exchange.feed(stream, data.toString('latin1'));
      this.keep(stream, Buffer.from(step.output, 'latin1'));
      if (step.write !== undefined) this.input.write(step.write);
      if (step.endStdin) this.input.end();
    };
  }

  /**
   * The command ended before become authenticated: what the tool said is the error, kept on stderr
   * (with a note when the password was asked for again, i.e. refused).
   */
  keepUnauthenticated(): void {
    const exchange = this.exchange;
    if (exchange === undefined || exchange.authenticated) return;
    const refused = exchange.promptCount > 1 ? 'beastie: the become password was refused\n' : '';
    this.buffers.stderr.push(Buffer.from(refused + exchange.leftover('stderr') + exchange.leftover('stdout'), 'latin1'));
  }

  /** The output, with what the lead cuts still hold flushed. Call once, when the command has ended. */
  finish(): CollectedOutput {
    if (this.cuts !== undefined) for (const stream of ['stdout', 'stderr'] as const) this.keepOwn(stream, this.cuts[stream].end());
    return { stdout: this.buffers.stdout, stderr: this.buffers.stderr, after: afterLead(this.cuts) };
  }

  private keep(stream: OutputStream, bytes: Buffer): void {
    this.keepOwn(stream, this.cuts === undefined ? bytes : this.cuts[stream].push(bytes));
  }

  /** The command's own output: kept up to the limit and shown as it comes. */
  private keepOwn(stream: OutputStream, bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.buffers[stream].push(bytes);
    const onOutput = this.options.onOutput;
    if (onOutput === undefined) return;
    const text = this.decoders[stream].write(bytes);
    if (text !== '') onOutput(stream, text);
  }
}
