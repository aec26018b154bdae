import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlCommand, parseDuration } from '../cli/control-command.js';
import { UserInputError } from '../cli/plan-file.js';
import { serveForKubectl, type ServedCluster } from './testing/kubectl.js';

let served: ServedCluster;
const ctl = async (command: string, ...args: string[]) => {
  const lines: string[] = [];
  const code = await controlCommand(command, [...args, '--kubeconfig', served.config], (l) => lines.push(l));
  return { code, text: lines.join('\n') };
};
const refusal = (command: string, ...args: string[]) => ctl(command, ...args).then(() => 'accepted', (e: unknown) => (e instanceof UserInputError ? e.message : `not a user error: ${String(e)}`));

describe('parseDuration (Go time.ParseDuration units)', () => {
  it.each([['30s', 30_000], ['5m', 300_000], ['1h30m', 5_400_000], ['250ms', 250], ['1.5s', 1500]])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '10x', '5', 'm5', '1h 30m'])('refuses %j', (text) => expect(() => parseDuration(text)).toThrow(UserInputError));
});

describe('the control endpoint and crucible clock|pause|resume|advance|fault|heal|faults', () => {
  beforeAll(async () => {
    served = await serveForKubectl('control', { nodes: 2 });
  });
  afterAll(async () => served?.close());

  it('pauses the clock, advances it on demand, and resumes it', async () => {
    expect((await ctl('pause')).text).toMatch(/, paused$/);
    const before = served.cluster.world.sim.now;
    await new Promise((r) => setTimeout(r, 100));
    expect(served.cluster.world.sim.now).toBe(before);
    expect((await ctl('advance', '2m')).text).toMatch(/^advanced 2m0s: virtual time \S+ \(2m\d/);
    expect(served.cluster.world.sim.now).toBe(before + 120_000);
    expect((await ctl('resume')).text).toMatch(/running at 1x$/);
  });

  it('injects a named fault, lists it, refuses a second one of the same name, heals it', async () => {
    expect((await ctl('fault', 'cut', '{kind: partition, groups: [[node-1], [cp-0]]}')).text).toBe('fault "cut" injected (partition); heal it with: crucible heal cut');
    expect((await ctl('faults')).text).toMatch(/^cut\tpartition\tsince \S+\t\{"kind":"partition","groups":\[\["node-1"\],\["cp-0"\]\]\}$/);
    expect(await refusal('fault', 'cut', '{kind: loss, rate: 0.5}')).toMatch(/a fault named "cut" is already active; heal it first \(409\)$/);
    // The node controller sees node-1 go silent: after the grace period, its Ready condition is Unknown.
    await ctl('advance', '60s');
    expect(served.cluster.find('nodes', 'node-1')?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status).toBe('Unknown');
    expect((await ctl('heal', 'cut')).text).toBe('fault "cut" healed');
    expect((await ctl('faults')).text).toBe('no active faults');
    expect(await refusal('heal', 'cut')).toMatch(/no active fault named "cut" \(active: none\) \(404\)$/);
    await ctl('advance', '30s');
    expect(served.cluster.find('nodes', 'node-1')?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status).toBe('True');
  });

  it('reads a fault spec from a file (-f), and names what is wrong with a bad one', async () => {
    const file = `${served.dir}/latency.yaml`;
    writeFileSync(file, 'kind: latency\naddMs: 50\n');
    expect((await ctl('fault', 'slow', '-f', file)).text).toContain('fault "slow" injected (latency)');
    await ctl('heal', 'slow');
    expect(await refusal('fault', 'bad', '{kind: nope}')).toMatch(/fault "bad": fault.kind: must be one of partition, .*, got "nope" \(400\)$/);
    expect(await refusal('fault', 'Bad Name', '{kind: loss, rate: 1}')).toMatch(/"name" must be a lowercase name/);
    expect(await refusal('advance', '10x')).toBe('advance: expected a duration such as 30s, 5m or 1h30m, got "10x"');
    expect(await refusal('advance', '30h')).toMatch(/"ms" must be a whole number of milliseconds from 0 to 86400000, got 108000000 \(400\)$/);
  });

  it('refuses anyone but a cluster-admin, and a server that is not there', async () => {
    const other = `${served.dir}/other`;
    writeFileSync(other, (await import('node:fs')).readFileSync(served.config, 'utf8').replace('token: admin-token', 'token: wrong'));
    await expect(controlCommand('clock', ['--kubeconfig', other], () => {})).rejects.toThrow(/Unauthorized|401/);
    await expect(controlCommand('clock', ['--kubeconfig', `${served.dir}/missing`], () => {})).rejects.toThrow(/no kubeconfig here/);
  });
});

describe('serve with its own token (what the CLI does)', () => {
  it('accepts only that token over HTTP, while /version and /healthz stay public', async () => {
    const { Cluster } = await import('../cluster/cluster.js');
    const { serve } = await import('./http-server.js');
    const running = await serve({ cluster: Cluster.create({ seed: 'token' }), token: 'only-this' });
    const get = (path: string, token?: string) => fetchInsecure(running.url + path, running.caPem, token);
    try {
      expect(await get('/api/v1/namespaces', 'only-this')).toBe(200);
      expect(await get('/api/v1/namespaces', 'admin-token')).toBe(401);
      expect(await get('/api/v1/namespaces')).toBe(401);
      expect(await get('/version')).toBe(200);
      expect(await get('/healthz')).toBe(200);
    } finally {
      await running.close();
    }
  });
});

async function fetchInsecure(url: string, ca: string, token?: string): Promise<number> {
  const { request } = await import('node:https');
  return new Promise((done, fail) => {
    const req = request(url, { ca, headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end();
  });
}
