import fc from 'fast-check';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster.js';
import { serve, type RunningServer } from './http-server.js';
import { MAX_BODY_BYTES } from './http-io.js';

let server: RunningServer;

function call(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<{ code: number; body: string; type: string }> {
  return new Promise((done, fail) => {
    const req = request(`${server.url}${path}`, { method, ca: server.caPem, headers: { Authorization: 'Bearer admin-token', ...(body !== undefined && { 'Content-Type': 'application/json' }), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ code: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), type: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', fail);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** An error must be a Kubernetes Status with the response's code. */
function expectStatus(r: { code: number; body: string }): void {
  const status = JSON.parse(r.body) as { kind?: string; code?: number; status?: string };
  expect(status).toMatchObject({ kind: 'Status', status: 'Failure', code: r.code });
}

describe('crucible serve under malformed and hostile requests', () => {
  beforeAll(async () => {
    server = await serve({ cluster: Cluster.create({ seed: 'fuzz' }) });
  });
  afterAll(async () => server?.close());

  it.each([
    ['bad JSON', 'POST', '/api/v1/namespaces/default/configmaps', '{"metadata": {"name": "x"', 400],
    ['a JSON array body', 'POST', '/api/v1/namespaces/default/configmaps', '[1,2,3]', 400],
    ['deep nesting', 'POST', '/api/v1/namespaces/default/configmaps', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, 400],
    ['an unknown resource', 'GET', '/api/v1/widgets', undefined, 404],
    ['an unknown group', 'GET', '/apis/example.com/v1/widgets', undefined, 404],
    ['a path outside the API', 'GET', '/wp-admin', undefined, 404],
    ['an invalid JSON patch', 'PATCH', '/api/v1/namespaces/default/configmaps/missing', '[{"op":"frobnicate"}]', 404],
  ] as const)('%s: a Status and the right code', async (_name, method, path, body, code) => {
    const r = await call(method, path, body, method === 'PATCH' ? { 'Content-Type': 'application/json-patch+json' } : {});
    expect(r.code).toBe(code);
    expectStatus(r);
  });

  it('a body over 3 MiB: 413 RequestEntityTooLarge', async () => {
    const r = await call('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'big' }, data: { x: 'y'.repeat(MAX_BODY_BYTES) } }));
    expect(r.code).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' });
  });

  it('__proto__ keys are data, not prototypes: nothing is polluted', async () => {
    const r = await call('POST', '/api/v1/namespaces/default/configmaps', '{"metadata":{"name":"proto","__proto__":{"polluted":true}},"data":{"__proto__":"x","a":"b"}}');
    expect(r.code).toBe(201);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(JSON.parse(r.body).data).toEqual({ a: 'b' });
  });

  it('random requests: every answer is an object or a Status, and the server keeps serving', async () => {
    const segment = fc.constantFrom('api', 'apis', 'v1', 'namespaces', 'default', 'pods', 'configmaps', 'apps', 'deployments', 'x', '..', '%00', '', 'status', 'log', 'scale');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.array(segment, { minLength: 1, maxLength: 7 }),
        fc.oneof(fc.json(), fc.string(), fc.constant(undefined)),
        fc.constantFrom('application/json', 'application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', 'text/plain'),
        async (method, parts, body, type) => {
          const r = await call(method, `/${parts.join('/')}`, body, { 'Content-Type': type });
          expect(r.code).toBeGreaterThanOrEqual(200);
          expect(r.code).toBeLessThan(600);
          if (r.code >= 400 && r.type.startsWith('application/json')) expectStatus(r);
          expect(r.code).not.toBe(500);
        },
      ),
      { numRuns: 150 },
    );
    expect((await call('GET', '/healthz')).body).toBe('ok');
  }, 120_000);

  it('request targets that are not URLs on their own ("//", "//api/..") are paths, answered 404, not 500', async () => {
    for (const path of ['//', '//api/..', '///']) expect((await call('GET', path)).code).toBe(404);
  });
});
