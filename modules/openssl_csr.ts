// openssl_csr: community.crypto's module for the subject and subjectAltName of a certificate signing
// request, on the host's base-system openssl(1): the existing request is read with `openssl req`
// (subject, requested extensions, self-signature, public key) and kept when community.crypto's
// _check_csr would keep it (module_backends/csr.py: subject as a set, SAN as a set with its
// criticality, no other extension, a valid signature by the private key's public key); otherwise
// `openssl req -new -key KEY -subj … -addext subjectAltName=…` writes a new one, renamed over the path.
import { posix } from 'node:path';
import { z } from 'zod';
import { raw, sh, type Command } from '../src/command/command.js';
import { defineFact, fileSubject, type Fact, type FactOutput } from '../src/facts/fact.js';
import { fileStatFact, type FileStat } from '../src/facts/file-stat.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type Plan, type Step } from '../src/module-api/module.js';
import type { CommandResult } from '../src/transport/transport.js';
import { attributeCommands, attributeDifferences, withAttributesNotes, fileAttributeParams } from './support/file-attributes.js';
import { backupCommand, backupFileOf } from './support/write-safety.js';
import { stillNotAsWanted } from '../src/module-api/changes-left.js';
import { pathOperand } from '../src/command/path-operand.js';
import { keepAttributes, printAfter, printedAfter, privateWriteCommand } from './support/private-write.js';

/** The subject's named parameters in community.crypto's order, with openssl's short name. */
const NAMED: readonly (readonly [string, string])[] = [
  ['country_name', 'C'],
  ['state_or_province_name', 'ST'],
  ['locality_name', 'L'],
  ['organization_name', 'O'],
  ['organizational_unit_name', 'OU'],
  ['common_name', 'CN'],
  ['email_address', 'emailAddress'],
];
/** Names a `subject` key may use (cryptography_name_to_oid's short and long names), as openssl's short name. */
const SUBJECT_KEYS: Readonly<Record<string, string>> = {
  C: 'C', countryName: 'C', ST: 'ST', stateOrProvinceName: 'ST', L: 'L', localityName: 'L', O: 'O', organizationName: 'O',
  OU: 'OU', organizationalUnitName: 'OU', CN: 'CN', commonName: 'CN', E: 'emailAddress', emailAddress: 'emailAddress',
  serialNumber: 'serialNumber', DC: 'DC', domainComponent: 'DC', title: 'title', SN: 'SN', surname: 'SN', GN: 'GN', givenName: 'GN',
};

const optionalText = z.string().optional();
const params = withAliases(
  {
    path: z.string().min(1).describe('The request file on the host.'),
    state: z.enum(['present', 'absent']).default('present').describe('present: a request as wanted; absent: removed.'),
    privatekey_path: z.string().min(1).describe('The private key the request is signed with (an unencrypted PEM key on the host).'),
    digest: z.string().default('sha256').describe('The signature digest (openssl req -DIGEST).'),
    country_name: optionalText.describe('C'),
    state_or_province_name: optionalText.describe('ST'),
    locality_name: optionalText.describe('L'),
    organization_name: optionalText.describe('O'),
    organizational_unit_name: optionalText.describe('OU'),
    common_name: optionalText.describe('CN'),
    email_address: optionalText.describe('emailAddress'),
    subject: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional().describe('More subject entries: C, ST, L, O, OU, CN, emailAddress, serialNumber, DC, title, SN, GN (or their long names).'),
    subject_alt_name: z.array(z.string()).optional().describe('DNS:…, IP:…, email:…, URI:… entries.'),
    subject_alt_name_critical: z.boolean().default(false).describe('Mark subjectAltName critical.'),
    use_common_name_for_san: z.boolean().default(true).describe('Without subject_alt_name, DNS:CN.'),
    force: z.boolean().default(false).describe('Write a new request even when the existing one is as wanted.'),
    backup: z.boolean().default(false).describe('Copy the old request to PATH.PID.YYYY-MM-DD@HH:MM:SS~ before replacing or removing it.'),
    return_content: z.boolean().default(false).describe("Register the request's PEM as csr."),
    select_crypto_backend: z.enum(['auto', 'cryptography']).default('auto').describe("Accepted; beastie's backend is the host's openssl(1)."),
    ...fileAttributeParams,
  },
  {
    country_name: ['C', 'countryName'],
    state_or_province_name: ['ST', 'stateOrProvinceName'],
    locality_name: ['L', 'localityName'],
    organization_name: ['O', 'organizationName'],
    organizational_unit_name: ['OU', 'organizationalUnitName'],
    common_name: ['CN', 'commonName'],
    email_address: ['E', 'emailAddress'],
    subject_alt_name: ['subjectAltName'],
    subject_alt_name_critical: ['subjectAltName_critical'],
    use_common_name_for_san: ['useCommonNameForSAN'],
  },
).superRefine((p, context) => {
  for (const key of Object.keys(p.subject ?? {})) if (SUBJECT_KEYS[key] === undefined) context.addIssue({ code: 'custom', path: ['subject', key], message: `Unknown subject field identifier "${key}" (beastie knows ${Object.keys(SUBJECT_KEYS).join(', ')})` });
  for (const name of p.subject_alt_name ?? []) if (!/^(DNS|IP|email|URI|RID|dirName|otherName):./.test(name)) context.addIssue({ code: 'custom', path: ['subject_alt_name'], message: `Cannot parse Subject Alternative Name "${name}" (potentially unsupported by cryptography backend)` });
});

