/**
 * What an image in an image table does when it runs: the behaviour model a
 * scenario (or the API) supplies for images Crucible does not build in.
 * Times are in seconds of the container's life, sizes in MiB.
 */
export interface ImageBehaviour {
  /** Seconds from start until its ports accept connections. */
  startupSeconds?: number;
  /** TCP ports it listens on once started. */
  ports?: number[];
  /** HTTP answers by path; a path not listed answers 404. */
  http?: Record<string, HttpAnswer>;
  /** Seconds from start until readiness endpoints (any `http` path marked `readiness`) answer 200. */
  readySeconds?: number;
  memory?: MemoryProfile;
  /** CPU it wants, in millicores; throttled by its limit. */
  cpuMillicores?: number;
  /** Exit after this many seconds with this code (a crash pattern). */
  crash?: { afterSeconds: number; exitCode: number };
  /** Lines written to stdout, one every `everySeconds` (default once, at start). */
  logs?: { lines: string[]; everySeconds?: number };
  /** Seconds it takes to exit after SIGTERM (default 0). */
  shutdownSeconds?: number;
  /** Image size in bytes, for pull time and disk usage. */
  sizeBytes?: number;
  /** Processes it runs: a steady count and growth per second (a fork bomb), for pid.available. */
  processes?: { steady?: number; growthPerSecond?: number };
  /** The registry wants credentials: pulls without an imagePullSecret for its host are denied. */
  private?: boolean;
}

export interface HttpAnswer {
  status: number;
  body?: string;
  /** Answer this status only from this second of the container's life on (before: 200). */
  fromSeconds?: number;
  /** Extra time to answer, in ms of unthrottled CPU. */
  latencyMs?: number;
  /** Answer 503 until `readySeconds` has passed. */
  readiness?: boolean;
}

export interface MemoryProfile {
  steadyMi?: number;
  growthMiPerSecond?: number;
  spikes?: { everySeconds: number; mi: number; forSeconds: number };
}

type Check = (value: unknown, path: string, errors: string[]) => void;

const number = (min = 0): Check => (v, path, errors) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) errors.push(`${path}: expected a number >= ${min}, got ${JSON.stringify(v)}`);
};
const integer = (min: number, max: number): Check => (v, path, errors) => {
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) errors.push(`${path}: expected an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
};
const string: Check = (v, path, errors) => {
  if (typeof v !== 'string') errors.push(`${path}: expected a string, got ${JSON.stringify(v)}`);
};
const boolean: Check = (v, path, errors) => {
  if (typeof v !== 'boolean') errors.push(`${path}: expected true or false, got ${JSON.stringify(v)}`);
};
const list = (item: Check): Check => (v, path, errors) => {
  if (!Array.isArray(v)) errors.push(`${path}: expected a list, got ${JSON.stringify(v)}`);
  else v.forEach((x, i) => item(x, `${path}[${i}]`, errors));
};
const object = (fields: Record<string, Check>, required: string[] = []): Check => (v, path, errors) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    errors.push(`${path}: expected a mapping, got ${JSON.stringify(v)}`);
    return;
  }
  const o = v as Record<string, unknown>;
  for (const r of required) if (!(r in o)) errors.push(`${path}.${r}: required`);
  for (const [k, x] of Object.entries(o)) {
    const check = fields[k];
    if (check === undefined) errors.push(`${path}.${k}: unknown field (expected one of ${Object.keys(fields).join(', ')})`);
    else check(x, `${path}.${k}`, errors);
  }
};
const map = (value: Check): Check => (v, path, errors) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) errors.push(`${path}: expected a mapping, got ${JSON.stringify(v)}`);
  else for (const [k, x] of Object.entries(v)) value(x, `${path}[${JSON.stringify(k)}]`, errors);
};

const HTTP_ANSWER = object({ status: integer(100, 599), body: string, fromSeconds: number(), latencyMs: number(), readiness: boolean }, ['status']);

const IMAGE_BEHAVIOUR = object({
  startupSeconds: number(),
  ports: list(integer(1, 65535)),
  http: map(HTTP_ANSWER),
  readySeconds: number(),
  memory: object({
    steadyMi: number(),
    growthMiPerSecond: number(),
    spikes: object({ everySeconds: number(1), mi: number(), forSeconds: number() }, ['everySeconds', 'mi', 'forSeconds']),
  }),
  cpuMillicores: number(),
  crash: object({ afterSeconds: number(), exitCode: integer(0, 255) }, ['afterSeconds', 'exitCode']),
  logs: object({ lines: list(string), everySeconds: number(0.001) }, ['lines']),
  shutdownSeconds: number(),
  sizeBytes: integer(0, Number.MAX_SAFE_INTEGER),
  private: boolean,
  processes: object({ steady: integer(1, 4_194_304), growthPerSecond: number() }),
});

/** Every problem with an image-table entry, each naming its path; empty when it is valid. */
export function validateImageBehaviour(value: unknown, path: string): string[] {
  const errors: string[] = [];
  IMAGE_BEHAVIOUR(value, path, errors);
  return errors;
}
