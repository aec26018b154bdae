import { apiErrors, StatusError } from '../api/errors/status.js';
import type { Cluster } from '../cluster/cluster.js';
import { FaultInputError, type ActiveFault, type FaultSpec } from '../faults/index.js';

/** The clock a served cluster runs on: virtual time that follows wall time unless paused. */
export interface ServedClock {
  paused: boolean;
  readonly speed: number;
}

/** The most virtual time one request may move on (a day): longer jumps are several requests, each answered. */
const MAX_ADVANCE_MS = 86_400_000;

/**
 * `crucible serve`'s control endpoint, under /crucible/v1 (cluster-admin
 * only): read the clock, advance it, pause and resume it, and inject, list
 * and heal faults — what `crucible advance|pause|resume|fault|heal|faults`
 * call against a running server. Answers are JSON; mistakes are 400s with a
 * Status, as from the Kubernetes API beside it.
 */
export function handleControl(cluster: Cluster, clock: ServedClock, method: string, path: string, body: unknown): unknown {
  const now = () => cluster.world.host(cluster.components.controlPlane[0]!).clock.now();
  const state = () => ({ kind: 'Clock', virtualMs: now(), now: new Date(cluster.epochMs + now()).toISOString(), speed: clock.speed, paused: clock.paused });
  const faults = () => ({ kind: 'FaultList', items: [...active(cluster)].map(([name, f]) => ({ name, spec: f.spec, injectedAtMs: f.injectedAt })) });
  const route = `${method} ${path.slice('/crucible/v1'.length)}`;
  if (route === 'GET /clock') return state();
  if (route === 'POST /clock/pause') return (clock.paused = true), state();
  if (route === 'POST /clock/resume') return (clock.paused = false), state();
  if (route === 'POST /clock/advance') {
    const ms = (body as { ms?: unknown } | undefined)?.ms;
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_ADVANCE_MS) throw apiErrors.badRequest(`advance: "ms" must be a whole number of milliseconds from 0 to ${MAX_ADVANCE_MS}, got ${JSON.stringify(ms)}`);
    cluster.advance(ms);
    return state();
  }
  if (route === 'GET /faults') return faults();
  if (route === 'POST /faults') {
    const { name, spec } = (body ?? {}) as { name?: unknown; spec?: unknown };
    if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) throw apiErrors.badRequest(`fault: "name" must be a lowercase name (letters, digits, "-"), got ${JSON.stringify(name)}`);
    if (active(cluster).has(name)) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `a fault named "${name}" is already active; heal it first`, reason: 'AlreadyExists', code: 409 } as never);
    try {
      cluster.fault(spec as FaultSpec, name);
    } catch (e) {
      if (e instanceof FaultInputError) throw apiErrors.badRequest(`fault "${name}": ${e.message}`);
      throw e;
    }
    return faults();
  }
  const heal = /^DELETE \/faults\/([^/]+)$/.exec(route);
  if (heal !== null) {
    const name = decodeURIComponent(heal[1]!);
    const names = [...active(cluster).keys()];
    if (!names.includes(name)) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `no active fault named "${name}" (active: ${names.join(', ') || 'none'})`, reason: 'NotFound', code: 404 } as never);
    cluster.heal(name);
    return faults();
  }
  throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `no control operation ${route}; see crucible --help`, reason: 'NotFound', code: 404 } as never);
}

function active(cluster: Cluster): Map<string, ActiveFault> {
  return new Map([...cluster.namedFaults()].filter(([, f]) => !f.healed));
}

/** Only cluster-admins (system:masters) may drive the clock and the faults. */
export function controlAllowed(groups: readonly string[]): boolean {
  return groups.includes('system:masters');
}
