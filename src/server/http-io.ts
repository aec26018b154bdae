import type { IncomingMessage, ServerResponse } from 'node:http';
import yaml from 'js-yaml';
import { apiErrors, isStatusError, StatusError } from '../api/errors/status.js';
import type { KubeObject } from '../api/registry/index.js';

/** upstream's MaxRequestBodyBytes (3 MiB). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Bytes as they are (a protobuf document). */
export function sendBytes(res: ServerResponse, bytes: Buffer, contentType: string): void {
  res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': bytes.length });
  res.end(bytes);
}

export function send(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, e: unknown): void {
  const status = isStatusError(e) ? e : apiErrors.internal(e instanceof Error ? e.message : String(e));
  send(res, status.code, status.status);
}

/** Read a request body up to the limit; a bigger one is read to its end and discarded, then refused with 413 as upstream does. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Request entity too large: limit is ${MAX_BODY_BYTES}`, reason: 'RequestEntityTooLarge', code: 413 } as never));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** How deeply a body may nest (sigs.k8s.io/json refuses deeper documents; so do we, before parsing). */
const MAX_DEPTH = 10_000;

function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Parse a JSON body with the API server's 400 for what is not JSON; `__proto__` keys stay plain data. */
export function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  if (nestingDepth(text) > MAX_DEPTH) throw apiErrors.badRequest(`json: exceeded max depth of ${MAX_DEPTH}`);
  try {
    return JSON.parse(text, (k, v) => (k === '__proto__' ? undefined : v));
  } catch (e) {
    throw apiErrors.badRequest(`json parse error: ${(e as Error).message}`);
  }
}

/** Impersonate-User and Impersonate-Group headers (kubectl --as, --as-group). */
export function impersonationOf(req: IncomingMessage): { impersonate?: { user?: string; groups?: string[] } } {
  const user = req.headersDistinct['impersonate-user']?.[0];
  const groups = req.headersDistinct['impersonate-group'] ?? [];
  if (user === undefined && groups.length === 0) return {};
  return { impersonate: { ...(user !== undefined && { user }), ...(groups.length > 0 && { groups }) } };
}

/** An apply body: YAML (JSON is YAML too), one object. */
export function parseApplyBody(text: string): unknown {
  try {
    return yaml.load(text);
  } catch (e) {
    throw apiErrors.badRequest(`error decoding YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** One watch event's line, serialized once however many watchers get the same (shared, frozen) object. */
const watchLines = new WeakMap<object, { type: string; line: string }>();
export function watchLine(type: string, object: KubeObject): string {
  const cached = watchLines.get(object);
  if (cached !== undefined && cached.type === type) return cached.line;
  const line = `${JSON.stringify({ type, object })}\n`;
  if (Object.isFrozen(object)) watchLines.set(object, { type, line });
  return line;
}

