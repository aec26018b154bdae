import type { Probe } from 'kubernetes-types/core/v1.js';
import type { ContainerProcess } from '../../workloads/process.js';

export interface ProbeOutcome {
  result: 'Success' | 'Failure';
  /** The prober's output: the event text after "<Type> probe failed: ". */
  output: string;
  /** How long the probe took, ms (at most its timeout). */
  tookMs: number;
}

/** Where the probe is sent: the pod's IP and the container's named ports. */
export interface ProbeTarget {
  podIP: string;
  ports: ReadonlyMap<string, number>;
  /** How much slower the container answers than unthrottled (1 = not throttled). */
  slowdown: number;
}

function port(p: number | string | undefined, target: ProbeTarget): number {
  if (typeof p === 'number') return p;
  if (p === undefined) return 0;
  return target.ports.get(p) ?? Number(p);
}

/**
 * Run one probe against a running container (upstream pkg/probe/{http,tcp,
 * exec,grpc} and pkg/kubelet/prober/prober.go runProbe): httpGet succeeds on
 * 200-399, tcpSocket when the port accepts, exec on exit 0, grpc when
 * SERVING. A probe slower than timeoutSeconds fails with the client's
 * timeout text. Output texts are upstream's.
 */
export function runProbe(probe: Probe, process: ContainerProcess, target: ProbeTarget): ProbeOutcome {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.exec !== undefined) {
    const command = probe.exec.command ?? [];
    const gen = process.exec(command);
    let took = 0;
    for (;;) {
      const r = gen.next();
      if (r.done) {
        const result = r.value.exitCode === 0 ? 'Success' : 'Failure';
        return { result, output: r.value.output, tookMs: took };
      }
      took += r.value.sleepMs;
      // pkg/probe/exec: a command past its timeout fails the probe
      if (took > timeoutMs) return { result: 'Failure', output: `command ${JSON.stringify(command.join(' '))} timed out`, tookMs: timeoutMs };
    }
  }
  if (probe.httpGet !== undefined) {
    const g = probe.httpGet;
    const p = port(g.port, target);
    const host = g.host ?? target.podIP;
    const path = g.path ?? '/';
    const url = (): string => `${(g.scheme ?? 'HTTP').toLowerCase()}://${host.includes(':') ? `[${host}]` : host}:${p}${path.startsWith('/') ? path : `/${path}`}`;
    const answer = process.http(p, path);
    if (answer === undefined) return { result: 'Failure', output: `Get ${JSON.stringify(url())}: dial tcp ${host}:${p}: connect: connection refused`, tookMs: 0 };
    const took = answer.latencyMs * target.slowdown;
    if (took > timeoutMs) {
      return { result: 'Failure', output: `Get ${JSON.stringify(url())}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, tookMs: timeoutMs };
    }
    // pkg/probe/http: 200 <= code < 400 is success
    if (answer.status >= 200 && answer.status < 400) return { result: 'Success', output: '', tookMs: took };
    return { result: 'Failure', output: `HTTP probe failed with statuscode: ${answer.status}`, tookMs: took };
  }
  if (probe.tcpSocket !== undefined) {
    const p = port(probe.tcpSocket.port, target);
    const host = probe.tcpSocket.host ?? target.podIP;
    if (process.listening(p)) return { result: 'Success', output: '', tookMs: 0 };
    return { result: 'Failure', output: `dial tcp ${host}:${p}: connect: connection refused`, tookMs: 0 };
  }
  if (probe.grpc !== undefined) {
    const p = probe.grpc.port;
    if (process.listening(p)) return { result: 'Success', output: '', tookMs: 0 };
    // pkg/probe/grpc: the dial times out when nothing serves
    return { result: 'Failure', output: `timeout: failed to connect service "${target.podIP}:${p}" within ${probe.timeoutSeconds ?? 1}s`, tookMs: timeoutMs };
  }
  return { result: 'Failure', output: 'missing probe handler', tookMs: 0 };
}
