import type { HostContext, StreamEnd } from '../../faults/index.js';
import { isStatusError } from '../errors/status.js';
import type { KubeObject } from '../registry/types.js';
import { APISERVER_PORT, frameBytes, type ClientFrame, type ServerFrame } from './frames.js';
import type { ApiGateway, IncomingRequest } from './gateway.js';
import type { WatchHandle } from './request.js';
import { bookmark } from './watch.js';
import { proxyToApiService } from './aggregator.js';
import { networkKubeletDialer } from './kubelet-proxy.js';

export interface ApiServerHostOptions {
  /** Watches are closed by the server after a random time in [min, 2*min) (upstream --min-request-timeout 1800 s). */
  minWatchTimeoutMs?: number;
  /** How often a watch that asked for bookmarks gets one (upstream sends them about once a minute). */
  bookmarkIntervalMs?: number;
  /** kube-apiserver --etcd-compaction-interval (default 5 min; 0 disables). */
  compactionIntervalMs?: number;
}

/**
 * Serves an ApiGateway on a simulated host: each client connection is a
 * stream, each request a frame; responses and watch events go back on the
 * same stream, so partitions, latency and loss between a component and the
 * API server apply to everything it reads and writes. A crash of the host
 * drops every connection, as a real API server restart does.
 */
export class ApiServerHost {
  private readonly minWatchTimeoutMs: number;
  private readonly bookmarkIntervalMs: number;

  constructor(
    readonly host: HostContext,
    readonly gateway: ApiGateway,
    options: ApiServerHostOptions = {},
  ) {
    this.minWatchTimeoutMs = options.minWatchTimeoutMs ?? 1_800_000;
    gateway.api.kubeletDialer ??= networkKubeletDialer(host);
    gateway.api.apiServiceProxy ??= (service, req, reply) => proxyToApiService(host, service, req, reply);
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 60_000;
    this.listen();
    this.compactionIntervalMs = options.compactionIntervalMs ?? 300_000;
    this.scheduleCompaction();
    host.onRestart(() => {
      this.listen();
      this.scheduleCompaction();
    });
  }

  private readonly compactionIntervalMs: number;
  private lastSeenRevision = 0;

  /**
   * Every interval, compact to the revision seen at the previous one (as
   * kube-apiserver's compactor does), so clients have one interval to resume
   * a watch before they get 410 Gone.
   */
  private scheduleCompaction(): void {
    if (this.compactionIntervalMs <= 0) return;
    this.host.after(this.compactionIntervalMs, () => {
      const target = this.lastSeenRevision;
      this.lastSeenRevision = this.gateway.api.store.revision;
      if (target > 0) this.gateway.api.backend.commit([{ kind: 'compact', revision: target }], () => {});
      this.scheduleCompaction();
    });
  }

  private listen(): void {
    this.host.net.listen<ClientFrame>(APISERVER_PORT, (stream) => this.serve(stream as unknown as StreamEnd<ClientFrame | ServerFrame>));
  }

  private serve(stream: StreamEnd<ClientFrame | ServerFrame>): void {
    const watches = new Map<number, () => void>();
    const send = (frame: ServerFrame): void => {
      if (stream.open) stream.send(frame, frameBytes(frame));
    };
    stream.onClose(() => {
      for (const stop of watches.values()) stop();
      watches.clear();
    });
    stream.onMessage((frame) => {
      const f = frame as ClientFrame;
      if (f.kind === 'cancel') {
        watches.get(f.id)?.();
        watches.delete(f.id);
        return;
      }
      if (f.request.verb === 'watch') {
        const stop = this.startWatch(f.id, f.request, send, () => watches.delete(f.id));
        if (stop !== undefined) watches.set(f.id, stop);
        return;
      }
      this.gateway.handleAsync(f.request, (e, response) => {
        if (e) {
          if (!isStatusError(e)) throw e;
          return send({ kind: 'response', id: f.id, code: e.code, body: e.status as unknown as KubeObject });
        }
        send({ kind: 'response', id: f.id, code: response!.code, body: response!.body });
      });
    });
  }

  private startWatch(id: number, request: IncomingRequest, send: (f: ServerFrame) => void, forget: () => void): (() => void) | undefined {
    let done = false;
    let handle: WatchHandle | undefined;
    let timeout: { cancel(): void } | undefined;
    let bookmarks: { cancel(): void } | undefined;
    const stop = (): void => {
      done = true;
      handle?.stop();
      timeout?.cancel();
      bookmarks?.cancel();
    };
    // The server ends a watch on timeout or after an ERROR event; the client then re-watches.
    const finish = (): void => {
      if (done) return;
      stop();
      send({ kind: 'end', id });
      forget();
    };
    try {
      handle = this.gateway.watch(request, (event) => {
        send({ kind: 'event', id, event });
        if (event.type === 'ERROR') finish();
      });
    } catch (e) {
      if (!isStatusError(e)) throw e;
      send({ kind: 'response', id, code: e.code, body: e.status as unknown as KubeObject });
      return undefined;
    }
    if (done) {
      handle.stop();
      return undefined;
    }
    const rng = this.host.rng('apiserver/watch-timeouts');
    timeout = this.host.after(this.minWatchTimeoutMs + Math.floor(rng.next() * this.minWatchTimeoutMs), finish);
    const type = this.gateway.api.registry.get(request.group, request.resource);
    const tick = (): void => {
      if (type !== undefined) send({ kind: 'event', id, event: bookmark(type, this.gateway.api.store.revision) });
      bookmarks = this.host.after(this.bookmarkIntervalMs, tick);
    };
    if (request.query?.allowWatchBookmarks) bookmarks = this.host.after(this.bookmarkIntervalMs, tick);
    return () => {
      if (!done) stop();
    };
  }
}
