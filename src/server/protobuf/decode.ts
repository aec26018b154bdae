import schemaJson from './schema.json' with { type: 'json' };
import { rfc3339, rfc3339Micro } from '../../api/server/time.js';
import { goDuration } from '../../api/duration.js';

type Field = [number, string, number, number, string | null];
interface Schema {
  messages: Record<string, Field[] | { map: Field[] }>;
}

const schema = schemaJson as unknown as Schema;
const byNumber = new Map<string, Map<number, Field>>();
function fieldsOf(message: string): Map<number, Field> | undefined {
  let m = byNumber.get(message);
  if (m !== undefined) return m;
  const def = schema.messages[message];
  if (def === undefined) return undefined;
  m = new Map((Array.isArray(def) ? def : def.map).map((f) => [f[0], f]));
  byNumber.set(message, m);
  return m;
}
const isMap = (message: string) => !Array.isArray(schema.messages[message]);

/** A body the server cannot read: a 400, as a decoding error upstream is. */
export class ProtobufError extends Error {}

/** The envelope `k8s\0` + runtime.Unknown that Kubernetes protobuf bodies carry. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

// descriptor.proto FieldDescriptorProto.Type
const T = { DOUBLE: 1, FLOAT: 2, INT64: 3, UINT64: 4, INT32: 5, FIXED64: 6, FIXED32: 7, BOOL: 8, STRING: 9, MESSAGE: 11, BYTES: 12, UINT32: 13, ENUM: 14, SFIXED32: 15, SFIXED64: 16, SINT32: 17, SINT64: 18 };
const REPEATED = 3;
/**
 * Go writes every non-pointer field to protobuf, zero or not, and its JSON
 * form leaves zero ones out (omitempty); pointer fields are written only when
 * set, so there a zero or false means something (`replicas: 0`,
 * `enableServiceLinks: false`, `runAsUser: 0`). These are the pointer (or
 * non-omitempty) scalar fields of the built-in kinds whose zero is kept.
 */
const ZERO_IS_A_VALUE = new Set([
  // *bool
  'automountServiceAccountToken', 'enableServiceLinks', 'shareProcessNamespace', 'hostUsers', 'setHostnameAsFQDN', 'suspend', 'immutable', 'optional',
  'privileged', 'allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'runAsNonRoot', 'allocateLoadBalancerNodePorts', 'manualSelector', 'allowed', 'denied',
  // *int32 / *int64, and int32 without omitempty
  'replicas', 'revisionHistoryLimit', 'progressDeadlineSeconds', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'backoffLimit', 'backoffLimitPerIndex',
  'maxFailedIndexes', 'completions', 'parallelism', 'ttlSecondsAfterFinished', 'startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit',
  'runAsUser', 'runAsGroup', 'fsGroup', 'priority', 'defaultMode', 'mode', 'tolerationSeconds', 'expirationSeconds', 'gracePeriodSeconds', 'partition',
  'value', 'weight', 'minDomains', 'restartCount', 'ready', 'started',
]);

/**
 * Embedded structs the Go types mark `json:",inline"`: a field of their own
 * in protobuf, their fields one level up in JSON (`volumes[0].hostPath`,
 * `rules[0].http`, `livenessProbe.httpGet`).
 */
const INLINE = new Set([
  'k8s.io.api.core.v1.Volume.volumeSource',
  'k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource',
  'k8s.io.api.core.v1.Probe.handler',
  'k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon',
  'k8s.io.api.networking.v1.IngressRule.ingressRuleValue',
  'k8s.io.api.networking.v1beta1.IngressRule.ingressRuleValue',
]);

class Reader {
  i = 0;
  constructor(readonly buf: Uint8Array) {}
  get done() {
    return this.i >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.i >= this.buf.length) throw new ProtobufError('truncated varint');
      const b = this.buf[this.i++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new ProtobufError('varint too long');
    }
  }
  bytes(): Uint8Array {
    const len = Number(this.varint());
    if (this.i + len > this.buf.length) throw new ProtobufError('truncated field');
    const out = this.buf.subarray(this.i, this.i + len);
    this.i += len;
    return out;
  }
  fixed(n: 4 | 8): DataView {
    if (this.i + n > this.buf.length) throw new ProtobufError('truncated field');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.i, n);
    this.i += n;
    return v;
  }
}

const toNumber = (v: bigint, type: number): number => {
  if (type === T.SINT32 || type === T.SINT64) return Number((v >> 1n) ^ -(v & 1n));
  if (type === T.INT32 || type === T.INT64 || type === T.SFIXED32 || type === T.SFIXED64) return Number(BigInt.asIntN(64, v));
  return Number(v);
};

