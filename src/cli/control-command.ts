import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';
import { goDuration } from '../api/duration.js';
import { UserInputError } from './plan-file.js';

/** The commands that drive a running `crucible serve`. */
export const CONTROL_COMMANDS = new Set(['clock', 'advance', 'pause', 'resume', 'fault', 'heal', 'faults']);

interface Endpoint {
  server: string;
  ca: string;
  token: string;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go-style duration ("90s", "5m", "1h30m", "250ms") in milliseconds. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new UserInputError(`advance: expected a duration such as 30s, 5m or 1h30m, got ${JSON.stringify(text)}`);
  return Math.round(parts.reduce((ms, p) => ms + Number(p[1]) * UNITS[p[2]!]!, 0));
}

/** The server, CA and token of the kubeconfig's current context (what `crucible serve` wrote). */
function endpoint(path: string): Endpoint {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserInputError(`${path}: no kubeconfig here; start one with "crucible serve" or pass --kubeconfig FILE`);
  }
  type Config = { 'current-context'?: string; contexts?: Array<{ name: string; context: { cluster: string; user: string } }>; clusters?: Array<{ name: string; cluster: { server: string; 'certificate-authority-data'?: string } }>; users?: Array<{ name: string; user: { token?: string } }> };
  const config = yaml.load(text) as Config;
  const context = config?.contexts?.find((c) => c.name === config['current-context'])?.context;
  const cluster = config?.clusters?.find((c) => c.name === context?.cluster)?.cluster;
  const user = config?.users?.find((u) => u.name === context?.user)?.user;
  if (cluster?.server === undefined || user?.token === undefined) throw new UserInputError(`${path}: expected a current context with a server and a bearer token (as "crucible serve" writes)`);
  return { server: cluster.server, ca: Buffer.from(cluster['certificate-authority-data'] ?? '', 'base64').toString(), token: user.token };
}

function call(e: Endpoint, method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    const req = request(`${e.server}/crucible/v1${path}`, { method, ca: e.ca, headers: { Authorization: `Bearer ${e.token}`, 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        let parsed: Record<string, any> = {};
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON: reported below */
        }
        if ((res.statusCode ?? 500) >= 400) reject(new UserInputError(`${e.server}: ${parsed['message'] ?? text} (${res.statusCode})`));
        else resolve(parsed);
      });
    });
    req.on('error', (err) => reject(new UserInputError(`${e.server}: cannot reach the server (${err.message}); is "crucible serve" running?`)));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const clockLine = (c: Record<string, any>) => `virtual time ${c['now']} (${goDuration(c['virtualMs'])} since start), ${c['paused'] ? 'paused' : `running at ${c['speed']}x`}`;

/**
 * `crucible clock|advance|pause|resume|fault|heal|faults` against a running
 * `crucible serve`, through its control endpoint, with the kubeconfig it
 * wrote (--kubeconfig, else $KUBECONFIG, else ./crucible.kubeconfig).
 */
export async function controlCommand(command: string, args: string[], out: (l: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { kubeconfig: { type: 'string' }, file: { type: 'string', short: 'f' } }, strict: true, allowPositionals: true });
  const e = endpoint(values.kubeconfig ?? process.env['KUBECONFIG']?.split(':')[0] ?? 'crucible.kubeconfig');
  const want = (n: number, usage: string) => {
    if (positionals.length !== n) throw new UserInputError(`${command}: usage: crucible ${usage}`);
  };
  switch (command) {
    case 'clock':
      want(0, 'clock');
      out(clockLine(await call(e, 'GET', '/clock')));
      return 0;
    case 'pause':
    case 'resume':
      want(0, command);
      out(clockLine(await call(e, 'POST', `/clock/${command}`)));
      return 0;
    case 'advance': {
      want(1, 'advance DURATION (e.g. 30s, 5m, 1h30m)');
      const ms = parseDuration(positionals[0]!);
      out(`advanced ${goDuration(ms)}: ${clockLine(await call(e, 'POST', '/clock/advance', { ms }))}`);
      return 0;
    }
    case 'fault': {
      const usage = "fault NAME SPEC | crucible fault NAME -f FILE   (SPEC in YAML, e.g. '{kind: partition, groups: [[node-1], [control-plane]]}')";
      if (positionals.length !== (values.file === undefined ? 2 : 1)) throw new UserInputError(`fault: usage: crucible ${usage}`);
      const source = values.file === undefined ? positionals[1]! : readFileSync(values.file, 'utf8');
      let spec: unknown;
      try {
        spec = yaml.load(source);
      } catch (err) {
        throw new UserInputError(`fault ${positionals[0]}: the spec is not YAML: ${(err as Error).message.split('\n')[0]}`);
      }
      await call(e, 'POST', '/faults', { name: positionals[0], spec });
      out(`fault "${positionals[0]}" injected (${(spec as { kind?: string })?.kind}); heal it with: crucible heal ${positionals[0]}`);
      return 0;
    }
    case 'heal':
      want(1, 'heal NAME');
      await call(e, 'DELETE', `/faults/${encodeURIComponent(positionals[0]!)}`);
      out(`fault "${positionals[0]}" healed`);
      return 0;
    default: {
      want(0, 'faults');
      const list = await call(e, 'GET', '/faults');
      if (list['items'].length === 0) out('no active faults');
      for (const f of list['items']) out(`${f.name}\t${f.spec.kind}\tsince ${goDuration(f.injectedAtMs)}\t${JSON.stringify(f.spec)}`);
      return 0;
    }
  }
}
