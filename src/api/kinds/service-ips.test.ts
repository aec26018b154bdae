import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/index.js';
import { statusErrorOf } from '../errors/testing.js';
import { ApiServer } from '../server/apiserver.js';
import type { ApiRequest } from '../server/request.js';

const admin = { name: 'admin', groups: ['system:masters'] };

function server() {
  const sim = new Simulation({ seed: 1 });
  const rng = sim.random.stream('apiserver');
  const api = new ApiServer({ now: () => sim.now, random: () => rng.next() });
  api.bootstrap();
  const call = (r: Partial<ApiRequest>) => api.handle({ group: '', version: 'v1', resource: 'services', namespace: 'default', user: admin, ...r } as ApiRequest).body as any;
  return { call };
}

const svc = (name: string, spec: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });

describe('Service addresses (upstream service storage alloc.go, --service-cluster-ip-range 10.96.0.0/12)', () => {
  it('the API server keeps the `kubernetes` Service at 10.96.0.1', () => {
    const { call } = server();
    expect(call({ verb: 'get', name: 'kubernetes' }).spec).toMatchObject({ clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ name: 'https', port: 443, targetPort: 6443 }] });
  });

  it('allocates distinct ClusterIPs in the dynamic band, NodePorts in 30000-32767, nothing for headless and ExternalName Services', () => {
    const { call } = server();
    const ips = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const ip = call({ verb: 'create', body: svc(`s${i}`) }).spec.clusterIP as string;
      expect(ip).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
      expect(ip.startsWith('10.96.0.')).toBe(false);
      ips.add(ip);
    }
    expect(ips.size).toBe(20);
    const np = call({ verb: 'create', body: svc('np', { type: 'NodePort' }) }).spec.ports[0].nodePort;
    expect(np).toBeGreaterThanOrEqual(30000);
    expect(np).toBeLessThanOrEqual(32767);
    expect(call({ verb: 'create', body: svc('headless', { clusterIP: 'None' }) }).spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'] });
    expect(call({ verb: 'create', body: { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } } }).spec.clusterIP).toBeUndefined();
  });

  it('a requested ClusterIP must be free and in range, with upstream\'s texts', () => {
    const { call } = server();
    expect(call({ verb: 'create', body: svc('fixed', { clusterIP: '10.96.0.10' }) }).spec.clusterIP).toBe('10.96.0.10');
    expect(statusErrorOf(() => call({ verb: 'create', body: svc('again', { clusterIP: '10.96.0.10' }) })).message).toBe('Service "again" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated');
    expect(statusErrorOf(() => call({ verb: 'create', body: svc('far', { clusterIP: '192.168.0.1' }) })).message).toContain('failed to allocate IP 192.168.0.1: the provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12');
  });
});
