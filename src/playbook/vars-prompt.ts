// A play's `vars_prompt:` as Ansible reads it (playbook/play.py, display.do_var_prompt): a list of
// questions, each `name` plus optional `prompt`, `default`, `private` (default true), `confirm`,
// `encrypt` (a passlib hash name, as password_hash takes), `salt_size`, `salt` and `unsafe`.
import { isMap, type Node } from 'yaml';
import type { SourceRef } from '../source.js';
import { describeValue } from '../expression/values.js';
import { didYouMean } from '../text/did-you-mean.js';
import type { Fields } from './fields.js';

/** One question of `vars_prompt:`. */
export interface VarsPrompt {
  readonly name: string;
  readonly prompt: string | undefined;
  /** Used for an empty answer, and when there is no terminal to ask on; rendered on the extra vars. */
  readonly default: string | undefined;
  /** Read without echo (Ansible's default). */
  readonly private: boolean;
  /** Asked twice; the answers must match. */
  readonly confirm: boolean;
  /** Hash the answer with this scheme (sha512_crypt, sha256_crypt, md5_crypt…), as password_hash. */
  readonly encrypt: string | undefined;
  readonly saltSize: number | undefined;
  readonly salt: string | undefined;
  /** Never templated (Ansible's `unsafe: true`). */
  readonly unsafe: boolean;
  readonly source: SourceRef;
}

const KEYS = ['name', 'prompt', 'default', 'private', 'confirm', 'encrypt', 'salt_size', 'salt', 'unsafe'] as const;

/** The questions of a `vars_prompt:` list; each problem is recorded and the question skipped. */
export function readVarsPrompt(items: readonly Node[], fields: Fields): VarsPrompt[] {
  const { src, problems } = fields;
  const prompts: VarsPrompt[] = [];
  for (const item of items) {
    const source = src.ref(item);
    if (!isMap(item)) {
      problems.add(source, `a vars_prompt entry must be a mapping (got ${describeValue(src.value(item))})`, 'write - name: VARIABLE\n  prompt: the question');
      continue;
    }
    const byKey = new Map(src.entries(item, problems).map((entry) => [entry.key, entry]));
    for (const [key, entry] of byKey) {
      if ((KEYS as readonly string[]).includes(key)) continue;
      const near = didYouMean(key, KEYS);
      problems.add(src.ref(entry.keyNode), `unknown vars_prompt key '${key}'`, near ? `did you mean '${near}'?` : `vars_prompt keys: ${KEYS.join(', ')}`);
    }
    const read = <T>(key: (typeof KEYS)[number], how: (entry: NonNullable<ReturnType<typeof byKey.get>>) => T | undefined): T | undefined => {
      const entry = byKey.get(key);
      return entry === undefined ? undefined : how(entry);
    };
    const nameEntry = byKey.get('name');
    if (nameEntry === undefined) {
      problems.add(source, "a vars_prompt entry needs 'name:' (the variable it sets)", 'add name: VARIABLE');
      continue;
    }
    const name = fields.identifier(nameEntry);
    if (name === undefined) continue;
    prompts.push({
      name,
      prompt: read('prompt', (e) => fields.string(e)),
      default: read('default', (e) => fields.templatedString(e)),
      private: read('private', (e) => fields.bool(e)) ?? true,
      confirm: read('confirm', (e) => fields.bool(e)) ?? false,
      encrypt: read('encrypt', (e) => fields.string(e)),
      saltSize: read('salt_size', (e) => fields.int(e, 1)),
      salt: read('salt', (e) => fields.string(e)),
      unsafe: read('unsafe', (e) => fields.bool(e)) ?? false,
      source,
    });
  }
  return prompts;
}
