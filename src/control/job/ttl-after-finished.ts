import type { Job } from 'kubernetes-types/batch/v1.js';
import { parseRfc3339, DEFAULT_EPOCH_MS } from '../../api/server/time.js';
import { Informer, type ApiClient } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';

/** When a Job finished: its Complete or Failed condition's transition (upstream getFinishAndExpireTime). */
function finishedAtMs(job: Job): number | undefined {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.lastTransitionTime === undefined ? undefined : parseRfc3339(c.lastTransitionTime);
}

/**
 * The TTL-after-finished controller (upstream
 * pkg/controller/ttlafterfinished): a finished Job with
 * ttlSecondsAfterFinished is deleted (foreground, so its pods go first)
 * that long after it finished, by the controller's clock.
 */
export class TTLAfterFinishedController {
  private readonly jobs: Informer;
  private readonly timers = new Map<string, { cancel(): void }>();
  private active: () => boolean = () => true;
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.jobs = new Informer(host, client, { group: 'batch', version: 'v1', resource: 'jobs' });
    this.jobs.addEventHandler({ onAdd: (o) => this.check(o as Job), onUpdate: (_o, n) => this.check(n as Job), onDelete: (o) => this.timers.get(`${o.metadata?.namespace}/${o.metadata?.name}`)?.cancel() });
  }

  gate(active: () => boolean): void {
    this.active = active;
  }

  start(): void {
    this.jobs.start();
  }

  private check(job: Job): void {
    const key = `${job.metadata?.namespace}/${job.metadata?.name}`;
    const ttl = job.spec?.ttlSecondsAfterFinished;
    const at = finishedAtMs(job);
    if (ttl === undefined || at === undefined || job.metadata?.deletionTimestamp !== undefined || this.timers.has(key)) return;
    const fire = (): void => {
      if (!this.active()) {
        this.timers.set(key, this.host.after(1_000, fire));
        return;
      }
      this.timers.delete(key);
      this.client.request({ verb: 'delete', group: 'batch', version: 'v1', resource: 'jobs', namespace: job.metadata?.namespace ?? '', name: job.metadata?.name ?? '', query: { propagationPolicy: 'Foreground' }, ...(job.metadata?.uid !== undefined && { preconditions: { uid: job.metadata.uid } }) }, () => {});
    };
    this.timers.set(key, this.host.after(Math.max(0, at + ttl * 1000 - (this.epochMs + this.host.clock.now())), fire));
  }
}
