import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, ProtobufError } from './decode.js';

// A tiny proto2 writer for the test: length-delimited fields and varints.
const varint = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
};
const bytes = (no: number, payload: number[]) => [...varint((no << 3) | 2), ...varint(payload.length), ...payload];
const str = (no: number, s: string) => bytes(no, [...Buffer.from(s)]);
const int = (no: number, n: number) => [...varint(no << 3), ...varint(n)];
const envelope = (apiVersion: string, kind: string, raw: number[]) => Buffer.from([0x6b, 0x38, 0x73, 0x00, ...bytes(1, [...str(1, apiVersion), ...str(2, kind)]), ...bytes(2, raw)]);

describe('Kubernetes protobuf request bodies (k8s\\0 + runtime.Unknown)', () => {
  it('decodes a ConfigMap: metadata, a map, empty strings and zero times left out as in JSON', () => {
    const meta = [...str(1, 'cfg'), ...str(3, ''), ...bytes(8, []), ...bytes(11, [...str(1, 'app'), ...str(2, 'web')])];
    const raw = [...bytes(1, meta), ...bytes(2, [...str(1, 'mode'), ...str(2, 'fast')])];
    expect(decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', raw))).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', labels: { app: 'web' } }, data: { mode: 'fast' } });
  });

  it('decodes nested messages, repeated fields, IntOrString and integers (a Service)', () => {
    const port = [...str(1, 'http'), ...str(2, 'TCP'), ...int(3, 80), ...bytes(4, [...int(1, 0), ...int(2, 8080)]), ...int(5, 0)];
    const spec = [...bytes(1, port), ...bytes(2, [...str(1, 'app'), ...str(2, 'web')]), ...str(4, 'ClusterIP')];
    const svc = decodeKubernetesProtobuf(envelope('v1', 'Service', [...bytes(1, str(1, 'web')), ...bytes(2, spec)]));
    expect(svc['spec']).toEqual({ ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'web' }, type: 'ClusterIP' });
  });

  it('refuses what is not a Kubernetes protobuf body, or a kind it has no definition for', () => {
    expect(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"Pod"}'))).toThrow(ProtobufError);
    expect(() => decodeKubernetesProtobuf(envelope('example.com/v1', 'Widget', []))).toThrow('no protobuf definition for example.com/v1, Kind=Widget');
    expect(() => decodeKubernetesProtobuf(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x7f]))).toThrow(ProtobufError);
  });
});
