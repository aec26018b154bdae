import type { HostContext, StreamEnd } from '../../faults/index.js';
import { apiErrors, isStatusError, StatusError } from '../errors/status.js';
import type { KubeObject, ResourceType } from '../registry/types.js';
import type { Reply } from './context.js';
import type { ApiRequest, ApiResponse } from './request.js';

/**
 * An aggregated API (an APIService such as v1beta1.metrics.k8s.io): a group
 * served by another server that the API server proxies to (upstream
 * kube-aggregator), after authenticating and authorizing the request itself.
 */
export interface ApiService {
  group: string;
  version: string;
  /** Where its server listens on the simulated network. */
  host: string;
  port: string;
  /** The resources it serves, for discovery and routing. */
  resources: ResourceType[];
}

/** What the API server sends an aggregated server, and what comes back. */
export type AggregatedRequest = { kind: 'aggregated'; request: ApiRequest };
export type AggregatedResponse = { kind: 'aggregated'; response?: ApiResponse; status?: KubeObject };

/** How long the aggregator waits for an answer before giving up (upstream's proxy uses the request's timeout). */
const PROXY_TIMEOUT_MS = 30_000;

/**
 * Forward a request to an aggregated server over the simulated network. An
 * unreachable server answers 503 with the text client-go shows for it
 * ("the server is currently unable to handle the request (get pods.metrics.k8s.io)").
 */
export function proxyToApiService(host: HostContext, service: ApiService, req: ApiRequest, reply: Reply): void {
  let answered = false;
  const stream = host.net.connect<AggregatedRequest | AggregatedResponse>(service.host, service.port, { breakAfterMs: PROXY_TIMEOUT_MS }) as StreamEnd<AggregatedRequest | AggregatedResponse>;
  stream.onMessage((m) => {
    if (answered) return;
    answered = true;
    stream.close();
    const answer = m as AggregatedResponse;
    if (answer.status !== undefined) return reply(new StatusError(answer.status as never));
    reply(null, answer.response!);
  });
  stream.onClose(() => {
    if (answered) return;
    answered = true;
    const verb = req.verb === 'list' ? 'get' : req.verb;
    reply(apiErrors.serviceUnavailable(`the server is currently unable to handle the request (${verb} ${req.resource}.${service.group})`));
  });
  stream.send({ kind: 'aggregated', request: req }, 512);
}

/** Serve an aggregated API on a host: each request frame gets one answer. */
export function serveApiService(host: HostContext, port: string, handle: (req: ApiRequest) => ApiResponse): void {
  host.net.listen<AggregatedRequest>(port, (s) => {
    const stream = s as unknown as StreamEnd<AggregatedRequest | AggregatedResponse>;
    stream.onMessage((m) => {
      const { request } = m as AggregatedRequest;
      let answer: AggregatedResponse;
      try {
        const response = handle(request);
        answer = { kind: 'aggregated', response };
      } catch (e) {
        if (!isStatusError(e)) throw e;
        answer = { kind: 'aggregated', status: e.status as unknown as KubeObject };
      }
      stream.send(answer, 256 + 64 * (((answer.response?.body as { items?: unknown[] } | undefined)?.items?.length) ?? 1));
    });
  });
}
