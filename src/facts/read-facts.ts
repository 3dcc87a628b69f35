// Reads many facts in one round trip: their commands run one after another in a single
// /bin/sh, each in a subshell, separated by markers carrying the batch's nonce and exit code.
//
// The nonce is made on the host (output-nonce.ts hostNonce, as a sectioned read's): the command
// line holds only the controller's word, so a host user who reads it with ps cannot write a
// marker into a file a later fact reads. The batch announces the nonce on each stream before any
// fact runs, and the parser (and a transport's lead cut) takes it from there:
//
//   @@beastie NONCE@@\n { FACT's OUTPUT \n@@beastie-NONCE-INDEX@@ EXIT\n }        (stdout)
//   @@beastie NONCE@@\n { FACT's STDERR \n@@beastie-NONCE-INDEX@@\n }             (stderr)
import { raw, sh, type Command } from '../command/command.js';
import { BeastieError } from '../errors.js';
import type { CommandResult, LeadEnds, RunOptions, Transport } from '../transport/transport.js';
import type { Fact, FactOutput, ReadTogether } from './fact.js';
import { hostNonce, outputNonce } from './output-nonce.js';

/** The marker printed after the batch's fact #index (with its exit code on stdout). */
function factMarker(nonce: string, index: number): string {
  return `@@beastie-${nonce}-${index}@@`;
}

/** The start of the line a batch prints first on each stream: the host's hex digits, then `@@\n`, follow. */
function announcement(word: string): string {
  return `@@beastie ${word}`;
}

/** The host's part of a nonce: 16 hex digits, none where the host could not read /dev/urandom. */
const HOST_PART = /^[0-9a-f]{0,16}$/;

/**
 * A stream's announcement: where its line starts and ends and the whole nonce; undefined when the
 * stream has none (the shell never ran, the output was lost). The first one counts: nothing of
 * the host's is printed before it.
 */
export function findAnnouncement(text: string, word: string): { readonly at: number; readonly end: number; readonly nonce: string } | undefined {
  const prefix = announcement(word);
  for (let at = text.indexOf(prefix); at >= 0; at = text.indexOf(prefix, at + 1)) {
    const close = text.indexOf('@@\n', at + prefix.length);
    if (close < 0) return undefined;
    const hostPart = text.slice(at + prefix.length, close);
    if (HOST_PART.test(hostPart)) return { at, end: close + 3, nonce: `${word}${hostPart}` };
  }
  return undefined;
}

/**
 * Where a lead command of a batch ends on each stream, for the transport to cut there
 * (RunOptions.leadEnds, src/transport/lead-cut.ts): the batch's announcement, then fact #0's marker.
 */
function leadEnds(word: string): LeadEnds {
  return {
    announce: announcement(word),
    hostPart: HOST_PART,
    marker: (stream, hostPart) => (stream === 'stdout' ? `\n${factMarker(`${word}${hostPart}`, 0)} ` : `\n${factMarker(`${word}${hostPart}`, 0)}\n`),
  };
}

/** What a batch prints after fact #index: its marker and exit code on stdout, its marker on stderr; `nonce` is the shell word holding the batch's nonce. */
function factEnd(index: number, nonce: Command): Command {
  const at = raw(String(index));
  return sh`printf '\\n@@beastie-%s-${at}@@ %d\\n' ${nonce} "$?"; printf '\\n@@beastie-%s-${at}@@\\n' ${nonce} >&2`;
}

/**
 * The one command that runs every fact of the batch; `word` is the controller's part of its nonce.
 * Facts next to each other that are read together (Fact.together, the same group; one alone
 * too) run as their group's one command, which prints each one's end itself.
 */
export function batchFactCommand(facts: readonly Fact<unknown>[], word: string): Command {
  const { make, value: nonce } = hostNonce(word);
  const open = sh`${make}; printf '@@beastie %s@@\\n' ${nonce}; printf '@@beastie %s@@\\n' ${nonce} >&2`;
  const parts: Command[] = [open];
  for (let index = 0; index < facts.length; ) {
    const fact = facts[index] as Fact<unknown>;
    const group = fact.together;
    let next = index + 1;
    while (group !== undefined && next < facts.length && facts[next]?.together?.group === group.group) next++;
    if (group === undefined) {
      // The newline before `)` lets a fact's command end with a here-document.
      parts.push(sh`( ${fact.command}
); ${factEnd(index, nonce)}`);
    } else {
      const first = index;
      const items = facts.slice(first, next).map((member) => (member.together as ReadTogether).item);
      parts.push(sh`( ${group.combine(items, { nonce, end: (member, word) => factEnd(first + member, word) })}
) </dev/null`);
    }
    index = next;
  }
  return { text: parts.map((p) => p.text).join('\n'), display: parts.map((p) => p.display).join('\n') };
}

