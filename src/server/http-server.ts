import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { apiErrors, StatusError } from '../api/errors/status.js';
import type { KubeObject } from '../api/registry/index.js';
import type { IncomingRequest } from '../api/server/gateway.js';
import { bookmark } from '../api/server/index.js';
import { identities } from '../api/auth/index.js';
import { managerFromUserAgent } from '../api/fieldmanager/manager.js';
import type { Cluster } from '../cluster/cluster.js';
import { aggregatedDiscovery, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { controlAllowed, handleControl } from './control.js';
import { handleExecUpgrade } from './exec.js';
import { followLogs } from './follow.js';
import { isWatchUpgrade, upgradeWatch } from './watch-ws.js';
import { nodeProxy, proxy } from './proxy.js';
import { parsePath, patchTypeOf, queryOf, requestUrl, verbOf } from './routes.js';
import { toTable, wantsTable } from './table.js';
import { servingCertificates } from './certs.js';
import { openAPIv2, openAPIv2Bytes, openAPIv3GroupVersion, openAPIv3Root } from './openapi.js';
import { decodeKubernetesProtobuf, ProtobufError } from './protobuf/decode.js';
import { impersonationOf, parseApplyBody, parseBody, readBody, send, sendError, watchLine, sendBytes } from './http-io.js';

export interface ServeOptions {
  cluster: Cluster;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Virtual time runs this many times faster than wall time (default 1). */
  speed?: number;
  /**
   * The only bearer token accepted over HTTP, for the cluster-admin (the CLI
   * makes a random one per run). Without it, every token the cluster's
   * authenticator knows is accepted, as in tests.
   */
  token?: string;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** The CA that signed the serving certificate (PEM). */
  caPem: string;
  port: number;
  /** Stop serving and stop the clock. */
  close(): Promise<void>;
  /** Pause or resume virtual time. */
  paused: boolean;
}

const VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-crucible', gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.23.0', compiler: 'gc', platform: 'linux/amd64' };

/** How often a watch that allows bookmarks gets one (upstream: about once a minute). */
const BOOKMARK_INTERVAL_MS = 60_000;

