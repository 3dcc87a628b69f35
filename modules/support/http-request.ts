// One HTTP(S) request from the controller, as Ansible's fetch_url (module_utils/urls.py) makes it
// for the uri module: redirects followed by its follow_redirects rule, the response's headers with
// lower-cased names, an error status (>= 400) read like any other, and a failed connection as
// status -1 with "Request failed: …". Node's own http/https only; nothing reaches a host.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { STATUS_CODES } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';

/** Ansible's follow_redirects choices (yes/all, safe, no/none/urllib2 as Ansible reads them). */
export type FollowRedirects = 'all' | 'yes' | 'safe' | 'none' | 'no' | 'urllib2';

/** What to send. */
export interface HttpRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly timeoutMs: number;
  readonly validateCerts: boolean;
  readonly followRedirects: FollowRedirects;
  /** Undo a gzip/deflate Content-Encoding (Ansible's decompress). */
  readonly decompress: boolean;
}

/** What came back: a status (-1 when no response), the final URL, headers, body and fetch_url's msg. */
export interface HttpResponse {
  readonly status: number;
  readonly url: string;
  /** Header names lower-cased, values joined with ', ' where a header came more than once. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly msg: string;
  /** Set-Cookie pairs in the order received. */
  readonly cookies: readonly (readonly [string, string])[];
}

/** urllib's limit on one request's redirects (HTTPRedirectHandler.max_redirections). */
const MAX_REDIRECTS = 10;

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function cookiesOf(headers: IncomingHttpHeaders): [string, string][] {
  return (headers['set-cookie'] ?? []).flatMap((line) => {
    const pair = line.split(';')[0] ?? '';
    const at = pair.indexOf('=');
    return at <= 0 ? [] : [[pair.slice(0, at).trim(), pair.slice(at + 1).trim()] as [string, string]];
  });
}

/** Whether a redirect of `method` is followed, as Ansible's redirect handler decides. */
function followsRedirect(rule: FollowRedirects, method: string): boolean {
  if (rule === 'all' || rule === 'yes') return true;
  if (rule === 'safe') return method === 'GET' || method === 'HEAD';
  return false;
}

/** Headers that speak for the user to the origin they were meant for. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * The headers without credentials, for a redirect to another origin (scheme, host or port): the
 * server redirecting, or whoever controls where it points, must not receive a token or basic-auth
 * password meant for the first one (as curl and Python requests do; Ansible's handler resends them).
 */
function withoutCredentials(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
}

function once(request: HttpRequest, url: URL): Promise<{ response: IncomingMessage; body: Buffer }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['Content-Length'] = String(request.body.length);
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { method: request.method, headers, timeout: request.timeoutMs, rejectUnauthorized: request.validateCerts }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ response, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('The read operation timed out')));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

function decoded(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  return body;
}

/** Send the request; never throws (a failed connection is status -1, as fetch_url reports it). */
export async function sendHttpRequest(request: HttpRequest): Promise<HttpResponse> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { status: -1, url: request.url, headers: {}, body: Buffer.alloc(0), msg: `Request failed: <urlopen error unknown url type: ${request.url}>`, cookies: [] };
  }
  let method = request.method;
  const { body: firstBody, ...fixed } = request;
  let body = firstBody;
  let headers = request.headers;
  for (let hop = 0; ; hop++) {
    let answer: { response: IncomingMessage; body: Buffer };
    try {
      answer = await once({ ...fixed, method, ...(body === undefined ? {} : { body }), headers }, url);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? '[Errno 111] Connection refused' : (error as Error).message;
      return { status: -1, url: url.href, headers: {}, body: Buffer.alloc(0), msg: `Request failed: <urlopen error ${reason}>`, cookies: [] };
    }
    const { response } = answer;
    const status = response.statusCode ?? -1;
    const answered = flatHeaders(response.headers);
    const location = answered['location'];
    if ([301, 302, 303, 307, 308].includes(status) && location !== undefined && hop < MAX_REDIRECTS && followsRedirect(request.followRedirects, method)) {
      const next = new URL(location, url);
      if (next.origin !== url.origin) headers = withoutCredentials(headers);
      url = next;
      // As urllib: a 303 (and a 301/302 of a POST) becomes a GET without a body.
      if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    const content = request.decompress ? decoded(answer.body, answered['content-encoding']) : answer.body;
    const reason = response.statusMessage ?? STATUS_CODES[status] ?? '';
    // urllib raises HTTPError for >= 400 (and for a redirect it does not follow): str(e) is the msg.
    const msg = status >= 400 || (status >= 300 && status < 400) ? `HTTP Error ${status}: ${reason}` : `OK (${answered['content-length'] ?? 'unknown'} bytes)`;
    return { status, url: url.href, headers: answered, body: content, msg, cookies: cookiesOf(response.headers) };
  }
}
