import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster.js';
import { serve, type RunningServer } from './http-server.js';

let server: RunningServer;
let cluster: Cluster;

function open(path: string, token = 'admin-token'): Promise<{ ws: WebSocket; messages: Array<{ type: string; object: { metadata: { name: string } } }> } | { status: number }> {
  return new Promise((done) => {
    const ws = new WebSocket(`${server.url.replace('https', 'wss')}${path}`, { ca: server.caPem, headers: { Authorization: `Bearer ${token}` } });
    const messages: Array<{ type: string; object: { metadata: { name: string } } }> = [];
    ws.on('message', (m: Buffer) => messages.push(JSON.parse(m.toString())));
    ws.on('open', () => done({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => done({ status: res.statusCode ?? 0 }));
  });
}
const until = async (fn: () => boolean) => {
  for (let i = 0; i < 50 && !fn(); i++) await new Promise((r) => setTimeout(r, 20));
};

/** A chunked watch's lines, read for a while. */
async function chunked(path: string, ms: number): Promise<{ status: number; lines: Array<{ type: string; object: Record<string, any> }> }> {
  const { request } = await import('node:https');
  return new Promise((done) => {
    const lines: Array<{ type: string; object: Record<string, any> }> = [];
    let buffer = '';
    const req = request(`${server.url}${path}`, { ca: server.caPem, headers: { Authorization: 'Bearer admin-token' } }, (res) => {
      res.on('data', (d: Buffer) => {
        buffer += d.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop()!;
        for (const p of parts) if (p !== '') lines.push(JSON.parse(p));
      });
      setTimeout(() => (req.destroy(), done({ status: res.statusCode ?? 0, lines })), ms);
    });
    req.end();
  });
}

describe('chunked watches: bookmarks and 410 Gone', () => {
  beforeAll(async () => {
    cluster = Cluster.create({ seed: 'watch-chunked', nodes: 0 }, { epochMs: Date.now() });
    server = await serve({ cluster });
  });
  afterAll(async () => server?.close());

  it('a watch from a compacted resourceVersion gets an ERROR event with 410 Gone (Expired), as kube-apiserver sends it', async () => {
    cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'old', namespace: 'default' } } as never);
    const rv = cluster.find('configmap', 'old')!.metadata.resourceVersion;
    for (let i = 0; i < 3; i++) cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `newer-${i}`, namespace: 'default' } } as never);
    cluster.advance(11 * 60_000); // kube-apiserver compacts every 5 minutes, to the revision seen at the previous pass
    const r = await chunked(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, 300);
    expect(r.status).toBe(200);
    expect(r.lines[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
  });

  it('allowWatchBookmarks: a BOOKMARK with the current resourceVersion comes about once a minute', async () => {
    const watching = chunked('/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true', 400);
    await new Promise((r) => setTimeout(r, 100));
    cluster.advance(65_000);
    const r = await watching;
    const bookmark = r.lines.find((l) => l.type === 'BOOKMARK');
    expect(bookmark?.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
  });
});

describe('watch over WebSocket', () => {
  beforeAll(async () => {
    cluster = Cluster.create({ seed: 'watch-ws', nodes: 0 }, { epochMs: Date.now() });
    server = await serve({ cluster });
  });
  afterAll(async () => server?.close());

  it('each event is one JSON text message: ADDED, MODIFIED, DELETED', async () => {
    const w = await open('/api/v1/namespaces/default/configmaps?watch=true&labelSelector=watched%3Dyes');
    if (!('ws' in w)) throw new Error(`upgrade refused: ${w.status}`);
    cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w', namespace: 'default', labels: { watched: 'yes' } }, data: { a: '1' } } as never);
    cluster.patch('configmap', 'w', { data: { a: '2' } });
    cluster.delete('configmap', 'w');
    await until(() => w.messages.length >= 3);
    w.ws.close();
    expect(w.messages.map((m) => `${m.type} ${m.object.metadata.name}`)).toEqual(['ADDED w', 'MODIFIED w', 'DELETED w']);
  });

  it('refusals come before the upgrade, with their status code', async () => {
    expect(await open('/api/v1/namespaces/default/configmaps?watch=true', 'wrong')).toEqual({ status: 401 });
    expect(await open('/api/v1/namespaces/default/widgets?watch=true')).toEqual({ status: 404 });
  });
});
