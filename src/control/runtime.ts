import type { HostContext } from '../faults/index.js';
import { StatusError } from '../api/errors/status.js';
import { WorkQueue, type ApiClient, type ClientError, type ClientRequest } from '../client/index.js';

/** What a reconcile decided: the writes to make, and whether to look again later. */
export interface ReconcileResult {
  actions: ClientRequest[];
  requeueAfterMs?: number;
}

/** A NotFound on a delete or a cleanup patch means the work is already done. */
function alreadyDone(request: ClientRequest, error: ClientError): boolean {
  return error instanceof StatusError && error.code === 404 && (request.verb === 'delete' || request.verb === 'patch' || request.verb === 'update');
}

/** Apply actions one after another; stop at the first real failure. */
export function runActions(client: ApiClient, actions: readonly ClientRequest[], done: (error: ClientError | null) => void): void {
  const step = (i: number): void => {
    if (i >= actions.length) return done(null);
    const action = actions[i]!;
    client.request(action, (error) => {
      if (error !== null && !alreadyDone(action, error)) return done(error);
      step(i + 1);
    });
  };
  step(0);
}

/**
 * The thin driver around a pure reconcile (STYLE §3, upstream's controller
 * pattern): keys come off a rate-limited queue, `reconcile(key)` reads the
 * informer caches and returns actions, the driver applies them through the
 * API client, and a failure puts the key back with back-off.
 */
export class ReconcileLoop {
  readonly queue: WorkQueue;

  constructor(
    private readonly host: HostContext,
    private readonly client: ApiClient,
    readonly name: string,
    private readonly reconcile: (key: string) => ReconcileResult,
    private readonly workers = 1,
  ) {
    this.queue = new WorkQueue(host);
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  start(): void {
    this.queue.run(this.workers, (key, done) => {
      let result: ReconcileResult;
      try {
        result = this.reconcile(key);
      } catch (e) {
        this.host.log('controller.error', { controller: this.name, key, error: String(e) });
        this.queue.addRateLimited(key);
        return done();
      }
      runActions(this.client, result.actions, (error) => {
        if (error !== null) {
          this.host.log('controller.retry', { controller: this.name, key, error: error.message });
          this.queue.addRateLimited(key);
        } else {
          this.queue.forget(key);
          if (result.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
        }
        done();
      });
    });
  }
}