/**
 * `facts` with the members of each together-group moved next to the group's first (the order is
 * otherwise kept), and how to put outputs read in that order back in the facts' own order.
 */
function groupTogether<F extends Fact<unknown>>(facts: readonly F[]): { readonly ordered: F[]; restore<T>(outputs: readonly T[]): T[] } {
  const positions = new Map<string, number[]>();
  const order: number[][] = [];
  facts.forEach((fact, index) => {
    const group = fact.together?.group;
    const members = group === undefined ? undefined : positions.get(group);
    if (members !== undefined) members.push(index);
    else {
      const own = [index];
      order.push(own);
      if (group !== undefined) positions.set(group, own);
    }
  });
  const permutation = order.flat();
  return {
    ordered: permutation.map((index) => facts[index] as F),
    restore: (outputs) => {
      const restored: (typeof outputs)[number][] = new Array(outputs.length);
      permutation.forEach((original, at) => {
        if (at < outputs.length) restored[original] = outputs[at] as (typeof outputs)[number];
      });
      return restored;
    },
  };
}

/** The text without its announcement line. */
function withoutAnnouncement(text: string, found: { readonly at: number; readonly end: number }): string {
  return text.slice(0, found.at) + text.slice(found.end);
}

/** Split the batch's stdout and stderr back into one output per fact (`word`: as given to {@link batchFactCommand}). */
export function splitFactOutputs(count: number, word: string, stdout: string, stderr: string): FactOutput[] {
  const announced = findAnnouncement(stdout, word);
  if (announced === undefined) {
    throw new BeastieError('internal', `fact batch output ended before fact #1 of ${count}`);
  }
  const { nonce } = announced;
  const errAnnounced = findAnnouncement(stderr, word);
  const outputs: FactOutput[] = [];
  let outRest = withoutAnnouncement(stdout, announced);
  // stderr's markers carry the same nonce; a stream that lost its announcement is split by stdout's.
  let errRest = errAnnounced === undefined || errAnnounced.nonce !== nonce ? stderr : withoutAnnouncement(stderr, errAnnounced);
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
  const word = outputNonce();
  const { ordered, restore } = groupTogether(facts);
  // The facts read after the lead must not eat what was meant for its stdin.
  const isolated = (command: Command) => sh`{ ${command}
} </dev/null`;
  const parts: Fact<unknown>[] = [
    { key: 'lead', command: lead, parse: () => undefined },
    ...ordered.map((fact) => ({ ...fact, command: isolated(fact.command) })),
    ...(last === undefined ? [] : [{ key: 'last', command: isolated(last), parse: () => undefined }]),
  ];
  const batch = batchFactCommand(parts, word);
  // The transport cuts each stream where the lead ends: its output is then exactly its own (limit,
  // truncation note, live output, log records), the reads' comes apart in `after`, announcement first.
  const result = await transport.run(batch, { ...options, leadEnds: leadEnds(word) });
  // The command as the transport shows it (a jail's `jexec NAME …`), with the lead in the batch's place.
  const shown = result.command.includes(batch.display) ? result.command.replace(batch.display, () => lead.display) : lead.display;
  const { after, ...whole } = result;
  let outputs: FactOutput[];
  try {
    // A transport that does not cut (a test's) hands everything in stdout/stderr.
    outputs = after === undefined ? splitFactOutputs(parts.length, word, result.stdout, result.stderr) : splitFactOutputs(parts.length, word, after.stdout, after.stderr);
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
  return { lead: leadResult, outputs: restore(rest), lastRan };
}

/** Run every fact's command in one round trip; what each printed, in order. */
export async function readFactOutputs(transport: Transport, facts: readonly Fact<unknown>[], options: RunOptions = {}): Promise<FactOutput[]> {
  if (facts.length === 0) return [];
  const word = outputNonce();
  const { ordered, restore } = groupTogether(facts);
  const result = await transport.run(batchFactCommand(ordered, word), options);
  return restore(splitFactOutputs(facts.length, word, result.stdout, result.stderr));
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