type Params = z.output<typeof params>;

/** The wanted subject, as community.crypto's backend builds it: the named parameters, then `subject`. */
export function wantedSubject(p: Params): [string, string][] {
  const out: [string, string][] = [];
  for (const [param, short] of NAMED) {
    const value = p[param as keyof Params];
    if (typeof value === 'string' && value !== '') out.push([short, value]);
  }
  for (const [key, value] of Object.entries(p.subject ?? {})) for (const one of Array.isArray(value) ? value : [value]) out.push([SUBJECT_KEYS[key] ?? key, one]);
  return out;
}

/** subjectAltName as wanted: the list, or DNS:CN with use_common_name_for_san. */
export function wantedAltNames(p: Params): string[] | undefined {
  if (p.subject_alt_name !== undefined && p.subject_alt_name.length > 0) return p.subject_alt_name;
  const cn = wantedSubject(p).find(([name]) => name === 'CN');
  return p.use_common_name_for_san && cn !== undefined ? [`DNS:${cn[1]}`] : undefined;
}

/** An existing request and the key as openssl(1) reads them. */
export interface CsrFile {
  readonly baseDir: boolean;
  readonly exists: boolean;
  /** Parsed by openssl req; false for a broken file. */
  readonly readable?: boolean;
  readonly subject?: readonly [string, string][];
  /** subjectAltName entries, openssl's `IP Address:` written `IP:` as cryptography's names are. */
  readonly altNames?: readonly string[];
  readonly altNamesCritical?: boolean;
  /** Requested extensions other than subjectAltName. */
  readonly otherExtensions?: readonly string[];
  readonly signatureValid?: boolean;
  /** Hex of the request's and the key's public key DER. */
  readonly csrPublic?: string;
  readonly keyPublic?: string;
  readonly pem?: string;
}

/** Parses the sections {@link csrFileFact} prints. */
export function parseCsrFile(output: FactOutput): CsrFile {
  const lines = output.stdout.split('\n');
  const baseDir = lines.includes('basedir');
  const keyPublic = lines.find((l) => l.startsWith('keypub '))?.slice('keypub '.length).trim() ?? '';
  const base = { baseDir, ...(keyPublic === '' ? {} : { keyPublic }) };
  if (!lines.includes('exists')) return { ...base, exists: false };
  const section = (name: string) => {
    const start = lines.indexOf(`[${name}]`);
    if (start < 0) return [];
    const end = lines.findIndex((l, i) => i > start && /^\[[a-z]+\]$/.test(l));
    return lines.slice(start + 1, end < 0 ? undefined : end);
  };
  const subjectLines = section('subject');
  const readable = subjectLines.some((l) => l.startsWith('subject='));
  const subject = subjectLines.flatMap((l) => {
    const match = /^\s+(\S+) = (.*)$/.exec(l);
    return match?.[1] === undefined || match[2] === undefined ? [] : [[match[1], match[2]] as [string, string]];
  });
  const text = section('text');
  const extensions: { name: string; critical: boolean; value: string }[] = [];
  const at = text.findIndex((l) => l.trim() === 'Requested Extensions:');
  if (at >= 0) {
    for (let i = at + 1; i < text.length; i++) {
      const header = /^\s{16}(\S.*?):\s*(critical)?\s*$/.exec(text[i] ?? '');
      if (header?.[1] === undefined) {
        if (/^\s{0,8}\S/.test(text[i] ?? '')) break;
        continue;
      }
      extensions.push({ name: header[1], critical: header[2] === 'critical', value: (text[i + 1] ?? '').trim() });
    }
  }
  const san = extensions.find((e) => e.name === 'X509v3 Subject Alternative Name');
  const csrPublic = lines.find((l) => l.startsWith('csrpub '))?.slice('csrpub '.length).trim() ?? '';
  const pemAt = lines.indexOf('[pem]');
  return {
    ...base,
    exists: true,
    readable,
    subject,
    ...(san === undefined ? {} : { altNames: san.value.split(', ').map((n) => n.replace(/^IP Address:/, 'IP:')), altNamesCritical: san.critical }),
    otherExtensions: extensions.filter((e) => e !== san).map((e) => e.name),
    signatureValid: section('verify').some((l) => /verify OK/.test(l)),
    ...(csrPublic === '' ? {} : { csrPublic }),
    ...(pemAt < 0 ? {} : { pem: lines.slice(pemAt + 1).join('\n') }),
  };
}

