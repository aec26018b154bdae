import type { HostContext, StreamCloseReason, StreamEnd } from '../faults/index.js';
import type { Timer } from '../sim/index.js';
import { APISERVER_PORT, frameBytes, type ClientFrame, type IncomingRequest, type ServerFrame, type WatchEventOut } from '../api/server/index.js';
import { StatusError } from '../api/errors/status.js';
import type { KubeObject } from '../api/registry/types.js';
import { describeRequest } from './paths.js';

/** The request never got an answer: the connection failed or the client gave up. */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionError';
  }
}

export type ClientError = StatusError | ConnectionError;
export type Callback = (error: ClientError | null, body?: KubeObject) => void;
export type ClientRequest = Omit<IncomingRequest, 'authorization'>;

export interface WatchCallbacks {
  onEvent(event: WatchEventOut): void;
  /** The watch ended: the server closed it (null), or the connection failed or the request was refused. */
  onClose(error: ClientError | null): void;
}

export interface ApiClientOptions {
  /** Host name of the API server. */
  server: string;
  /** Bearer token. */
  token: string;
  /** Give up on a request after this long (default 60 s). Watches have no deadline. */
  requestTimeoutMs?: number;
  /** How long a cut connection is tolerated before it breaks (default: the stream's 30 s). */
  breakAfterMs?: number;
}

/** client-go's words for a dead connection. */
function connectionMessage(reason: StreamCloseReason): string {
  switch (reason) {
    case 'refused':
      return 'connect: connection refused';
    case 'connect-timeout':
      return 'i/o timeout';
    case 'reset':
      return 'read: connection reset by peer';
    default:
      return 'http2: client connection lost';
  }
}

interface Pending {
  request: ClientRequest;
  callback: Callback;
  timer: Timer | undefined;
}

/**
 * A Kubernetes API client on a simulated host: one connection to the API
 * server (opened on first use, reopened after a failure), requests and
 * watches multiplexed on it, each answered by id. When the connection dies
 * every outstanding request fails and every watch closes with an error, as
 * with client-go over HTTP/2; callers retry.
 */
export class ApiClient {
  private stream: StreamEnd<ClientFrame | ServerFrame> | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly watches = new Map<number, { request: ClientRequest; callbacks: WatchCallbacks }>();
  private readonly timeoutMs: number;

  constructor(
    readonly host: HostContext,
    readonly options: ApiClientOptions,
  ) {
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
    host.onCrash(() => {
      this.stream = undefined;
      this.pending.clear();
      this.watches.clear();
    });
  }

  /** Send one request; the callback gets the Status error, a connection error, or the body. */
  request(request: ClientRequest, callback: Callback): void {
    const id = ++this.nextId;
    const timer = this.host.after(this.timeoutMs, () => {
      if (!this.pending.has(id)) return;
      this.pending.delete(id);
      callback(new ConnectionError(`${describeRequest(this.options.server, APISERVER_PORT, request as IncomingRequest)}: context deadline exceeded`));
    });
    this.pending.set(id, { request, callback, timer });
    this.send({ kind: 'request', id, request: { ...request, authorization: `Bearer ${this.options.token}` } as IncomingRequest });
  }

  /** Start a watch; returns how to stop it. */
  watch(request: ClientRequest, callbacks: WatchCallbacks): { stop(): void } {
    const id = ++this.nextId;
    this.watches.set(id, { request: { ...request, verb: 'watch' }, callbacks });
    this.send({ kind: 'request', id, request: { ...request, verb: 'watch', authorization: `Bearer ${this.options.token}` } as IncomingRequest });
    return {
      stop: () => {
        if (!this.watches.delete(id)) return;
        if (this.stream?.open) this.stream.send({ kind: 'cancel', id }, 64);
      },
    };
  }

  private send(frame: ClientFrame): void {
    const stream = this.connection();
    stream.send(frame, frameBytes(frame));
  }

  private connection(): StreamEnd<ClientFrame | ServerFrame> {
    if (this.stream?.open) return this.stream;
    const stream = this.host.net.connect<ClientFrame | ServerFrame>(this.options.server, APISERVER_PORT, {
      ...(this.options.breakAfterMs !== undefined && { breakAfterMs: this.options.breakAfterMs }),
    });
    this.stream = stream;
    stream.onMessage((frame) => this.receive(frame as ServerFrame));
    stream.onClose((reason) => {
      if (this.stream === stream) this.stream = undefined;
      this.failAll(reason);
    });
    return stream;
  }

  private receive(frame: ServerFrame): void {
    if (frame.kind === 'response') {
      const p = this.pending.get(frame.id);
      if (p !== undefined) {
        this.pending.delete(frame.id);
        p.timer?.cancel();
        if (frame.code >= 400) p.callback(new StatusError(frame.body as never));
        else p.callback(null, frame.body);
        return;
      }
      // A watch refused outright (401, 403, 400...).
      const w = this.watches.get(frame.id);
      if (w !== undefined) {
        this.watches.delete(frame.id);
        w.callbacks.onClose(frame.code >= 400 ? new StatusError(frame.body as never) : null);
      }
      return;
    }
    const w = this.watches.get(frame.id);
    if (w === undefined) return;
    if (frame.kind === 'event') w.callbacks.onEvent(frame.event);
    else {
      this.watches.delete(frame.id);
      w.callbacks.onClose(null);
    }
  }

  private failAll(reason: StreamCloseReason): void {
    const what = connectionMessage(reason);
    const pending = [...this.pending.values()];
    const watches = [...this.watches.values()];
    this.pending.clear();
    this.watches.clear();
    for (const p of pending) {
      p.timer?.cancel();
      p.callback(new ConnectionError(`${describeRequest(this.options.server, APISERVER_PORT, p.request as IncomingRequest)}: ${reason === 'refused' || reason === 'connect-timeout' ? `dial tcp ${this.options.server}:${APISERVER_PORT}: ${what}` : what}`));
    }
    for (const w of watches) w.callbacks.onClose(new ConnectionError(`${describeRequest(this.options.server, APISERVER_PORT, w.request as IncomingRequest)}: ${what}`));
  }
}
