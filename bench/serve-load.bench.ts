// crucible serve under load: API requests per second and latency percentiles from a local load generator
// while 500 watches are open on the objects it writes (every write fans out to all 500). The server runs in
// a worker thread; the generator keeps 32 requests in flight for 5 s: 60 % GET, 20 % LIST (limit 50), 20 % PATCH.
import { Agent, request } from 'node:https';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { figure } from './report.js';

export const name = 'serve-load';

const WATCHES = 500;
const IN_FLIGHT = 32;
const SECONDS = 5;

export async function run(): Promise<void> {
  await phase(0);
  await phase(WATCHES);
}

async function phase(WATCHES: number): Promise<void> {
  const worker = new Worker(new URL('./serve-worker.js', import.meta.url));
  const { url, ca } = await new Promise<{ url: string; ca: string }>((done) => worker.once('message', done));
  const headers = { Authorization: 'Bearer admin-token', Accept: 'application/json' };
  const watchAgent = new Agent({ ca, keepAlive: true, maxSockets: WATCHES + 10 });
  let watchEvents = 0;
  const watches = await Promise.all(
    Array.from({ length: WATCHES }, () =>
      new Promise<ReturnType<typeof request>>((done) => {
        const req = request(`${url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=0`, { agent: watchAgent, headers }, (res) => {
          res.on('data', (d: Buffer) => (watchEvents += d.toString().split('\n').length - 1));
          done(req);
        });
        req.end();
      }),
    ),
  );
  const agent = new Agent({ ca, keepAlive: true, maxSockets: IN_FLIGHT });
  const call = (method: string, path: string, body?: string) =>
    new Promise<number>((done, fail) => {
      const start = performance.now();
      const req = request(`${url}${path}`, { method, agent, headers: { ...headers, ...(body !== undefined && { 'Content-Type': 'application/merge-patch+json' }) } }, (res) => {
        res.resume();
        res.on('end', () => ((res.statusCode ?? 500) < 300 ? done(performance.now() - start) : fail(new Error(`${method} ${path}: ${res.statusCode}`))));
      });
      req.on('error', fail);
      req.end(body);
    });
  const latencies: number[] = [];
  const eventsBefore = watchEvents;
  let n = 0;
  const end = performance.now() + SECONDS * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const i = n++;
      const cm = `cm-${i % 100}`;
      const kind = i % 10;
      latencies.push(
        kind < 6
          ? await call('GET', `/api/v1/namespaces/default/configmaps/${cm}`)
          : kind < 8
            ? await call('GET', '/api/v1/namespaces/default/configmaps?limit=50')
            : await call('PATCH', `/api/v1/namespaces/default/configmaps/${cm}`, JSON.stringify({ data: { n: String(i) } })),
      );
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, loop));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  const label = `${WATCHES} watches`;
  figure(`serve-load requests/s (${IN_FLIGHT} in flight, ${label})`, Math.round(latencies.length / elapsed), 'req/s');
  figure(`serve-load latency p50 (${label})`, Number(pct(50).toFixed(2)), 'ms');
  figure(`serve-load latency p99 (${label})`, Number(pct(99).toFixed(2)), 'ms');
  if (WATCHES > 0) figure('serve-load watch events delivered/s', Math.round((watchEvents - eventsBefore) / elapsed), 'events/s');
  for (const w of watches) w.destroy();
  agent.destroy();
  watchAgent.destroy();
  worker.postMessage('stop');
  await new Promise((r) => worker.once('exit', r));
}