/** What the request holds, whether it is signed by its key, and the key's public key. */
export function csrFileFact(path: string, key: string, withPem: boolean): Fact<CsrFile> {
  const operand = pathOperand(path);
  const pem = withPem ? raw(`\necho '[pem]'; cat ${sh`${operand}`.text}`) : raw('');
  return defineFact(
    `openssl-csr:${withPem ? 'pem' : '-'}:${path}:${key}`,
    sh`if [ -d ${posix.dirname(operand)} ]; then echo basedir; fi
printf 'keypub %s\\n' "$(openssl pkey -in ${key} -passin pass: -pubout -outform DER 2>/dev/null | od -An -v -tx1 | tr -d ' \\n')"
if [ ! -e ${operand} ]; then exit 0; fi
echo exists
echo '[subject]'; openssl req -in ${operand} -noout -subject -nameopt sep_multiline,sname,space_eq,utf8 2>/dev/null
echo '[text]'; openssl req -in ${operand} -noout -text 2>/dev/null
echo '[verify]'; openssl req -in ${operand} -noout -verify 2>&1
printf 'csrpub %s\\n' "$(openssl req -in ${operand} -noout -pubkey 2>/dev/null | openssl pkey -pubin -outform DER 2>/dev/null | od -An -v -tx1 | tr -d ' \\n')"${pem}`,
    parseCsrFile,
    [fileSubject(path), fileSubject(key)],
  );
}

/** _check_csr for what beastie's parameters say: subject set, SAN set and criticality, no other extension, signature by this key. */
export function csrAsWanted(p: Params, csr: CsrFile): boolean {
  if (csr.readable !== true) return false;
  const key = (entries: readonly (readonly [string, string])[]) => new Set(entries.map(([n, v]) => `${n}=${v}`));
  const [want, have] = [key(wantedSubject(p)), key(csr.subject ?? [])];
  if (want.size !== have.size || [...want].some((e) => !have.has(e))) return false;
  const alt = wantedAltNames(p) ?? [];
  const current = csr.altNames ?? [];
  if (new Set(alt).size !== new Set(current).size || alt.some((n) => !current.includes(n))) return false;
  if (alt.length > 0 && csr.altNamesCritical !== p.subject_alt_name_critical) return false;
  if ((csr.otherExtensions ?? []).length > 0) return false;
  return csr.signatureValid === true && csr.csrPublic !== undefined && csr.csrPublic === csr.keyPublic;
}

/** `-subj` text: each value with `\`, `/` and `+` escaped, as openssl req reads it. */
export function subjectArgument(subject: readonly (readonly [string, string])[]): string {
  return subject.map(([name, value]) => `/${name}=${value.replace(/[\\/+]/g, (c) => `\\${c}`)}`).join('') || '/';
}

/**
 * openssl req into `f` in the install script's private directory beside the path
 * (src/transport/install-file.ts: mktemp -d, entered and checked), then renamed over it without
 * following a link planted there. Before (issue 17) a `mktemp DIR/.beastie-csr.XXXXXX` file beside it
 * was named again for openssl, chmod and chown, which a user who can write DIR swapped for a link.
 */
function generateCommand(p: Params, stat: FileStat | undefined): Command {
  const alt = wantedAltNames(p);
  const addext = alt === undefined ? raw('') : sh` -addext ${`subjectAltName=${p.subject_alt_name_critical ? 'critical,' : ''}${alt.join(',')}`}`;
  return privateWriteCommand(p.path, {
    // The key's path is read from inside the private directory: a relative one is made absolute first.
    before: sh`key=${p.privatekey_path}
case $key in /*) ;; *) key=$(pwd -P)/$key ;; esac`,
    make: sh`openssl req -new -key "$key" -subj ${subjectArgument(wantedSubject(p))}${addext} ${`-${p.digest}`} -out f`,
    then: [keepAttributes(stat), ...(p.return_content ? [printAfter('[pem]')] : [])],
  });
}

