import { jsonEqual } from '../../api/json-clone.js';
import type { CronJob, Job } from 'kubernetes-types/batch/v1.js';
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/registry/types.js';
import { DEFAULT_EPOCH_MS, parseRfc3339, rfc3339 } from '../../api/server/time.js';
import { EventRecorder, Informer, WorkQueue, type ApiClient } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';
import { ownerEvents } from '../owner-events.js';
import { controllerOf } from '../pod-util.js';
import { missedSchedules, parseSchedule } from './schedule.js';

const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const finishedAs = (j: Job): 'Complete' | 'Failed' | undefined => j.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type as 'Complete' | 'Failed' | undefined;

/** time.RFC1123Z as Go prints it: "Mon, 02 Jan 2006 15:04:05 +0000". */
function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/**
 * The CronJob controller (upstream pkg/controller/cronjob, v2): on the
 * controller's own clock, it finds the most recent missed activation (after
 * the last, no earlier than startingDeadlineSeconds), honours suspend and
 * the concurrency policy (Allow; Forbid skips while a Job runs; Replace
 * deletes the running ones), creates `<name>-<minutes since epoch>` Jobs,
 * tracks them in status.active, lastScheduleTime and lastSuccessfulTime,
 * trims finished Jobs to the history limits, and sleeps until the next
 * activation. A clock jump shows as many missed activations, of which one
 * Job starts.
 */
