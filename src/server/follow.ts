import type { ServerResponse } from 'node:http';
import type { ApiGateway, IncomingRequest } from '../api/server/gateway.js';

/** How often a followed log is read again, in real milliseconds. */
const FOLLOW_POLL_MS = 100;

type ContainerStatus = { name: string; state?: { running?: object } };

/**
 * `kubectl logs -f` (pods/log?follow=true): the log so far (tailLines,
 * timestamps… as asked), then what the container writes next, streamed as
 * chunks until the container stops or the client goes away, as the kubelet's
 * follow does (upstream kuberuntime ReadLogs with Follow ends when the
 * container exits).
 */
export function followLogs(gateway: ApiGateway, incoming: IncomingRequest, res: ServerResponse, sendError: (res: ServerResponse, e: unknown) => void): void {
  const { tailLines: _t, limitBytes: _l, ...fullQuery } = incoming.query ?? {};
  const get = (req: IncomingRequest, done: (text: string | undefined, error?: unknown) => void) => gateway.handleAsync(req, (error, response) => (error ? done(undefined, error) : done(response!.text ?? '')));
  const full: IncomingRequest = { ...incoming, query: fullQuery };
  const podRequest: IncomingRequest = { ...incoming, verb: 'get', query: {} };
  delete (podRequest as { subresource?: string }).subresource;
  let offset = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  res.on('close', () => {
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
  });
  const running = (done: (yes: boolean) => void) =>
    gateway.handleAsync(podRequest, (error, response) => {
      if (error) return done(false);
      const statuses = ((response!.body as { status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] } }).status ?? {});
      const all = [...(statuses.containerStatuses ?? []), ...(statuses.initContainerStatuses ?? [])];
      const name = incoming.query?.container ?? all[0]?.name;
      done(all.find((s) => s.name === name)?.state?.running !== undefined);
    });
  const poll = () => {
    if (closed) return;
    running((alive) =>
      get(full, (text) => {
        if (closed) return;
        if (text !== undefined && text.length > offset) res.write(text.slice(offset));
        offset = Math.max(offset, text?.length ?? 0);
        if (!alive || text === undefined) return void res.end();
        timer = setTimeout(poll, FOLLOW_POLL_MS);
      }),
    );
  };
  // The first answer is the one asked for (tail, limits); it settles errors (400, 404) before any byte is streamed.
  get(incoming, (first, error) => {
    if (error !== undefined) return sendError(res, error);
    get(full, (all) => {
      offset = all?.length ?? 0;
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
      res.write(first ?? '');
      timer = setTimeout(poll, FOLLOW_POLL_MS);
    });
  });
}