/** dump(): the parameters as the backend holds them, and filename. */
function dumpValues(p: Params, pem: string | undefined): Record<string, unknown> {
  return {
    privatekey: p.privatekey_path,
    filename: p.path,
    subject: wantedSubject(p),
    subjectAltName: wantedAltNames(p) ?? null,
    keyUsage: null,
    extendedKeyUsage: null,
    basicConstraints: null,
    ocspMustStaple: false,
    name_constraints_permitted: [],
    name_constraints_excluded: [],
    ...(p.return_content ? { csr: pem ?? null } : {}),
  };
}

export function planCsr(p: Params, csr: CsrFile, stat: FileStat | undefined): Plan {
  const base = posix.dirname(p.path);
  if (!csr.baseDir) return { steps: [], failure: `The directory ${base} does not exist or the file is not a directory` };
  const runs = (commands: Command[]) => commands.map((command) => ({ kind: 'run' as const, command }));
  const values = dumpValues(p, csr.pem);
  if (p.state === 'absent') {
    if (!csr.exists) return { steps: [{ kind: 'noop', reason: `${p.path} is absent` }], values };
    return { steps: [{ kind: 'change', summary: `remove ${p.path}`, actions: runs([...(p.backup ? [backupCommand(p.path)] : []), sh`rm -f ${pathOperand(p.path)}`]) }], values };
  }
  if (csr.keyPublic === undefined) return { steps: [], failure: `Error while reading private key ${p.privatekey_path}: openssl pkey cannot read it without a passphrase` };
  const wanted = { mode: p.mode, owner: p.owner, group: p.group };
  if (p.force || !csrAsWanted(p, csr)) {
    const step: Step = {
      kind: 'change',
      summary: `${csr.exists ? 'regenerate' : 'generate'} the request ${p.path} for ${subjectArgument(wantedSubject(p))}`,
      actions: runs([...(p.backup && csr.exists ? [backupCommand(p.path)] : []), generateCommand(p, stat), ...attributeCommands(p.path, stat, wanted)]),
    };
    return { steps: [step], values };
  }
  const differences = attributeDifferences(stat, wanted);
  if (differences.length === 0) return { steps: [{ kind: 'noop', reason: `${p.path} is a request as wanted` }], values };
  return { steps: [{ kind: 'change', summary: `${p.path}: ${differences.join(', ')}`, actions: runs(attributeCommands(p.path, stat, wanted)) }], values };
}

/** After a run: backup_file, and the new PEM for return_content. */
export function registerCsr(p: Params, results: readonly CommandResult[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const backup = backupFileOf(results);
  if (backup !== undefined) out['backup_file'] = backup;
  const pem = p.return_content ? printedAfter(results, '[pem]') : undefined;
  if (pem !== undefined) out['csr'] = pem;
  return out;
}

const facts = (p: Params) => [csrFileFact(p.path, p.privatekey_path, p.return_content), fileStatFact(p.path)] as const;

export default defineModule({
  name: 'openssl_csr',
  summary: "Generate a certificate signing request (community.crypto.openssl_csr) with the base system's openssl",
  description:
    "community.crypto's openssl_csr for a request's subject and subjectAltName, on FreeBSD's base openssl(1): the " +
    'existing request is read with `openssl req` (subject, requested extensions, -verify, its public key against ' +
    "the private key's) and kept as community.crypto's _check_csr keeps it (the subject as a set, subjectAltName " +
    'as a set with its criticality, DNS:CN by default with use_common_name_for_san, no other extension, a valid ' +
    'signature by that key); otherwise `openssl req -new -key KEY -subj … -addext subjectAltName=…` writes a ' +
    "private mktemp -d directory beside the path (as every file write), renamed over it. Registers privatekey, filename, subject, " +
    'subjectAltName, keyUsage … (null: not taken), backup_file, csr (return_content). Not taken (load-time ' +
    'errors, so a task using them is refused, not half done): key_usage, extended_key_usage, basic_constraints, ' +
    'ocsp_must_staple, name constraints, key identifiers, crl_distribution_points, privatekey_content, ' +
    'privatekey_passphrase, subject_ordered.',
  params,
  example: `- name: poudriere's signing request
  community.crypto.openssl_csr:
    path: /usr/local/etc/ssl/csr/poudriere.csr
    privatekey_path: /usr/local/etc/ssl/keys/poudriere.key
    common_name: pkg.example.org`,
  needs: (p) => [...facts(p)],
  async observe(host, p) {
    const [csr, stat] = await host.facts(...facts(p));
    return { csr, stat };
  },
  plan({ params: p, facts: observed }) {
    return withAttributesNotes(planCsr(p, observed.csr, observed.stat), p);
  },
  verify({ params: p, facts: observed }) {
    const again = planCsr({ ...p, force: false }, observed.csr, observed.stat);
    return stillNotAsWanted(p.path, again);
  },
  register: ({ params: p, results }) => registerCsr(p, results),
});