/**
 * `crucible serve`'s HTTP front: the Kubernetes REST API over a simulated
 * cluster, for kubectl and client libraries. Virtual time follows wall time
 * (times `speed`); requests go to the API server in process (through its
 * authentication and authorization), and answers may take virtual time
 * (pod logs cross the simulated network to the kubelet).
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const certs = await servingCertificates([host]);
  const { cluster } = options;
  const gateway = cluster.components.gateways[0]!;
  const registry = gateway.api.registry;
  const speed = options.speed ?? 1;
  let paused = false;
  let last = performance.now();
  const clock = setInterval(() => {
    const now = performance.now();
    const delta = Math.floor((now - last) * speed);
    if (paused || delta < 1) return;
    last = now;
    cluster.world.sim.advance(delta);
  }, 10);
  const clockState = {
    speed,
    get paused() {
      return paused;
    },
    set paused(v: boolean) {
      paused = v;
      last = performance.now();
    },
  };
  const serverNow = () => cluster.epochMs + cluster.world.host(cluster.components.controlPlane[0]!).clock.now();

  if (options.token !== undefined) for (const g of cluster.components.gateways) g.authenticator.add(options.token, identities.admin());
  const authorized = (header: string | undefined) => options.token === undefined || header === `Bearer ${options.token}`;

  const handle = async (req: IncomingMessage, res: ServerResponse, address: string): Promise<void> => {
    // The body is read first, whatever the answer: bytes left unread would be taken for the next request on the connection.
    const raw = await readBody(req);
    // Health and version are public (system:public-info-viewer); everything else needs the served token.
    if (!authorized(req.headers['authorization']) && !/^\/(version|healthz|livez|readyz)(\/.*)?\/?$/.test(requestUrl(req).pathname)) throw apiErrors.unauthorized();
    const url = requestUrl(req);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const accept = req.headers['accept'];
    if (path === '/version') return send(res, 200, VERSION);
    if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(path)) return send(res, 200, 'ok', 'text/plain; charset=utf-8');
    if (path.startsWith('/crucible/v1/')) {
      const user = gateway.authenticator.authenticate(req.headers['authorization']);
      if (!controlAllowed(user.groups)) throw apiErrors.forbidden({ group: '', resource: '' }, '', `User "${user.name}" cannot use the crucible control endpoint: it is for cluster-admins (system:masters)`);
      return send(res, 200, handleControl(cluster, clockState, req.method ?? 'GET', path, parseBody(raw.toString('utf8'))));
    }
    const aggregated = /as=APIGroupDiscoveryList/.test(accept ?? '');
    if (path === '/api') return aggregated ? send(res, 200, aggregatedDiscovery(registry, true), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList') : send(res, 200, apiVersions(address));
    if (path === '/apis') return aggregated ? send(res, 200, aggregatedDiscovery(registry, false), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList') : send(res, 200, apiGroupList(registry));
    if (path === '/openapi/v3') return send(res, 200, openAPIv3Root(registry));
    if (path === '/openapi/v2') {
      // client-go asks for gnostic's protobuf form only; JSON for whoever takes it.
      if (/proto-openapi\.spec\.v2/.test(accept ?? '')) return sendBytes(res, openAPIv2Bytes(registry), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
      if (accept !== undefined && !/application\/json|\*\/\*/.test(accept)) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `only application/json and protobuf are served for /openapi/v2, not ${accept}`, reason: 'NotAcceptable', code: 406 } as never);
      return send(res, 200, openAPIv2(registry));
    }
    if (path.startsWith('/openapi/v3/')) {
      const parts = path.slice('/openapi/v3/'.length).split('/');
      const doc = parts[0] === 'api' ? openAPIv3GroupVersion(registry, '', parts[1] ?? '') : openAPIv3GroupVersion(registry, parts[1] ?? '', parts[2] ?? '');
      if (doc !== undefined) return send(res, 200, doc);
    }
    const route = parsePath(path);
    if (route === undefined) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 } as never);
    if (route.resource === undefined) {
      const list = apiResourceList(registry, route.group, route.version);
      if (list === undefined) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 } as never);
      return send(res, 200, list);
    }
    if (route.subresource === 'proxy' && route.name !== undefined && (route.resource === 'pods' || route.resource === 'services') && route.group === '') return proxy(gateway, route, req.method ?? 'GET', req.headers['authorization'], res, sendError);
    if (route.subresource === 'proxy' && route.name !== undefined && route.resource === 'nodes' && route.group === '') return nodeProxy(gateway, route, req.method ?? 'GET', req.headers['authorization'], res, sendError);
    const query = queryOf(url.searchParams);
    const verb = verbOf(req.method ?? 'GET', route, query.watch === true);
    if (verb === undefined) throw apiErrors.methodNotSupported({ group: route.group, resource: route.resource }, String(req.method).toLowerCase());
    const contentType = String(req.headers['content-type'] ?? '');
    // kubectl's typed clients send protobuf (`kubectl create …`, `auth can-i`, evictions); everything else is JSON.
    let bodyText = raw.toString('utf8');
    let decoded: unknown;
    if (contentType.startsWith('application/vnd.kubernetes.protobuf') && raw.length > 0) {
      try {
        decoded = decodeKubernetesProtobuf(raw);
      } catch (e) {
        if (e instanceof ProtobufError) throw apiErrors.badRequest(`the body of the request could not be decoded: ${e.message}`);
        throw e;
      }
      bodyText = '';
    }
    const patchType = verb === 'patch' ? patchTypeOf(req.headers['content-type']) : undefined;
    if (verb === 'patch' && patchType === undefined) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`, reason: 'UnsupportedMediaType', code: 415 } as never);
    let body = decoded ?? (patchType === 'apply' ? parseApplyBody(bodyText) : parseBody(bodyText));
    // A write without ?fieldManager is made by its User-Agent's product (upstream prefixFromUserAgent).
    if (['create', 'update', 'patch'].includes(verb) && query.fieldManager === undefined && patchType !== 'apply') query.fieldManager = managerFromUserAgent(req.headers['user-agent']);
    if (verb === 'delete' || verb === 'deletecollection') {
      const opts = (body ?? {}) as { propagationPolicy?: string; gracePeriodSeconds?: number; preconditions?: { uid?: string; resourceVersion?: string }; dryRun?: string[] };
      if (opts.propagationPolicy !== undefined) query.propagationPolicy = opts.propagationPolicy as never;
      if (opts.gracePeriodSeconds !== undefined) query.gracePeriodSeconds = opts.gracePeriodSeconds;
      if ((opts.dryRun ?? []).includes('All')) query.dryRun = true;
      body = undefined;
    }
    const { watch: _w, follow: _f, timeoutSeconds, ...apiQuery } = query;
    const incoming: IncomingRequest = {
      verb,
      group: route.group,
      version: route.version,
      resource: route.resource,
      ...(route.namespace !== undefined && { namespace: route.namespace }),
      ...(route.name !== undefined && { name: route.name }),
      ...(route.subresource !== undefined && { subresource: route.subresource }),
      ...(body !== undefined && { body }),
      ...(patchType !== undefined && { patchType }),
      query: apiQuery,
      ...(req.headers['authorization'] !== undefined && { authorization: req.headers['authorization'] }),
      ...impersonationOf(req),
    };
    const type = registry.atVersion(route.group, route.version, route.resource);
    const table = wantsTable(accept) && type !== undefined && (verb === 'get' || verb === 'list' || verb === 'watch') && route.subresource === undefined;
    if (verb === 'watch') return watch(incoming, res, table, url.searchParams.get('includeObject'), timeoutSeconds);
    if (route.subresource === 'log' && query.follow === true) return followLogs(gateway, incoming, res, sendError);
    await new Promise<void>((done) => {
      gateway.handleAsync(incoming, (error, response) => {
        if (error) sendError(res, error);
        else if (response!.text !== undefined && route.subresource === 'log') send(res, 200, response!.text, 'text/plain');
        else {
          const out = table ? toTable(type!, response!.body, serverNow(), url.searchParams.get('includeObject')) : response!.body;
          if (response!.warnings !== undefined) res.setHeader('Warning', response!.warnings.map((w) => `299 - ${JSON.stringify(w)}`));
          send(res, response!.code, out);
        }
        done();
      });
    });
  };

  const watch = (incoming: IncomingRequest, res: ServerResponse, table: boolean, includeObject: string | null, timeoutSeconds?: number): void => {
    const type = registry.atVersion(incoming.group, incoming.version, incoming.resource)!;
    let first = true;
    let corked = false;
    let handle: { stop(): void } | undefined;
    try {
      handle = gateway.watch(incoming, (event) => {
        if (first) {
          res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
          first = false;
        }
        if (table && event.type !== 'ERROR' && event.type !== 'BOOKMARK') return void res.write(`${JSON.stringify({ type: event.type, object: toTable(type, event.object, serverNow(), includeObject ?? 'Object') })}\n`);
        // Events of one tick go out in one TLS record and one system call.
        if (!corked) {
          corked = true;
          res.cork();
          process.nextTick(() => ((corked = false), res.uncork()));
        }
        res.write(watchLine(event.type, event.object));
      });
    } catch (e) {
      return sendError(res, e);
    }
    if (first) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
      res.flushHeaders();
      first = false;
    }
    // allowWatchBookmarks: a BOOKMARK at the current resourceVersion about once a minute of cluster time (as ApiServerHost sends them).
    let bookmarks: { cancel(): void } | undefined;
    const apiHost = cluster.world.host(cluster.components.controlPlane[0]!);
    const tick = () => {
      if (res.writableEnded) return;
      res.write(`${JSON.stringify(bookmark(type, gateway.api.store.revision))}\n`);
      bookmarks = apiHost.after(BOOKMARK_INTERVAL_MS, tick);
    };
    if (incoming.query?.allowWatchBookmarks === true && !table) bookmarks = apiHost.after(BOOKMARK_INTERVAL_MS, tick);
    const stop = () => {
      handle?.stop();
      bookmarks?.cancel();
      if (!res.writableEnded) res.end();
    };
    res.on('close', stop);
    if (timeoutSeconds !== undefined && timeoutSeconds > 0) setTimeout(stop, timeoutSeconds * 1000).unref();
  };

  return new Promise((resolve, reject) => {
    const server = createServer({ key: certs.keyPem, cert: certs.certPem }, (req, res) => {
      const address = `${(server.address() as AddressInfo).address}:${(server.address() as AddressInfo).port}`;
      handle(req, res, address).catch((e: unknown) => {
        if (!res.headersSent) sendError(res, e);
        else res.end();
      });
    });
    server.on('error', reject);
    // Upgrades: watches over WebSocket; kubectl exec, attach and port-forward (WebSocket, or SPDY for port-forward).
    server.on('upgrade', (req, socket, head) => {
      if (!authorized(req.headers['authorization'])) return socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      if (isWatchUpgrade(req)) return upgradeWatch(gateway, req, socket, head);
      handleExecUpgrade(gateway, req, socket, head);
    });
    // Requests Node's HTTP parser refuses still get a Status, and the connection is closed cleanly.
    server.on('clientError', (err, socket) => {
      if (!socket.writable) return socket.destroy();
      const status = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `bad request: ${(err as NodeJS.ErrnoException).code ?? err.message}`, reason: 'BadRequest', code: 400 });
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(status)}\r\nConnection: close\r\n\r\n${status}`);
    });
    server.listen(options.port ?? 0, host, () => {
      const port = (server.address() as AddressInfo).port;
      const running: RunningServer = {
        server,
        url: `https://${host}:${port}`,
        caPem: certs.caPem,
        port,
        paused: false,
        close: () =>
          new Promise((done) => {
            clearInterval(clock);
            server.closeAllConnections();
            server.close(() => done());
          }),
      };
      Object.defineProperty(running, 'paused', { get: () => paused, set: (v: boolean) => ((paused = v), (last = performance.now())) });
      resolve(running);
    });
  });
}

/** A kubeconfig for a served cluster: one context, a bearer-token user. */
export function kubeconfig(url: string, token: string, caPem: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: crucible',
    '  cluster:',
    `    server: ${url}`,
    `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`,
    'users:',
    '- name: crucible-admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: crucible',
    '  context:',
    '    cluster: crucible',
    '    user: crucible-admin',
    '    namespace: default',
    'current-context: crucible',
    '',
  ].join('\n');
}

export type { KubeObject };
