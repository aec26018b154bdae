import { jsonEqual } from '../../api/json-clone.js';
import type { Job, JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/registry/types.js';
import { DEFAULT_EPOCH_MS, rfc3339 } from '../../api/server/time.js';
import { EventRecorder, Informer, WorkQueue, type ApiClient } from '../../client/index.js';
import type { HostContext } from '../../faults/index.js';
import { Expectations } from '../expectations.js';
import { ownerEvents } from '../owner-events.js';
import { controllerOf, podFromTemplate } from '../pod-util.js';
import { COMPLETION_INDEX, decideJob, finishCondition } from './decide.js';

const keyOf = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const finished = (j: Job) => (j.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');

/**
 * The Job controller (upstream pkg/controller/job): runs `parallelism`
 * pods until `completions` succeed (or, without completions, until one
 * succeeds and the rest end), Indexed jobs one pod per index with
 * JOB_COMPLETION_INDEX, retries failures after the back-off up to
 * backoffLimit, honours activeDeadlineSeconds, podFailurePolicy and
 * suspend, and finishes with Complete or Failed and upstream's events.
 */
export class JobController {
  private readonly jobs: Informer;
  private readonly pods: Informer;
  readonly queue: WorkQueue;
  private readonly expectations: Expectations;
  private readonly recorder: EventRecorder;
  private readonly epochMs: number;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    options: { epochMs?: number } = {},
  ) {
    this.epochMs = options.epochMs ?? DEFAULT_EPOCH_MS;
    this.jobs = new Informer(host, client, { group: 'batch', version: 'v1', resource: 'jobs' });
    this.pods = new Informer(host, client, { group: '', version: 'v1', resource: 'pods' });
    this.pods.addIndexer('owner', (o) => [controllerOf(o as Pod)?.uid ?? '']);
    this.queue = new WorkQueue(host);
    this.expectations = new Expectations(() => host.clock.monotonic());
    this.recorder = new EventRecorder(host, client, { component: 'job-controller' }, { epochMs: this.epochMs });
    this.jobs.addEventHandler({ onAdd: (o) => this.queue.add(keyOf(o)), onUpdate: (_o, n) => this.queue.add(keyOf(n)), onDelete: (o) => this.expectations.delete(keyOf(o)) });
    this.pods.addEventHandler(ownerEvents('Job', this.queue, this.expectations));
  }

  gate(active: () => boolean): void {
    this.queue.gate(active);
  }

  start(): void {
    this.jobs.start();
    this.pods.start();
    this.queue.run(5, (key, done) => this.sync(key, done));
  }

  private sync(key: string, done: () => void): void {
    const [ns, name] = key.split('/') as [string, string];
    const job = this.jobs.get(ns, name) as Job | undefined;
    if (job === undefined || finished(job) || !this.expectations.satisfied(key)) return done();
    const nowMs = this.epochMs + this.host.clock.now();
    const now = rfc3339(nowMs);
    const pods = this.pods.byIndex('owner', job.metadata?.uid ?? '') as Pod[];
    let decision = decideJob(job.status?.startTime === undefined && job.spec?.suspend !== true ? { ...job, status: { ...job.status, startTime: now } } : job, pods, nowMs);
    // Once the Job met its success or failure criteria it only waits for its pods to stop (upstream job_controller.go, delayTerminalCondition since 1.31).
    const interim = (job.status?.conditions ?? []).find((c) => (c.type === 'FailureTarget' || c.type === 'SuccessCriteriaMet') && c.status === 'True');
    if (interim !== undefined) {
      const active = pods.filter((p) => p.metadata?.deletionTimestamp === undefined && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
      decision = { ...decision, create: [], delete: active, finish: { type: interim.type === 'FailureTarget' ? 'Failed' : 'Complete', reason: interim.reason ?? '', message: interim.message ?? '' } };
    }
    const status: JobStatus = { ...decision.status };
    if (status.startTime === undefined && job.spec?.suspend !== true) status.startTime = now;
    let terminal: typeof decision.finish;
    if (decision.finish !== undefined) {
      // First FailureTarget or SuccessCriteriaMet (the same reason and message); Failed or Complete only when no pod is still terminating (enactJobFinished).
      const interimType = decision.finish.type === 'Failed' ? 'FailureTarget' : 'SuccessCriteriaMet';
      if (interim === undefined) status.conditions = [...(status.conditions ?? []), finishCondition({ ...decision.finish, type: interimType } as never, now)];
      if ((decision.status.terminating ?? 0) + decision.delete.length === 0) {
        terminal = decision.finish;
        status.conditions = [...(status.conditions ?? []), finishCondition(decision.finish, now)];
        if (decision.finish.type === 'Complete') status.completionTime = now;
      }
    }
    this.expectations.expectCreations(key, decision.create.length);
    if (decision.delete.length > 0) this.expectations.expectDeletions(key, decision.delete.map(keyOf));
    let pending = decision.create.length + decision.delete.length;
    const after = () => {
      if (--pending > 0) return;
      this.writeStatus(job, status, terminal, () => {
        if (decision.requeueAfterMs !== undefined) this.queue.addAfter(key, decision.requeueAfterMs);
        done();
      });
    };
    if (pending === 0) {
      pending = 1;
      return after();
    }
    for (const index of decision.create) this.createPod(job, index, after);
    for (const pod of decision.delete) {
      this.client.request({ verb: 'delete', group: '', version: 'v1', resource: 'pods', namespace: ns, name: pod.metadata?.name ?? '' }, (error) => {
        if (error === null) this.recorder.event(job as KubeObject, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name ?? ''}`);
        else this.expectations.deletionObserved(key, keyOf(pod));
        after();
      });
    }
  }

  private createPod(job: Job, index: number | undefined, done: () => void): void {
    const ns = job.metadata?.namespace ?? '';
    const name = job.metadata?.name ?? '';
    const owner = { apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata?.uid ?? '' };
    const pod = podFromTemplate(job.spec?.template, ns, index === undefined ? name : `${name}-${index}`, owner);
    if (index !== undefined) {
      // upstream addCompletionIndexEnvVariables / addCompletionIndexAnnotation: the index as annotation, label, hostname and env.
      pod.metadata!.annotations = { ...pod.metadata!.annotations, [COMPLETION_INDEX]: String(index) };
      pod.metadata!.labels = { ...pod.metadata!.labels, [COMPLETION_INDEX]: String(index) };
      pod.spec!.hostname ??= `${name}-${index}`;
      const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } };
      for (const c of [...(pod.spec!.containers ?? []), ...(pod.spec!.initContainers ?? [])]) c.env = [...(c.env ?? []), env];
    }
    this.client.request({ verb: 'create', group: '', version: 'v1', resource: 'pods', namespace: ns, body: pod as KubeObject }, (error, body) => {
      if (error === null) this.recorder.event(job as KubeObject, 'Normal', 'SuccessfulCreate', `Created pod: ${body?.metadata?.name ?? ''}`);
      else {
        this.expectations.creationObserved(keyOf(job));
        this.recorder.event(job as KubeObject, 'Warning', 'FailedCreate', `Error creating: ${error.message}`);
      }
      done();
    });
  }

  private writeStatus(job: Job, status: JobStatus, finish: { type: string; reason: string; message: string } | undefined, done: () => void): void {
    const compact = Object.fromEntries(Object.entries(status).filter(([, v]) => v !== 0 && v !== undefined)) as JobStatus;
    const prev = Object.fromEntries(Object.entries(job.status ?? {}).filter(([, v]) => v !== 0 && v !== undefined));
    if (jsonEqual(compact, prev)) return done();
    this.client.request({ verb: 'update', group: 'batch', version: 'v1', resource: 'jobs', namespace: job.metadata?.namespace ?? '', name: job.metadata?.name ?? '', subresource: 'status', body: { ...job, status: compact } as KubeObject }, (error) => {
      if (error !== null) this.queue.addRateLimited(keyOf(job));
      else if (finish !== undefined) {
        if (finish.type === 'Complete') this.recorder.event(job as KubeObject, 'Normal', 'Completed', 'Job completed');
        else this.recorder.event(job as KubeObject, 'Warning', finish.reason, finish.message);
      }
      done();
    });
  }
}
