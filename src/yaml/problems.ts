// Collects every input error of the files being read (playbook, roles, inventory, vars files) in
// one pass, so the user fixes them all at once, each with `file:line:column`, what is wrong, the
// fix and the offending source line; and the warnings Ansible would print while loading them.
import { InvalidInputError, InvalidInputErrors, type BeastieErrorDetails } from '../errors.js';
import { formatSourceRef, sourceExcerpt, type SourceRef } from '../source.js';
import type { VaultKeyring } from '../vault/vault-keyring.js';

/** An input error in a YAML file; `describe()` adds the source line with a caret under it. */
export class SourceError extends InvalidInputError {
  constructor(
    message: string,
    details: BeastieErrorDetails,
    /** The offending line and a caret, from sourceExcerpt; empty when the file is unknown. */
    readonly excerpt: string,
  ) {
    super(message, details);
    this.name = 'SourceError';
  }

  override describe(): string {
    const line = super.describe();
    return this.excerpt === '' ? line : `${line}\n${this.excerpt.replace(/^/gm, '    ')}`;
  }
}

/** Something Ansible accepts with a warning (a duplicate key, a keyword beastie ignores). */
export interface LoadWarning {
  readonly source: SourceRef;
  readonly message: string;
}

/** The errors and warnings found so far, and the text of each file read, for excerpts. */
export class Problems {
  private readonly errors: SourceError[] = [];
  /**
   * The run's vault secrets, for the files this load pass reads (`!vault` values and whole
   * encrypted files, src/vault/): a Problems is the context of one load pass, so the keyring
   * travels with it instead of through every reader's signature.
   */
  constructor(readonly vault?: VaultKeyring) {}

  private readonly warned: LoadWarning[] = [];
  private readonly texts = new Map<string, string>();
  private readonly seen = new Set<string>();

  /** Remember a file's text so errors in it can show their line. */
  addText(file: string, text: string): void {
    this.texts.set(file, text);
  }

  /** Record an error at `source`: what is wrong, and what to do about it. */
  add(source: SourceRef, message: string, fix?: string): void {
    // A file included twice reports its problems once.
    const key = `${formatSourceRef(source)} ${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const text = this.texts.get(source.file);
    this.errors.push(new SourceError(message, { source, ...(fix === undefined ? {} : { fix }) }, text === undefined ? '' : sourceExcerpt(source, text)));
  }

  /** Record an error built elsewhere (expression and template checks), keeping its source and fix. */
  addError(error: InvalidInputError, fallback: SourceRef): void {
    this.add(error.source ?? fallback, error.message, error.fix);
  }

  /** Record a warning: the load goes on. Repeats (a file read twice) are recorded once. */
  warn(source: SourceRef, message: string): void {
    const key = `warning ${formatSourceRef(source)} ${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.warned.push({ source, message });
  }

  /** The warnings so far, in the order found. */
  warnings(): readonly LoadWarning[] {
    return this.warned;
  }

  get count(): number {
    return this.errors.length;
  }

  /** Every error so far, in file order, then line and column. */
  list(): readonly SourceError[] {
    // Files in the order they were read: the playbook, then its roles and includes.
    const files = [...this.texts.keys(), ...new Set(this.errors.map((e) => e.source?.file ?? ''))];
    return [...this.errors].sort((a, b) => {
      const fa = files.indexOf(a.source?.file ?? '');
      const fb = files.indexOf(b.source?.file ?? '');
      return fa - fb || (a.source?.line ?? 0) - (b.source?.line ?? 0) || (a.source?.column ?? 0) - (b.source?.column ?? 0);
    });
  }

  /** Throw all errors as one InvalidInputErrors, if there are any. */
  throwIfAny(): void {
    if (this.errors.length > 0) throw new InvalidInputErrors(this.list());
  }
}
