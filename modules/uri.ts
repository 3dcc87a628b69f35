// uri: one HTTP(S) request, Ansible's ansible.builtin.uri — sent FROM THE CONTROLLER (FreeBSD's
// base fetch(1) can send neither another method, nor headers, nor a body), with creates/removes and
// dest on the host. The request is made in apply, never in --check: like Ansible's uri (check_mode
// support: none) the task is then skipped. Result keys and messages are those of uri.py and
// module_utils/urls.py fetch_url in ansible-core 2.14 (README "Ansible's other modules").
import { posix } from 'node:path';
import { z } from 'zod';
import { fileStatFact } from '../src/facts/file-stat.js';
import { pathStatFact, type PathStat } from '../src/facts/path-stat.js';
import type { FileStat } from '../src/facts/file-stat.js';
import { pythonJson } from '../src/jinja/filters/serialize.js';
import { withAliases } from '../src/module-api/aliases.js';
import { defineModule, type ApplyContext, type ApplyOutcome, type Plan } from '../src/module-api/module.js';
import { fileAttributeParams, resolveMode } from './support/file-attributes.js';
import { sendHttpRequest, type HttpRequest, type HttpResponse } from './support/http-request.js';

/** Ansible's list of int: `[200, 201]`, `200`, or `"200,201"`. */
const statusCodes = z
  .union([z.number().int(), z.string(), z.array(z.union([z.number().int(), z.string()]))])
  .transform((value, context) => {
    const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
    const codes = items.map((item) => (typeof item === 'number' ? item : Number(item.trim())));
    if (codes.some((code) => !Number.isInteger(code))) {
      context.addIssue({ code: 'custom', message: `status_code: ${JSON.stringify(value)} is not a list of integers` });
      return z.NEVER;
    }
    return codes;
  });

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const params = withAliases(
  {
    url: z.string().regex(/^https?:\/\/\S+$/, 'an http or https URL').describe('The URL to request (http or https).'),
    method: z
      .string()
      .default('GET')
      .transform((m) => m.toUpperCase())
      .refine((m) => /^[A-Z]+$/.test(m), "Parameter 'method' needs to be a single word in uppercase, like GET or POST.")
      .describe('The HTTP method (upper-cased, as Ansible does).'),
    body: z.unknown().optional().describe('The request body; with body_format json a non-string is serialised as Python json.dumps would.'),
    body_format: z.enum(['raw', 'json', 'form-urlencoded']).default('raw').describe('How body is encoded; json and form-urlencoded also set Content-Type unless headers has one.'),
    headers: z.record(z.string(), scalar).default({}).describe('Request headers.'),
    status_code: statusCodes.default([200]).describe('The statuses that mean success; any other fails the task.'),
    return_content: z.boolean().default(false).describe('Register the body as content (a JSON body is always registered as json).'),
    dest: z.string().min(1).optional().describe('Write the body to this file ON THE HOST (a directory: the URL\'s or Content-Disposition\'s file name).'),
    creates: z.string().min(1).optional().describe('Skip the request when this path exists on the host.'),
    removes: z.string().min(1).optional().describe('Skip the request when this path does not exist on the host.'),
    timeout: z.number().int().positive().default(30).describe('Seconds to wait for the server.'),
    follow_redirects: z.enum(['all', 'yes', 'safe', 'none', 'no', 'urllib2']).default('safe').describe('safe: follow redirects of GET and HEAD only; all/yes: every method; none/no/urllib2: none.'),
    validate_certs: z.boolean().default(true).describe('false: accept any TLS certificate.'),
    url_username: z.string().optional().describe('User for HTTP basic authentication.'),
    url_password: z.string().optional().describe('Password for HTTP basic authentication.'),
    force_basic_auth: z.boolean().default(false).describe('Send the credentials with the first request instead of after a 401 challenge.'),
    force: z.boolean().default(false).describe('Send Cache-Control: no-cache instead of If-Modified-Since for an existing dest.'),
    decompress: z.boolean().default(true).describe('Undo a gzip or deflate Content-Encoding.'),
    http_agent: z.string().default('ansible-httpget').describe('The User-Agent header.'),
    use_proxy: z.boolean().default(true).describe('Accepted for Ansible; beastie connects directly (no proxy variables are read).'),
    ...fileAttributeParams,
  },
  { url_username: ['user'], url_password: ['password'] },
);

type Params = z.output<typeof params>;

/** What uri reads on the host: creates, removes, and dest (its mtime for If-Modified-Since). */
export interface UriFacts {
  readonly creates: FileStat | undefined;
  readonly removes: FileStat | undefined;
  readonly dest: PathStat | undefined;
}

const DEST_STAT = { follow: true, mime: false } as const;

function uriFacts(p: Params) {
  return [
    ...(p.creates === undefined ? [] : [fileStatFact(p.creates)]),
    ...(p.removes === undefined ? [] : [fileStatFact(p.removes)]),
    ...(p.dest === undefined ? [] : [pathStatFact(p.dest, DEST_STAT)]),
  ];
}

