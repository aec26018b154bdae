import { parseGoDuration } from '../../api/duration.js';
import { tryParseQuantity } from '../../api/quantity.js';
import type { BuiltinModel } from '../catalog.js';
import { EXIT_SIGTERM, type ContainerProcess, type ProcessHost, type ProcessSpec } from '../process.js';
import { ServerProcess, type ServerModel } from './server.js';
import { ShellProcess } from './shell.js';

const MiB = 1024 * 1024;

/** Go's log package and nginx's error log prefix: `2006/01/02 15:04:05`. */
export function logTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '/')} ${iso.slice(11, 19)}`;
}

// The welcome page of the official nginx image (615 bytes).
export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const nginx404 = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

function nginx(host: ProcessHost): ServerModel {
  const t = logTime(host.now());
  return {
    ports: [80],
    startupMs: 50,
    memoryBytes: () => 8 * MiB,
    startLogs: [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
    ],
    startErrors: [`${t} [notice] 1#1: using the "epoll" event method`, `${t} [notice] 1#1: start worker processes`],
    answer: (_port, path) => (path === '/' || path === '/index.html' ? { status: 200, body: NGINX_WELCOME } : { status: 404, body: nginx404 }),
    // The image's STOPSIGNAL is SIGQUIT: a graceful shutdown that exits 0.
    onTerm: { delayMs: 100, exitCode: 0, stderr: `${t} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down` },
    shell: true,
  };
}

function httpd(): ServerModel {
  return {
    ports: [80],
    startupMs: 50,
    memoryBytes: () => 6 * MiB,
    startErrors: ['AH00558: httpd: Could not reliably determine the server\'s fully qualified domain name, using 127.0.0.1. Set the \'ServerName\' directive globally to suppress this message'],
    answer: (_port, path) => (path === '/' || path === '/index.html' ? { status: 200, body: '<html><body><h1>It works!</h1></body></html>\n' } : { status: 404, body: 'Not Found' }),
    // STOPSIGNAL SIGWINCH: graceful stop, exit 0.
    onTerm: { delayMs: 100, exitCode: 0 },
    shell: true,
  };
}

/** `--name=value` or `--name value` (Go flag style, one or two dashes). */
function flag(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!.replace(/^--?/, '');
    if (a === name) return args[i + 1];
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
  }
  return undefined;
}

function query(path: string): { route: string; params: URLSearchParams } {
  const q = path.indexOf('?');
  return { route: q < 0 ? path : path.slice(0, q), params: new URLSearchParams(q < 0 ? '' : path.slice(q + 1)) };
}

/** agnhost `liveness` (and the old registry.k8s.io/liveness `/server`): /healthz is 200 for 10 s, then 500. */
function liveness(host: ProcessHost): ServerModel {
  return {
    ports: [8080],
    startupMs: 10,
    memoryBytes: () => 4 * MiB,
    answer: (_port, path, ageMs) => {
      const { route } = query(path);
      if (route === '/redirect') return { status: 302, body: '' };
      if (route !== '/healthz') return { status: 404, body: '404 page not found\n' };
      // upstream test/images/agnhost/liveness/server.go: 500 with the uptime once past 10 s
      return ageMs > 10_000 ? { status: 500, body: `error: ${ageMs / 1000}` } : { status: 200, body: 'ok' };
    },
    onTerm: { delayMs: 0, exitCode: EXIT_SIGTERM },
    shell: false,
    logs: { lines: [`${logTime(host.now())} Started HTTP server on port 8080`] },
  };
}

function agnhost(spec: ProcessSpec, host: ProcessHost): ServerModel | 'pause' | 'unknown' {
  const [sub, ...args] = spec.args;
  const base = { startupMs: 10, memoryBytes: () => 12 * MiB, onTerm: { delayMs: 0, exitCode: EXIT_SIGTERM }, shell: true };
  switch (sub) {
    case 'netexec': {
      const port = Number(flag(args, 'http-port') ?? 8080);
      return {
        ...base,
        ports: [port],
        logs: { lines: [`${logTime(host.now())} Started HTTP server on port ${port}`] },
        // upstream test/images/agnhost/netexec/netexec.go addRoutes
        answer: (_p, path) => {
          const { route, params } = query(path);
          if (route === '/hostname' || route === '/hostName') return { status: 200, body: spec.hostname };
          if (route === '/echo') return { status: Number(params.get('code') || 200), body: params.get('msg') ?? '' };
          if (route === '/healthz') return { status: 200, body: '' };
          if (route === '/') return { status: 200, body: `NOW: ${new Date(host.now()).toISOString()}` };
          return { status: 404, body: '404 page not found\n' };
        },
      };
    }
    case 'serve-hostname': {
      const port = Number(flag(args, 'port') ?? 9376);
      return { ...base, ports: [port], answer: () => ({ status: 200, body: spec.hostname }) };
    }
    case 'liveness':
      return liveness(host);
    case 'pause':
      return 'pause';
    default:
      return 'unknown';
  }
}