/** Messages whose JSON form is not their fields (meta.v1.Time, Quantity, IntOrString, …). */
function special(message: string, o: Record<string, unknown>): unknown {
  switch (message) {
    case 'k8s.io.apimachinery.pkg.apis.meta.v1.Time':
      // Go's zero Time marshals to JSON null (a template's `creationTimestamp: null`).
      return o['seconds'] === undefined || o['seconds'] === 0 ? null : rfc3339(Number(o['seconds']) * 1000);
    case 'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime':
      return rfc3339Micro(Number(o['seconds'] ?? 0) * 1000 + Math.floor(Number(o['nanos'] ?? 0) / 1e6));
    case 'k8s.io.apimachinery.pkg.apis.meta.v1.Duration':
      return goDuration(Math.round(Number(o['duration'] ?? 0) / 1e6));
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return o['string'] ?? '0';
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      if (Number(o['type'] ?? 0) === 1) return o['strVal'] ?? '';
      return o['intVal'] === undefined || o['intVal'] === 0 ? undefined : o['intVal'];
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
    case 'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': {
      const raw = (o['raw'] ?? o['Raw']) as string | undefined;
      if (raw === undefined) return {};
      const text = Buffer.from(raw, 'base64').toString('utf8');
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    default:
      return o;
  }
}

/** Decode one message by its full name into the object its JSON form would be. */
export function decodeMessage(buf: Uint8Array, message: string, depth = 0): unknown {
  if (depth > 64) throw new ProtobufError('message nested too deeply');
  const fields = fieldsOf(message);
  if (fields === undefined) throw new ProtobufError(`unknown message ${message}`);
  const r = new Reader(buf);
  const out: Record<string, unknown> = {};
  while (!r.done) {
    const key = Number(r.varint());
    const no = key >>> 3;
    const wt = key & 7;
    const f = fields.get(no);
    if (f === undefined) {
      // Unknown fields are skipped, as proto2 readers do.
      if (wt === 0) r.varint();
      else if (wt === 2) r.bytes();
      else if (wt === 1) r.fixed(8);
      else if (wt === 5) r.fixed(4);
      else throw new ProtobufError(`unexpected wire type ${wt}`);
      continue;
    }
    const [, name, type, label, typeName] = f;
    const values: unknown[] = [];
    if (wt === 2 && type !== T.STRING && type !== T.BYTES && type !== T.MESSAGE) {
      // A packed repeated scalar.
      const inner = new Reader(r.bytes());
      while (!inner.done) values.push(type === T.BOOL ? inner.varint() !== 0n : toNumber(inner.varint(), type));
    } else if (type === T.MESSAGE) {
      const bytes = r.bytes();
      if (isMap(typeName!)) {
        const entry = decodeMessage(bytes, typeName!, depth + 1) as { key?: string; value?: unknown };
        const map = (out[name] ??= {}) as Record<string, unknown>;
        if (entry.key !== undefined) map[entry.key] = entry.value ?? (fieldsOf(typeName!)!.get(2)![2] === T.STRING ? '' : {});
        continue;
      }
      values.push(special(typeName!, decodeMessage(bytes, typeName!, depth + 1) as Record<string, unknown>));
    } else if (type === T.STRING) values.push(Buffer.from(r.bytes()).toString('utf8'));
    else if (type === T.BYTES) values.push(Buffer.from(r.bytes()).toString('base64'));
    else if (type === T.BOOL) values.push(r.varint() !== 0n);
    else if (type === T.DOUBLE) values.push(r.fixed(8).getFloat64(0, true));
    else if (type === T.FLOAT) values.push(r.fixed(4).getFloat32(0, true));
    else if (type === T.FIXED64 || type === T.SFIXED64) values.push(Number(r.fixed(8).getBigInt64(0, true)));
    else if (type === T.FIXED32 || type === T.SFIXED32) values.push(r.fixed(4).getInt32(0, true));
    else values.push(toNumber(r.varint(), type));
    if (label === REPEATED) ((out[name] ??= []) as unknown[]).push(...values.filter((v) => v !== undefined));
    else if (INLINE.has(`${message}.${name}`)) Object.assign(out, values[values.length - 1]);
    else {
      const v = values[values.length - 1];
      // A non-pointer field's zero is what its JSON form omits (see ZERO_IS_A_VALUE).
      if (v === undefined || v === '' || ((v === 0 || v === false) && !ZERO_IS_A_VALUE.has(name))) delete out[name];
      else out[name] = v;
    }
  }
  return out;
}

/** The protobuf package a group's types live in (core → k8s.io.api.core.v1, rbac.authorization.k8s.io → k8s.io.api.rbac.v1, …). */
function messageFor(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  if (group === 'meta.k8s.io' || (kind === 'DeleteOptions' && group === '')) return `k8s.io.apimachinery.pkg.apis.meta.v1.${kind}`;
  const short = group === '' ? 'core' : group!.split('.')[0]!;
  const name = `k8s.io.api.${short}.${version}.${kind}`;
  return schema.messages[name] !== undefined ? name : undefined;
}

/**
 * A request body in Kubernetes' protobuf encoding (what kubectl's typed
 * clients send, `Content-Type: application/vnd.kubernetes.protobuf`), as
 * the JSON object it stands for: `k8s\0`, then a runtime.Unknown whose
 * typeMeta names the kind and whose raw bytes are the message.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): Record<string, unknown> {
  if (body.length < 4 || !MAGIC.equals(Buffer.from(body.subarray(0, 4)))) throw new ProtobufError('the body is not a Kubernetes protobuf message (no k8s\\0 prefix)');
  const unknown = decodeMessage(body.subarray(4), 'k8s.io.apimachinery.pkg.runtime.Unknown') as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: string };
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  const kind = unknown.typeMeta?.kind ?? '';
  const message = messageFor(apiVersion, kind);
  if (message === undefined) throw new ProtobufError(`no protobuf definition for ${apiVersion}, Kind=${kind}`);
  const object = decodeMessage(Buffer.from(unknown.raw ?? '', 'base64'), message) as Record<string, unknown>;
  return { apiVersion, kind, ...object };
}