/** The request's body and headers after body_format, as uri.py builds them. */
export function requestOf(p: Params, dest: PathStat | undefined): HttpRequest {
  const headers: Record<string, string> = { 'User-Agent': p.http_agent, ...p.headers };
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  let body: string | undefined;
  if (p.body_format === 'json') {
    body = p.body === undefined ? undefined : typeof p.body === 'string' ? p.body : pythonJson(p.body);
    if (!hasContentType) headers['Content-Type'] = 'application/json';
  } else if (p.body_format === 'form-urlencoded') {
    body = p.body === undefined || typeof p.body === 'string' ? p.body : formUrlencoded(p.body);
    if (!hasContentType) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  } else if (p.body !== undefined) body = typeof p.body === 'string' ? p.body : pythonJson(p.body);
  if (p.url_username !== undefined && p.force_basic_auth) headers['Authorization'] = basicAuth(p);
  if (p.force) headers['cache-control'] = 'no-cache';
  else if (dest?.exists === true && (dest.stat.rawMode & 0o170000) === 0o100000) headers['If-Modified-Since'] = new Date(Math.floor(dest.stat.mtime) * 1000).toUTCString();
  return {
    url: p.url,
    method: p.method,
    headers,
    ...(body === undefined ? {} : { body: Buffer.from(body) }),
    timeoutMs: p.timeout * 1000,
    validateCerts: p.validate_certs,
    followRedirects: p.follow_redirects,
    decompress: p.decompress,
  };
}

function basicAuth(p: Params): string {
  return `Basic ${Buffer.from(`${p.url_username ?? ''}:${p.url_password ?? ''}`).toString('base64')}`;
}

/** Ansible's form_urlencoded: a mapping or a list of pairs, lists repeated per value. */
export function formUrlencoded(body: unknown): string {
  const pairs: [string, unknown][] = Array.isArray(body) ? body.map((pair) => (Array.isArray(pair) ? [String(pair[0]), pair[1]] : [String(pair), ''])) : Object.entries(body as Record<string, unknown>);
  const search = new URLSearchParams();
  for (const [key, value] of pairs) for (const one of Array.isArray(value) ? value : [value]) search.append(key, String(one));
  return search.toString();
}

/** Skipped by creates/removes (Ansible's stdout), or the request to make. */
export function planUri(p: Params, facts: UriFacts): Plan {
  if (p.creates !== undefined && facts.creates !== undefined) return skipped(`skipped, since '${p.creates}' exists`);
  if (p.removes !== undefined && facts.removes === undefined) return skipped(`skipped, since '${p.removes}' does not exist`);
  return { steps: [{ kind: 'change', summary: `${p.method} ${p.url}${p.dest === undefined ? '' : ` to ${p.dest}`}`, actions: [] }] };
}

function skipped(stdout: string): Plan {
  return { steps: [{ kind: 'noop', reason: stdout }], values: { stdout } };
}

/**
 * The file name for a dest directory: Content-Disposition's, else the final URL's, else
 * index.html. The server (or a redirect) chooses it, so it is only ever a plain name inside dest:
 * decoded before its last component is taken (`..%2F..%2Fetc%2Fx` is `x`, never a path), and
 * never `.`, `..` or a name with a NUL.
 */
export function responseFilename(response: HttpResponse): string {
  const disposition = /filename\*?=(?:"([^"]*)"|([^;\s]*))/i.exec(response.headers['content-disposition'] ?? '');
  const named = plainName(disposition?.[1] ?? disposition?.[2] ?? '');
  if (named !== undefined) return named;
  const path = new URL(response.url).pathname;
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape (`%zz`): the name as sent.
  }
  return plainName(decoded) ?? 'index.html';
}

/** The last component of `name`, unless that is empty, `.`, `..` or holds a NUL. */
function plainName(name: string): string | undefined {
  const base = posix.basename(name.replace(/\/+$/, ''));
  return base === '' || base === '.' || base === '..' || base.includes('\0') ? undefined : base;
}

const JSON_TYPES = new Set(['json', 'javascript']);

/** The registered result of a response, as uri.py's exit_json/fail_json build it (dashes → underscores). */
export function uriResult(p: Params, response: HttpResponse, elapsed: number, path: string | undefined): { values: Record<string, unknown>; failure?: string } {
  const contentType = response.headers['content-type'];
  const [mime = 'application/octet-stream', ...typeParams] = (contentType ?? 'application/octet-stream').split(';').map((part) => part.trim());
  const subType = (mime.split('/')[1] ?? '').toLowerCase();
  const maybeJson = contentType !== undefined && JSON_TYPES.has(subType.includes('+') ? subType.split('+')[1] ?? '' : subType);
  const charset = typeParams.find((part) => /^charset=/i.test(part))?.slice('charset='.length).replace(/"/g, '') ?? 'utf-8';
  const text = new TextDecoder(charset.toLowerCase() === 'utf-8' || charset.toLowerCase() === 'utf8' ? 'utf-8' : 'latin1').decode(response.body);
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(response.headers)) values[name.replace(/-/g, '_')] = value;
  const ok = response.status >= 200 && response.status < 300;
  if (ok) {
    values['cookies'] = Object.fromEntries(response.cookies);
    values['cookies_string'] = response.cookies.map(([name, value]) => `${name}=${value}`).join('; ');
  }
  values['redirected'] = response.url !== p.url;
  values['url'] = response.url;
  values['status'] = response.status;
  values['elapsed'] = elapsed;
  values['changed'] = path !== undefined;
  if (path !== undefined) values['path'] = path;
  if (typeof values['location'] === 'string') values['location'] = new URL(values['location'], response.url).href;
  if (maybeJson) {
    try {
      values['json'] = JSON.parse(text);
    } catch {
      // Not JSON after all: Ansible leaves json out.
    }
  }
  if (p.return_content) values['content'] = text;
  if (!p.status_code.includes(response.status)) {
    const msg = `Status code was ${response.status} and not [${p.status_code.join(', ')}]: ${response.msg}`;
    return { values: { ...values, msg }, failure: msg };
  }
  return { values: { ...values, msg: response.msg } };
}

