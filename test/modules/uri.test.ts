import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import uri, { formUrlencoded, planUri, requestOf, responseFilename } from '../../modules/uri.js';
import { runYaml } from '../fixtures/runner/yaml-run.js';
import { runLocal } from './helpers/three-way.js';

const params = (p: Record<string, unknown>) => uri.params.parse(p);
const FILE_DATE = new Date('2026-01-02T03:04:05Z');

/** A small server with the answers the tests need; every request is recorded. */
function route(request: IncomingMessage, body: string, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://x');
  const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    response.end(JSON.stringify(value));
  };
  switch (url.pathname) {
    case '/echo':
      return json(200, { method: request.method, headers: request.headers, body }, { 'Set-Cookie': 'session=abc; Path=/', 'X-Request-Id': '42' });
    case '/created':
      return json(201, { id: 7 });
    case '/away':
      response.writeHead(302, { Location: url.searchParams.get('to') ?? '/' });
      return void response.end();
    case '/moved':
      response.writeHead(302, { Location: '/echo' });
      return void response.end();
    case '/missing':
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      return void response.end('no such thing\n');
    case '/secret':
      if (request.headers.authorization !== `Basic ${Buffer.from('ops:pw').toString('base64')}`) {
        response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' });
        return void response.end();
      }
      return json(200, { user: 'ops' });
    case '/files/site.conf': {
      const since = request.headers['if-modified-since'];
      if (since !== undefined && new Date(since) >= FILE_DATE) {
        response.writeHead(304);
        return void response.end();
      }
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Last-Modified': FILE_DATE.toUTCString(), 'Content-Length': '10' });
      return void response.end('port=8080\n');
    }
    default:
      response.writeHead(500);
      response.end();
  }
}

let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => route(request, Buffer.concat(chunks).toString(), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'beastie-uri-'));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('uri: parameters and the request', () => {
  it('upper-cases the method and refuses one that is not a single word, with Ansible\'s message', () => {
    expect(params({ url: 'http://h/', method: 'post' }).method).toBe('POST');
    expect(() => params({ url: 'http://h/', method: 'GET /x' })).toThrow(/Parameter 'method' needs to be a single word in uppercase, like GET or POST\./);
  });
  it('takes status_code as a list, one number or a comma list; user/password as aliases', () => {
    expect(params({ url: 'http://h/' }).status_code).toEqual([200]);
    expect(params({ url: 'http://h/', status_code: 204 }).status_code).toEqual([204]);
    expect(params({ url: 'http://h/', status_code: '200, 201' }).status_code).toEqual([200, 201]);
    expect(params({ url: 'http://h/', user: 'ops', password: 'pw' })).toMatchObject({ url_username: 'ops', url_password: 'pw' });
  });
  it('encodes a json body as Python json.dumps and sets Content-Type unless a header has it', () => {
    const request = requestOf(params({ url: 'http://h/', method: 'POST', body_format: 'json', body: { a: 1, b: [true, null] } }), undefined);
    expect(request.body?.toString()).toBe('{"a": 1, "b": [true, null]}');
    expect(request.headers).toMatchObject({ 'Content-Type': 'application/json', 'User-Agent': 'ansible-httpget' });
    const own = requestOf(params({ url: 'http://h/', body_format: 'json', body: '{}', headers: { 'content-type': 'application/vnd.x+json' } }), undefined);
    expect(own.headers).not.toHaveProperty('Content-Type');
    expect(own.body?.toString()).toBe('{}');
  });
  it('encodes form-urlencoded from a mapping or pairs, a list value repeated', () => {
    expect(formUrlencoded({ name: 'a b', tag: ['x', 'y'] })).toBe('name=a+b&tag=x&tag=y');
    expect(formUrlencoded([['k', 'v']])).toBe('k=v');
  });
  it('sends If-Modified-Since for an existing dest file, Cache-Control with force, Authorization with force_basic_auth', () => {
    const dest = { exists: true, stat: { rawMode: 0o100644, mtime: FILE_DATE.getTime() / 1000 } } as never;
    expect(requestOf(params({ url: 'http://h/', dest: '/d' }), dest).headers['If-Modified-Since']).toBe(FILE_DATE.toUTCString());
    expect(requestOf(params({ url: 'http://h/', dest: '/d', force: true }), dest).headers).toMatchObject({ 'cache-control': 'no-cache' });
    expect(requestOf(params({ url: 'http://h/', user: 'ops', password: 'pw', force_basic_auth: true }), undefined).headers['Authorization']).toBe('Basic b3BzOnB3');
  });
});

