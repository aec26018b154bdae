import type { ImageBehaviour } from '../behaviour.js';
import type { ServerModel } from './server.js';

const MiB = 1024 * 1024;

/** An image-table entry as a server model: ports, answers by path, memory profile, crash, logs, shutdown. */
export function tableModel(b: ImageBehaviour): ServerModel {
  const startupMs = (b.startupSeconds ?? 0) * 1000;
  const readyMs = (b.readySeconds ?? b.startupSeconds ?? 0) * 1000;
  const mem = b.memory ?? {};
  return {
    ports: b.ports ?? [],
    startupMs,
    memoryVaries: (mem.growthMiPerSecond ?? 0) > 0 || mem.spikes !== undefined,
    memoryBytes: (ageMs) => {
      let mi = (mem.steadyMi ?? 4) + (mem.growthMiPerSecond ?? 0) * (ageMs / 1000);
      const s = mem.spikes;
      if (s !== undefined && ageMs % (s.everySeconds * 1000) < s.forSeconds * 1000 && ageMs >= s.everySeconds * 1000) mi += s.mi;
      return Math.round(mi * MiB);
    },
    cpuMillicores: () => b.cpuMillicores ?? 0,
    ...(b.processes !== undefined && { processes: (ageMs: number) => Math.floor((b.processes!.steady ?? 1) + (b.processes!.growthPerSecond ?? 0) * (ageMs / 1000)) }),
    answer: (_port, path, ageMs) => {
      const q = path.indexOf('?');
      const a = b.http?.[q < 0 ? path : path.slice(0, q)];
      if (a === undefined) return { status: 404, body: 'Not Found' };
      if (a.readiness === true && ageMs < readyMs) return { status: 503, body: 'not ready', latencyMs: a.latencyMs };
      if (a.fromSeconds !== undefined && ageMs < a.fromSeconds * 1000) return { status: 200, body: 'ok', latencyMs: a.latencyMs };
      return { status: a.status, body: a.body ?? '', latencyMs: a.latencyMs };
    },
    onTerm: { delayMs: (b.shutdownSeconds ?? 0) * 1000, exitCode: 0 },
    ...(b.crash === undefined ? {} : { crash: { afterMs: b.crash.afterSeconds * 1000, exitCode: b.crash.exitCode } }),
    ...(b.logs === undefined ? {} : { logs: { lines: b.logs.lines, ...(b.logs.everySeconds === undefined ? {} : { everyMs: b.logs.everySeconds * 1000 }) } }),
    shell: true,
  };
}