/** Make the request (with a basic-auth retry after a 401 challenge), write dest, build the result. */
export async function requestUri(context: Pick<ApplyContext, 'put'>, p: Params, facts: UriFacts): Promise<ApplyOutcome> {
  const started = Date.now();
  const request = requestOf(p, facts.dest);
  let response = await sendHttpRequest(request);
  if (response.status === 401 && p.url_username !== undefined && !p.force_basic_auth && /^basic/i.test(response.headers['www-authenticate'] ?? '')) {
    response = await sendHttpRequest({ ...request, headers: { ...request.headers, Authorization: basicAuth(p) } });
  }
  const elapsed = Math.floor((Date.now() - started) / 1000);
  let path: string | undefined;
  if (p.dest !== undefined && response.status !== -1) {
    const intoDir = facts.dest?.exists === true && (facts.dest.stat.rawMode & 0o170000) === 0o040000;
    const target = intoDir ? posix.join(p.dest, responseFilename(response)) : p.dest;
    if (p.status_code.includes(response.status) && response.status !== 304) {
      const keep = !intoDir && facts.dest?.exists === true ? facts.dest.stat.rawMode & 0o7777 : undefined;
      const mode = p.mode === undefined ? keep : resolveMode(p.mode, keep, false);
      await context.put(target, response.body, { ...(mode === undefined ? {} : { mode }), ...(p.owner === undefined ? {} : { owner: p.owner }), ...(p.group === undefined ? {} : { group: p.group }) });
      path = target;
    } else {
      const { values, failure } = uriResult(p, response, elapsed, undefined);
      return { changed: false, values: { ...values, path: target }, ...(failure === undefined ? {} : { failure }) };
    }
  }
  const { values, failure } = uriResult(p, response, elapsed, path);
  return { changed: path !== undefined, values, ...(failure === undefined ? {} : { failure }) };
}

export default defineModule({
  name: 'uri',
  summary: 'Send an HTTP(S) request from the controller; dest, creates and removes are on the host',
  description:
    "Ansible's uri. The request is sent by the controller (FreeBSD's base system has no HTTP client that can send " +
    'other methods, headers or a body), so a URL naming localhost is the controller: use the host\'s address. ' +
    'method, headers, body with body_format raw/json/form-urlencoded, status_code, return_content, follow_redirects, ' +
    'basic auth (url_username/url_password, force_basic_auth), timeout, validate_certs, decompress; dest writes the ' +
    'body atomically on the host (mode/owner/group; an existing dest is sent If-Modified-Since, a 304 is not ' +
    'written). Registers status, url, msg ("OK (N bytes)" or "HTTP Error 404: Not Found"), redirected, elapsed, ' +
    'every response header lower-cased with - as _, cookies, cookies_string, json for a JSON body, content with ' +
    'return_content, path with dest. A status outside status_code fails with Ansible\'s "Status code was …". ' +
    'Changed only when dest was written, as Ansible. Under --check the task is skipped ("remote module (uri) does ' +
    'not support check mode"), as Ansible skips it. Not supported: src, form-multipart, unix_socket, client certs, netrc, proxies.',
  params,
  example: `- name: The API answers
  uri:
    url: "http://{{ ansible_host }}:8080/health"
    return_content: true
    status_code: [200, 204]
  register: health`,
  supportsCheckMode: false,
  needs: (p) => uriFacts(p),
  async observe(host, p): Promise<UriFacts> {
    const [creates, removes, dest] = await Promise.all([
      p.creates === undefined ? undefined : host.facts(fileStatFact(p.creates)).then(([stat]) => stat),
      p.removes === undefined ? undefined : host.facts(fileStatFact(p.removes)).then(([stat]) => stat),
      p.dest === undefined ? undefined : host.facts(pathStatFact(p.dest, DEST_STAT)).then(([stat]) => stat),
    ]);
    return { creates, removes, dest };
  },
  plan({ params: p, facts }) {
    return planUri(p, facts);
  },
  async apply(context, { params: p, facts }) {
    return requestUri(context, p, facts);
  },
});
