import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster.js';
import { serve, type RunningServer } from './http-server.js';

let server: RunningServer;
const get = (path: string, accept = 'application/json') =>
  new Promise<{ status: number; body: any }>((done, fail) => {
    const req = request(`${server.url}${path}`, { ca: server.caPem, headers: { Authorization: 'Bearer admin-token', Accept: accept } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', fail);
    req.end();
  });

const getBytes = (path: string, accept: string) =>
  new Promise<{ contentType: string; bytes: Buffer }>((done, fail) => {
    const req = request(`${server.url}${path}`, { ca: server.caPem, headers: { Authorization: 'Bearer admin-token', Accept: accept } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => done({ contentType: String(res.headers['content-type']), bytes: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });

describe('OpenAPI documents', () => {
  beforeAll(async () => {
    server = await serve({ cluster: Cluster.create({ seed: 'openapi', nodes: 0 }) });
  });
  afterAll(async () => server?.close());

  it('v3: each group version lists its document by hash, and the document has its kinds with GVKs and their references', async () => {
    const root = await get('/openapi/v3');
    const url = root.body.paths['apis/apps/v1'].serverRelativeURL as string;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    const doc = (await get(url)).body;
    const deployment = doc.components.schemas['io.k8s.api.apps.v1.Deployment'];
    expect(deployment['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(deployment.properties.spec.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }]);
    // Everything referred to is there, including other groups' types (PodTemplateSpec, ObjectMeta).
    expect(doc.components.schemas['io.k8s.api.core.v1.PodTemplateSpec']).toBeDefined();
    expect(doc.components.schemas['io.k8s.api.core.v1.PodSpec'].properties.containers['x-kubernetes-patch-merge-key']).toBe('name');
    expect(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch['x-kubernetes-action']).toBe('patch');
  });

  it('v2: Swagger 2.0 JSON with #/definitions/ references; a form neither JSON nor protobuf gets 406', async () => {
    const v2 = await get('/openapi/v2');
    expect(v2.body.swagger).toBe('2.0');
    expect(v2.body.definitions['io.k8s.api.apps.v1.Deployment'].properties.spec).toMatchObject({ $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec' });
    expect(JSON.stringify(v2.body)).not.toContain('#/components/schemas/');
    expect(await get('/openapi/v2', 'application/yaml')).toMatchObject({ status: 406, body: { reason: 'NotAcceptable' } });
  });

  it('v2 as gnostic protobuf for client-go (kubectl explain --output=plaintext-openapiv2 reads it; the kubectl suites check that)', async () => {
    const r = await getBytes('/openapi/v2', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf');
    expect(r.contentType).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    // Document.swagger (field 1) = "2.0", then Info (field 2).
    expect([...r.bytes.subarray(0, 5)]).toEqual([0x0a, 0x03, 0x32, 0x2e, 0x30]);
    expect(r.bytes.includes(Buffer.from('io.k8s.api.apps.v1.Deployment'))).toBe(true);
    expect(r.bytes.includes(Buffer.from('x-kubernetes-group-version-kind'))).toBe(true);
  });
});
