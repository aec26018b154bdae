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
  it('decodes a ConfigMap: metadata, a map, empty strings left out and a zero time as null, as in JSON', () => {
    const meta = [...str(1, 'cfg'), ...str(3, ''), ...bytes(8, []), ...bytes(11, [...str(1, 'app'), ...str(2, 'web')])];
    const raw = [...bytes(1, meta), ...bytes(2, [...str(1, 'mode'), ...str(2, 'fast')])];
    expect(decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', raw))).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', creationTimestamp: null, labels: { app: 'web' } }, data: { mode: 'fast' } });
  });

  it('decodes nested messages, repeated fields, IntOrString and integers (a Service)', () => {
    const port = [...str(1, 'http'), ...str(2, 'TCP'), ...int(3, 80), ...bytes(4, [...int(1, 0), ...int(2, 8080)]), ...int(5, 0)];
    const spec = [...bytes(1, port), ...bytes(2, [...str(1, 'app'), ...str(2, 'web')]), ...str(4, 'ClusterIP')];
    const svc = decodeKubernetesProtobuf(envelope('v1', 'Service', [...bytes(1, str(1, 'web')), ...bytes(2, spec)]));
    expect(svc['spec']).toEqual({ ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }], selector: { app: 'web' }, type: 'ClusterIP' });
  });

  it("drops the zero of a non-pointer field (Go's omitempty) and keeps a pointer's zero (replicas: 0, enableServiceLinks: false)", () => {
    const bool = (no: number, b: boolean) => int(no, b ? 1 : 0);
    const container = [...str(1, 'app'), ...str(2, 'nginx'), ...bool(16, false), ...bool(17, false), ...bool(18, false)];
    const podSpec = [...bytes(2, container), ...bool(30, false)];
    const template = [...bytes(1, [...int(7, 0)]), ...bytes(2, podSpec)];
    const spec = [...int(1, 0), ...bytes(3, template), ...int(5, 0), ...bool(7, false)];
    const d = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', [...bytes(1, str(1, 'web')), ...bytes(2, spec)]));
    expect(d['spec']).toEqual({ replicas: 0, template: { metadata: {}, spec: { containers: [{ name: 'app', image: 'nginx' }], enableServiceLinks: false } } });
  });

  it('puts the fields of inline embedded structs one level up, as their JSON does (IngressRule.ingressRuleValue, Volume.volumeSource)', () => {
    const path = [...str(1, '/'), ...str(3, 'Prefix')];
    const rule = [...str(1, 'foo.com'), ...bytes(2, bytes(1, bytes(1, path)))];
    const ingress = decodeKubernetesProtobuf(envelope('networking.k8s.io/v1', 'Ingress', [...bytes(1, str(1, 'web')), ...bytes(2, bytes(3, rule))]));
    expect(ingress).toMatchObject({ spec: { rules: [{ host: 'foo.com', http: { paths: [{ path: '/', pathType: 'Prefix' }] } }] } });
    // Pod.spec (2) → PodSpec.volumes (1) → Volume { name (1), volumeSource (2) { hostPath (1) { path (1) } } }
    const volume = [...str(1, 'host-root'), ...bytes(2, bytes(1, str(1, '/')))];
    const pod = decodeKubernetesProtobuf(envelope('v1', 'Pod', [...bytes(1, str(1, 'p')), ...bytes(2, bytes(1, volume))]));
    expect((pod as any).spec.volumes).toEqual([{ name: 'host-root', hostPath: { path: '/' } }]);
  });

  it('refuses what is not a Kubernetes protobuf body, or a kind it has no definition for', () => {
    expect(() => decodeKubernetesProtobuf(Buffer.from('{"kind":"Pod"}'))).toThrow(ProtobufError);
    expect(() => decodeKubernetesProtobuf(envelope('example.com/v1', 'Widget', []))).toThrow('no protobuf definition for example.com/v1, Kind=Widget');
    expect(() => decodeKubernetesProtobuf(Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x7f]))).toThrow(ProtobufError);
  });
});
