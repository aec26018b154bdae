import type { KubeObject } from '../registry/types.js';
import type { IncomingRequest } from './gateway.js';
import type { WatchEventOut } from './request.js';

/** The port the API server listens on (kube-apiserver's secure port). */
export const APISERVER_PORT = '6443';

/** What travels on a client's stream to the API server. */
export type ClientFrame = { kind: 'request'; id: number; request: IncomingRequest } | { kind: 'cancel'; id: number };

/** What travels back. A watch answers with events until `end`. */
export type ServerFrame =
  | { kind: 'response'; id: number; code: number; body: KubeObject }
  | { kind: 'event'; id: number; event: WatchEventOut }
  | { kind: 'end'; id: number };

/** A rough wire size (bandwidth faults use it): a header plus about 1 KiB per object carried. */
export function frameBytes(frame: ServerFrame | ClientFrame): number {
  if (frame.kind === 'response') {
    const items = (frame.body as { items?: unknown[] }).items;
    return 256 + 1024 * (items === undefined ? 1 : Math.max(1, items.length));
  }
  if (frame.kind === 'request') return 256 + (frame.request.body === undefined ? 0 : 1024);
  return frame.kind === 'event' ? 1280 : 64;
}
