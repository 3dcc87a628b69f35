// Reads many facts in one round trip: their commands run one after another in a single
// /bin/sh, each in a subshell, separated by markers carrying a per-batch nonce and exit code.
import { raw, sh, type Command } from '../command/command.js';
import { BeastieError } from '../errors.js';
import type { CommandResult, RunOptions, Transport } from '../transport/transport.js';
import type { Fact, FactOutput } from './fact.js';
import { outputNonce } from './output-nonce.js';

/** The marker printed after the batch's fact #index (with its exit code on stdout). */
function factMarker(nonce: string, index: number): string {
  return `@@beastie-${nonce}-${index}@@`;
}

/** The one command that runs every fact of the batch, and how to split its output again. */
export function batchFactCommand(facts: readonly Fact<unknown>[], nonce: string): Command {
  const parts = facts.map((fact, index) => {
    const marker = factMarker(nonce, index);
    // The newline before `)` lets a fact's command end with a here-document.
    return sh`( ${fact.command}
); printf '\\n${raw(marker)} %d\\n' "$?"; printf '\\n${raw(marker)}\\n' >&2`;
  });
  return { text: parts.map((p) => p.text).join('\n'), display: parts.map((p) => p.display).join('\n') };
}

/** Split the batch's stdout and stderr back into one output per fact. */
export function splitFactOutputs(count: number, nonce: string, stdout: string, stderr: string): FactOutput[] {
  const outputs: FactOutput[] = [];
  let outRest = stdout;
  let errRest = stderr;
  for (let index = 0; index < count; index++) {
    const marker = `\n${factMarker(nonce, index)}`;
    const outAt = outRest.indexOf(`${marker} `);
    const errAt = errRest.indexOf(`${marker}\n`);
    if (outAt < 0) {
      throw new BeastieError('internal', `fact batch output ended before fact #${index + 1} of ${count}`);
    }
    const lineEnd = outRest.indexOf('\n', outAt + marker.length);
    const exitCode = Number(outRest.slice(outAt + marker.length + 1, lineEnd < 0 ? undefined : lineEnd));
    outputs.push({
      stdout: outRest.slice(0, outAt),
      stderr: errAt < 0 ? '' : errRest.slice(0, errAt),
      exitCode,
    });
    outRest = lineEnd < 0 ? '' : outRest.slice(lineEnd + 1);
    errRest = errAt < 0 ? errRest : errRest.slice(errAt + marker.length + 1);
  }
  return outputs;
}

/**
 * Run `lead` (a change's command, the lock's), then every fact's command, then `last` (the host
 * lock's early release, src/runner/host-lease.ts), in one round trip: the lead's result is what it
 * would have been alone (its own output and exit code); each fact's output, to parse, or undefined
 * when the batch was cut short (timeout, lost output); `lastRan`: `last` ran and exited 0.
 */
export async function readFactsAfter(
  transport: Transport,
  lead: Command,
  facts: readonly Fact<unknown>[],
  options: RunOptions = {},
  last?: Command,
): Promise<{ readonly lead: CommandResult; readonly outputs: FactOutput[] | undefined; readonly lastRan: boolean }> {
  if (facts.length === 0 && last === undefined) return { lead: await transport.run(lead, options), outputs: [], lastRan: false };
  const nonce = outputNonce();
  // The facts read after the lead must not eat what was meant for its stdin.
  const parts = [lead, ...[...facts.map((fact) => fact.command), ...(last === undefined ? [] : [last])].map((command) => sh`{ ${command}
} </dev/null`)];
  const batch = batchFactCommand(parts.map((command, index) => ({ key: String(index), command, parse: () => undefined })), nonce);
  // The transport cuts each stream where the lead ends: its output is then exactly its own (limit,
  // truncation note, live output, log records), the reads' comes apart in `after`.
  const end = `\n${factMarker(nonce, 0)}`;
  const result = await transport.run(batch, { ...options, leadEnds: { stdout: `${end} `, stderr: `${end}\n` } });
  // The command as the transport shows it (a jail's `jexec NAME …`), with the lead in the batch's place.
  const shown = result.command.includes(batch.display) ? result.command.replace(batch.display, () => lead.display) : lead.display;
  const { after, ...whole } = result;
  let outputs: FactOutput[];
  try {
    // A transport that does not cut (a test's) hands everything in stdout/stderr.
    outputs = after === undefined ? splitFactOutputs(parts.length, nonce, result.stdout, result.stderr) : splitFactOutputs(parts.length, nonce, after.stdout, after.stderr);
  } catch {
    return { lead: { ...whole, command: shown }, outputs: undefined, lastRan: false };
  }
  const [own, ...rest] = outputs;
  const lastRan = last !== undefined && rest.pop()?.exitCode === 0;
  const leadResult: CommandResult = {
    command: shown,
    exitCode: own?.exitCode ?? result.exitCode,
    stdout: after === undefined ? (own?.stdout ?? '') : result.stdout,
    stderr: after === undefined ? (own?.stderr ?? '') : result.stderr,
    durationMs: result.durationMs,
    ...(result.timedOut === true ? { timedOut: true } : {}),
  };
  return { lead: leadResult, outputs: rest, lastRan };
}

/** Run every fact's command in one round trip; what each printed, in order. */
export async function readFactOutputs(transport: Transport, facts: readonly Fact<unknown>[], options: RunOptions = {}): Promise<FactOutput[]> {
  if (facts.length === 0) return [];
  const nonce = outputNonce();
  const result = await transport.run(batchFactCommand(facts, nonce), options);
  return splitFactOutputs(facts.length, nonce, result.stdout, result.stderr);
}

/** Run every fact's command in one round trip and parse each output with its own parser. */
export async function readFacts(
  transport: Transport,
  facts: readonly Fact<unknown>[],
  options: RunOptions = {},
): Promise<unknown[]> {
  const outputs = await readFactOutputs(transport, facts, options);
  return facts.map((fact, index) => {
    const output = outputs[index];
    if (output === undefined) throw new BeastieError('internal', `no output for fact ${fact.key}`);
    return fact.parse(output);
  });
}