export class CronJobController {
  private readonly cronJobs: Informer;
  private readonly jobs: Informer;
  readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.cronJobs = new Informer(host, client, { group: 'batch', version: 'v1', resource: 'cronjobs' });
    this.jobs = new Informer(host, client, { group: 'batch', version: 'v1', resource: 'jobs' });
    this.jobs.addIndexer('owner', (o) => [controllerOf(o as Job)?.uid ?? '']);
    this.queue = new WorkQueue(host);
    this.recorder = new EventRecorder(host, client, { component: 'cronjob-controller' }, { epochMs: this.epochMs });
    this.cronJobs.addEventHandler({ onAdd: (o) => this.queue.add(keyOf(o)), onUpdate: (_o, n) => this.queue.add(keyOf(n)) });
    this.jobs.addEventHandler(ownerEvents('CronJob', this.queue));
  }

  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    this.cronJobs.start();
    this.jobs.start();
    this.queue.run(5, (key, done) => this.sync(key, done));
  }

  private nowMs(): number {
    return this.epochMs + this.host.clock.now();
  }

  private sync(key: string, done: () => void): void {
    const [ns, name] = key.split('/') as [string, string];
    const cj = this.cronJobs.get(ns, name) as CronJob | undefined;
    if (cj === undefined || !this.jobs.hasSynced) return done();
    const now = this.nowMs();
    const jobs = (this.jobs.byIndex('owner', cj.metadata?.uid ?? '') as Job[]).filter((j) => j.metadata?.deletionTimestamp === undefined);
    const status = { ...(cj.status ?? {}) };
    const running = jobs.filter((j) => finishedAs(j) === undefined);
    // Finished jobs leave status.active; the latest success is remembered.
    const before = new Set((status.active ?? []).map((r) => r.uid));
    for (const j of jobs) {
      const result = finishedAs(j);
      if (result === undefined || !before.has(j.metadata?.uid)) continue;
      this.recorder.event(cj as KubeObject, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata?.name ?? ''}, status: ${result}`);
      const completion = j.status?.completionTime;
      if (result === 'Complete' && completion !== undefined && (status.lastSuccessfulTime === undefined || status.lastSuccessfulTime < completion)) status.lastSuccessfulTime = completion;
    }
    status.active = running.map((j): ObjectReference => ({ kind: 'Job', namespace: ns, name: j.metadata?.name ?? '', uid: j.metadata?.uid ?? '', apiVersion: 'batch/v1', resourceVersion: j.metadata?.resourceVersion ?? '' }));
    const writes: Array<{ request: Parameters<ApiClient['request']>[0]; event?: [string, string, string] }> = [...this.cleanup(cj, jobs)];
    let requeueMs: number | undefined;
    const schedule = parseSchedule(cj.spec?.schedule ?? '', cj.spec?.timeZone);
    if ('error' in schedule) {
      this.recorder.event(cj as KubeObject, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(cj.spec?.schedule ?? '')} : ${schedule.error}`);
    } else if (cj.spec?.suspend !== true) {
      let earliest = parseRfc3339(status.lastScheduleTime ?? cj.metadata?.creationTimestamp ?? rfc3339(now));
      const deadline = cj.spec?.startingDeadlineSeconds;
      if (deadline !== undefined && deadline !== null) earliest = Math.max(earliest, now - deadline * 1000);
      const missed = missedSchedules(schedule, earliest, now);
      requeueMs = schedule.next(now) - now;
      if (missed.count > 100) this.recorder.event(cj as KubeObject, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${missed.count}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
      const at = missed.mostRecent;
      const jobName = at === undefined ? '' : `${name}-${Math.floor(at / 60_000)}`;
      if (at !== undefined && !jobs.some((j) => j.metadata?.name === jobName)) {
        const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
        if (policy === 'Forbid' && running.length > 0) {
          this.recorder.event(cj as KubeObject, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
        } else {
          if (policy === 'Replace') {
            for (const j of running) writes.push({ request: { verb: 'delete', group: 'batch', version: 'v1', resource: 'jobs', namespace: ns, name: j.metadata?.name ?? '', query: { propagationPolicy: 'Background' } }, event: ['Normal', 'SuccessfulDelete', `Deleted job ${j.metadata?.name ?? ''}`] });
            status.active = [];
          }
          const template = cj.spec?.jobTemplate ?? {};
          const job: Job = {
            apiVersion: 'batch/v1',
            kind: 'Job',
            metadata: {
              name: jobName,
              namespace: ns,
              labels: { ...(template.metadata?.labels ?? {}) },
              annotations: { ...(template.metadata?.annotations ?? {}), 'batch.kubernetes.io/cronjob-scheduled-timestamp': rfc3339(at) },
              ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name, uid: cj.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
            },
            spec: JSON.parse(JSON.stringify(template.spec ?? { template: {} })),
          };
          writes.push({ request: { verb: 'create', group: 'batch', version: 'v1', resource: 'jobs', namespace: ns, body: job as KubeObject }, event: ['Normal', 'SuccessfulCreate', `Created job ${jobName}`] });
          status.active = [...(status.active ?? []), { kind: 'Job', namespace: ns, name: jobName, apiVersion: 'batch/v1' }];
          status.lastScheduleTime = rfc3339(at);
        }
      } else if (at !== undefined && deadline !== undefined && deadline !== null && at + deadline * 1000 < now) {
        this.recorder.event(cj as KubeObject, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(at)}`);
      }
    }
    this.apply(cj, writes, status, () => {
      if (requeueMs !== undefined) this.queue.addAfter(key, Math.max(1, requeueMs));
      done();
    });
  }

  /** upstream cleanupFinishedJobs: keep successfulJobsHistoryLimit (3) and failedJobsHistoryLimit (1), oldest go first. */
  private cleanup(cj: CronJob, jobs: Job[]): Array<{ request: Parameters<ApiClient['request']>[0]; event?: [string, string, string] }> {
    const out: Array<{ request: Parameters<ApiClient['request']>[0]; event?: [string, string, string] }> = [];
    for (const [result, limit] of [['Complete', cj.spec?.successfulJobsHistoryLimit ?? 3], ['Failed', cj.spec?.failedJobsHistoryLimit ?? 1]] as const) {
      const done = jobs.filter((j) => finishedAs(j) === result).sort((a, b) => ((a.status?.startTime ?? a.metadata?.creationTimestamp ?? '') < (b.status?.startTime ?? b.metadata?.creationTimestamp ?? '') ? -1 : 1));
      for (const j of done.slice(0, Math.max(0, done.length - limit))) {
        out.push({ request: { verb: 'delete', group: 'batch', version: 'v1', resource: 'jobs', namespace: j.metadata?.namespace ?? '', name: j.metadata?.name ?? '', query: { propagationPolicy: 'Background' } }, event: ['Normal', 'SuccessfulDelete', `Deleted job ${j.metadata?.name ?? ''}`] });
      }
    }
    return out;
  }

  private apply(cj: CronJob, writes: Array<{ request: Parameters<ApiClient['request']>[0]; event?: [string, string, string] }>, status: NonNullable<CronJob['status']>, done: () => void): void {
    const step = (i: number): void => {
      if (i < writes.length) {
        const w = writes[i]!;
        this.client.request(w.request, (error, body) => {
          if (error === null && w.event !== undefined) this.recorder.event(cj as KubeObject, w.event[0] as 'Normal', w.event[1], w.event[2]);
          if (error !== null && w.request.verb === 'create') this.recorder.event(cj as KubeObject, 'Warning', 'FailedCreate', `Error creating job: ${error.message}`);
          if (error === null && w.request.verb === 'create' && body !== undefined) {
            status.active = (status.active ?? []).map((r) => (r.name === body.metadata?.name ? { ...r, uid: String(body.metadata?.uid ?? ''), resourceVersion: String(body.metadata?.resourceVersion ?? '') } : r));
          }
          step(i + 1);
        });
        return;
      }
      const compact = Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
      if (jsonEqual(compact, cj.status ?? {})) return done();
      this.client.request({ verb: 'update', group: 'batch', version: 'v1', resource: 'cronjobs', namespace: cj.metadata?.namespace ?? '', name: cj.metadata?.name ?? '', subresource: 'status', body: { ...cj, status: compact } as KubeObject }, (error) => {
        if (error !== null) this.queue.addRateLimited(keyOf(cj));
        done();
      });
    };
    step(0);
  }
}