describe('uri: plan', () => {
  it('is skipped by creates and removes with Ansible\'s stdout', () => {
    const file = { type: 'file', mode: 0o644, owner: 'root', group: 'wheel', size: 0 } as const;
    expect(planUri(params({ url: 'http://h/', creates: '/done' }), { creates: file, removes: undefined, dest: undefined })).toEqual({
      steps: [{ kind: 'noop', reason: "skipped, since '/done' exists" }],
      values: { stdout: "skipped, since '/done' exists" },
    });
    expect(planUri(params({ url: 'http://h/', removes: '/todo' }), { creates: undefined, removes: undefined, dest: undefined }).values).toEqual({ stdout: "skipped, since '/todo' does not exist" });
  });
  it('otherwise plans the request (made by apply, never in --check)', () => {
    expect(planUri(params({ url: 'http://h/x', method: 'DELETE' }), { creates: undefined, removes: undefined, dest: undefined }).steps).toEqual([{ kind: 'change', summary: 'DELETE http://h/x', actions: [] }]);
  });
  it('names a download into a directory by Content-Disposition, else the URL, else index.html', () => {
    const response = (headers: Record<string, string>, url: string) => ({ status: 200, url, headers, body: Buffer.alloc(0), msg: '', cookies: [] });
    expect(responseFilename(response({ 'content-disposition': 'attachment; filename="r.tgz"' }, 'http://h/get'))).toBe('r.tgz');
    expect(responseFilename(response({}, 'http://h/a/b%20c.txt?x=1'))).toBe('b c.txt');
    expect(responseFilename(response({}, 'http://h/'))).toBe('index.html');
  });
  it('never lets the server name a path outside dest (the name is a hostile server\'s, or a redirect\'s)', () => {
    const response = (headers: Record<string, string>, url: string) => ({ status: 200, url, headers, body: Buffer.alloc(0), msg: '', cookies: [] });
    expect(responseFilename(response({}, 'http://h/x/..%2F..%2F..%2Fetc%2Fcron.d%2Fevil'))).toBe('evil');
    expect(responseFilename(response({}, 'http://h/a/%2e%2e'))).toBe('index.html');
    expect(responseFilename(response({}, 'http://h/a/b%zz'))).toBe('b%zz');
    expect(responseFilename(response({}, 'http://h/a/%00'))).toBe('index.html');
    expect(responseFilename(response({ 'content-disposition': 'attachment; filename=".."' }, 'http://h/get/r.tgz'))).toBe('r.tgz');
    expect(responseFilename(response({ 'content-disposition': 'attachment; filename="../../etc/passwd"' }, 'http://h/get'))).toBe('passwd');
  });
});