function pause(): ServerModel {
  // pause.c: SIGTERM/SIGINT print "Shutting down, got signal" and exit 0.
  return { ports: [], startupMs: 0, memoryBytes: () => 300 * 1024, answer: () => ({ status: 404, body: '' }), onTerm: { delayMs: 0, exitCode: 0, stderr: 'Shutting down, got signal: Terminated' }, shell: false };
}

/** Bytes from stress's `--vm-bytes 150M` (suffixes B, K, M, G as powers of 1024). */
function stressBytes(s: string | undefined): number {
  const m = /^(\d+)([bkmg]?)$/i.exec(s ?? '256M');
  if (m === null) return 256 * MiB;
  const mult = { '': 1, b: 1, k: 1024, m: MiB, g: 1024 * MiB }[m[2]!.toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'];
  return Number(m[1]) * mult;
}

/**
 * polinux/stress (`stress --vm N --vm-bytes B --cpu N --timeout Ns`) holds
 * N×B of memory and N cpus; vish/stress (`-mem-total 150Mi
 * -mem-alloc-size 10Mi -mem-alloc-sleep 1s -cpus N`) grows by steps.
 */
function stress(spec: ProcessSpec): ServerModel {
  const argv = [...spec.command, ...spec.args];
  const base = { ports: [], startupMs: 0, answer: () => ({ status: 404, body: '' }), onTerm: { delayMs: 0, exitCode: EXIT_SIGTERM }, shell: true };
  if (flag(argv, 'mem-total') !== undefined || flag(argv, 'cpus') !== undefined) {
    const total = tryParseQuantity(flag(argv, 'mem-total') ?? '0')?.value ?? 0;
    const step = tryParseQuantity(flag(argv, 'mem-alloc-size') ?? '4Ki')?.value ?? 4096;
    const sleepMs = parseGoDuration(flag(argv, 'mem-alloc-sleep') ?? '1ms') ?? 1;
    const cpus = Number(flag(argv, 'cpus') ?? 0);
    return { ...base, memoryVaries: true, memoryBytes: (age) => Math.min(total, step * (1 + Math.floor(age / Math.max(sleepMs, 1)))), cpuMillicores: () => cpus * 1000, logs: { lines: ['I0000 Allocated memory'] } };
  }
  const vm = Number(flag(argv, 'vm') ?? 0);
  const bytes = stressBytes(flag(argv, 'vm-bytes'));
  const cpu = Number(flag(argv, 'cpu') ?? 0);
  const timeout = flag(argv, 'timeout');
  const timeoutMs = timeout === undefined ? undefined : Number.parseInt(timeout, 10) * 1000;
  return {
    ...base,
    memoryBytes: () => vm * bytes + 1 * MiB,
    cpuMillicores: () => (cpu + vm) * 1000,
    // stress forks one worker per hog.
    processes: () => 1 + cpu + vm,
    startLogs: [`stress: info: [1] dispatching hogs: ${cpu} cpu, 0 io, ${vm} vm, 0 hdd`],
    ...(timeoutMs === undefined ? {} : { crash: { afterMs: timeoutMs, exitCode: 0 } }),
  };
}

/** Start a built-in image's main process. A `command` on a server image runs through its shell instead. */
export function startBuiltin(model: BuiltinModel, spec: ProcessSpec, host: ProcessHost): ContainerProcess {
  const overridden = spec.command.length > 0;
  switch (model) {
    case 'shell':
      return new ShellProcess(spec, host);
    case 'nginx':
    case 'httpd':
      if (overridden || spec.args.length > 0) return new ShellProcess(spec, host);
      return new ServerProcess(spec, host, model === 'nginx' ? nginx(host) : httpd());
    case 'liveness':
      return new ServerProcess(spec, host, liveness(host));
    case 'agnhost': {
      if (overridden) return new ShellProcess(spec, host);
      const m = agnhost(spec, host);
      if (m === 'pause') return new ServerProcess(spec, host, pause());
      if (m === 'unknown') {
        const sub = spec.args[0];
        const p = new ServerProcess(spec, host, { ...pause(), startErrors: [sub === undefined ? 'Error: requires a subcommand' : `Error: unknown command "${sub}" for "agnhost"`], crash: { afterMs: 0, exitCode: 1 } });
        return p;
      }
      return new ServerProcess(spec, host, m);
    }
    case 'stress':
      return new ServerProcess(spec, host, stress(spec));
    case 'pause':
      return new ServerProcess(spec, host, pause());
  }
}
