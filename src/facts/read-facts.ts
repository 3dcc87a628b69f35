// Reads many facts in one round trip: their commands run one after another in a single
// /bin/sh, each in a subshell, separated by markers carrying a per-batch nonce and exit code.
import { randomBytes } from 'node:crypto';
import { raw, sh, type Command } from '../command/command.js';
import { BeastieError } from '../errors.js';
import type { RunOptions, Transport } from '../transport/transport.js';
import type { Fact, FactOutput } from './fact.js';

/** The one command that runs every fact of the batch, and how to split its output again. */
export function batchFactCommand(facts: readonly Fact<unknown>[], nonce: string): Command {
  const parts = facts.map((fact, index) => {
    const marker = `@@beastie-${nonce}-${index}@@`;
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
    const marker = `\n@@beastie-${nonce}-${index}@@`;
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

/** Run every fact's command in one round trip and parse each output with its own parser. */
export async function readFacts(
  transport: Transport,
  facts: readonly Fact<unknown>[],
  options: RunOptions = {},
): Promise<unknown[]> {
  if (facts.length === 0) return [];
  const nonce = randomBytes(6).toString('hex');
  const result = await transport.run(batchFactCommand(facts, nonce), options);
  const outputs = splitFactOutputs(facts.length, nonce, result.stdout, result.stderr);
  return facts.map((fact, index) => {
    const output = outputs[index];
    if (output === undefined) throw new BeastieError('internal', `no output for fact ${fact.key}`);
    return fact.parse(output);
  });
}