describe('uri: requests from the controller (local connection)', () => {
  it('GET a JSON answer: json, headers with _ names, cookies, msg, never changed', async () => {
    const outcome = await runLocal(uri, { url: `${base}/echo`, headers: { 'X-Trace': 1 } });
    expect(outcome.status, outcome.msg).toBe('ok');
    expect(outcome.values).toMatchObject({
      status: 200,
      url: `${base}/echo`,
      redirected: false,
      msg: 'OK (unknown bytes)',
      content_type: 'application/json',
      x_request_id: '42',
      cookies: { session: 'abc' },
      cookies_string: 'session=abc',
      json: { method: 'GET', headers: { 'x-trace': '1', 'user-agent': 'ansible-httpget' }, body: '' },
      elapsed: 0,
      changed: false,
    });
    expect(outcome.values).not.toHaveProperty('content');
  });
  it('POST a json body with status_code 201 and return_content', async () => {
    const outcome = await runLocal(uri, { url: `${base}/created`, method: 'POST', body_format: 'json', body: { name: 'x' }, status_code: [200, 201], return_content: true });
    expect(outcome.status, outcome.msg).toBe('ok');
    expect(outcome.values).toMatchObject({ status: 201, content: '{"id":7}', json: { id: 7 } });
  });
  it('follows a redirect of a GET (safe), not of a POST', async () => {
    expect((await runLocal(uri, { url: `${base}/moved` })).values).toMatchObject({ status: 200, redirected: true, url: `${base}/echo` });
    const post = await runLocal(uri, { url: `${base}/moved`, method: 'POST' });
    expect(post).toMatchObject({ status: 'failed', msg: `Status code was 302 and not [200]: HTTP Error 302: Found`, values: { status: 302, location: `${base}/echo` } });
  });
  it('fails on a status outside status_code with Ansible\'s message, content with return_content', async () => {
    const outcome = await runLocal(uri, { url: `${base}/missing`, return_content: true });
    expect(outcome).toMatchObject({ status: 'failed', msg: 'Status code was 404 and not [200]: HTTP Error 404: Not Found', values: { status: 404, content: 'no such thing\n' } });
    expect((await runLocal(uri, { url: `${base}/missing`, status_code: 404 })).status).toBe('ok');
  });
  it('reports a refused connection as status -1', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await runLocal(uri, { url: `http://127.0.0.1:${port}/` });
    expect(outcome).toMatchObject({ status: 'failed', values: { status: -1, msg: expect.stringMatching(/^Status code was -1 and not \[200\]: Request failed: <urlopen error \[Errno 111\] Connection refused>$/) } });
  });
  it('never sends credentials or cookies on to another origin a redirect names; keeps them on the same origin', async () => {
    // The other origin: another port (a hostile server a redirect points at, or plain http after https).
    const seen: IncomingMessage['headers'][] = [];
    const other = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const away = `http://127.0.0.1:${(other.address() as AddressInfo).port}/loot`;
      const secrets = { Authorization: 'Bearer t0ken-for-base', Cookie: 'sid=for-base', 'X-Trace': 'kept' };
      const outcome = await runLocal(uri, { url: `${base}/away?to=${encodeURIComponent(away)}`, headers: secrets, url_username: 'ops', url_password: 'pw', force_basic_auth: true });
      expect(outcome.values).toMatchObject({ status: 200, redirected: true, url: away });
      expect(seen).toHaveLength(1);
      expect(seen[0]).not.toHaveProperty('authorization');
      expect(seen[0]).not.toHaveProperty('cookie');
      expect(seen[0]).toMatchObject({ 'x-trace': 'kept' });
      // A redirect within the origin keeps them (/moved → /echo, which shows what it got).
      const same = await runLocal(uri, { url: `${base}/moved`, headers: secrets });
      expect(same.values).toMatchObject({ status: 200, json: { headers: { authorization: 'Bearer t0ken-for-base', cookie: 'sid=for-base' } } });
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });
  it('answers a basic-auth challenge with url_username/url_password', async () => {
    expect((await runLocal(uri, { url: `${base}/secret` })).values).toMatchObject({ status: 401 });
    expect((await runLocal(uri, { url: `${base}/secret`, url_username: 'ops', url_password: 'pw' })).values).toMatchObject({ status: 200, json: { user: 'ops' } });
  });
  it('dest: written with its mode (changed), then 304 Not Modified is not written; into a directory by the URL\'s name', async () => {
    const dest = join(dir, 'site.conf');
    const first = await runLocal(uri, { url: `${base}/files/site.conf`, dest, mode: '0640', status_code: [200, 304] });
    expect(first).toMatchObject({ status: 'changed', values: { status: 200, path: dest, changed: true, msg: 'OK (10 bytes)' } });
    expect(await readFile(dest, 'utf8')).toBe('port=8080\n');
    expect((await stat(dest)).mode & 0o777).toBe(0o640);
    await utimes(dest, FILE_DATE, FILE_DATE);
    const again = await runLocal(uri, { url: `${base}/files/site.conf`, dest, status_code: [200, 304] });
    expect(again).toMatchObject({ status: 'ok', values: { status: 304, path: dest, changed: false } });
    // As Ansible: a 304 is not in the default status_code.
    expect((await runLocal(uri, { url: `${base}/files/site.conf`, dest })).msg).toBe('Status code was 304 and not [200]: HTTP Error 304: Not Modified');
    const into = await runLocal(uri, { url: `${base}/files/site.conf`, dest: dir });
    expect(into.values).toMatchObject({ path: join(dir, 'site.conf') });
  });
  it('creates on the host skips the request', async () => {
    await writeFile(join(dir, 'done'), '');
    expect(await runLocal(uri, { url: `${base}/missing`, creates: join(dir, 'done') })).toMatchObject({ status: 'ok', values: { stdout: `skipped, since '${join(dir, 'done')}' exists` } });
  });
});

describe('uri in a play', () => {
  it('is skipped under --check, as Ansible skips a module without check mode; runs otherwise', async () => {
    const play = await mkdtemp(join(tmpdir(), 'beastie-uri-play-'));
    try {
      const site = `- hosts: all\n  gather_facts: false\n  tasks:\n    - ansible.builtin.uri:\n        url: ${base}/echo\n      register: r\n    - debug:\n        msg: "{{ r.status | default('none') }}"\n`;
      const checked = await runYaml(play, { 'site.yml': site }, ['--check']);
      const result = checked.events.filter((e) => e.event === 'task_result').map((e) => ({ status: e.status, msg: e.msg }))[0];
      expect(result, checked.stderr).toMatchObject({ status: 'skipped', msg: 'remote module (uri) does not support check mode' });
      expect(checked.debug()).toEqual(['none']);
      const ran = await runYaml(play, { 'site.yml': site });
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.debug()).toEqual([200]);
    } finally {
      await rm(play, { recursive: true, force: true });
    }
  });
});
