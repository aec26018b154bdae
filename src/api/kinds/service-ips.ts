import type { Service } from 'kubernetes-types/core/v1.js';
import { fieldErrors } from '../validation/field-errors.js';
import { apiErrors } from '../errors/status.js';
import type { AdmissionContext } from '../admission/types.js';

/** --service-cluster-ip-range default of kubeadm and kind: 10.96.0.0/12; 10.96.0.1 is the `kubernetes` Service. */
const BASE = (10 << 24) | (96 << 16);
const SIZE = 1 << 20;
/** KEP-3070: dynamic allocation prefers the upper band; the first min(max(16, size/16), 256) addresses are left for static IPs. */
const STATIC_BAND = Math.min(Math.max(16, SIZE / 16), 256);
const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

const ipText = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
const ipNumber = (t: string) => t.split('.').reduce((n, p) => n * 256 + Number(p), 0);

/**
 * What the Service storage does on create (upstream
 * pkg/registry/core/service/storage alloc.go): a ClusterIP from the
 * service range (random within the dynamic band, from the API server's
 * seeded stream; a requested one must be free and in range), the IP-family
 * fields, and NodePorts from 30000-32767 for NodePort and LoadBalancer Services.
 */
export function allocateServiceAddresses(ctx: AdmissionContext): void {
  const svc = ctx.object as Service;
  const spec = (svc.spec ??= {});
  const name = String(svc.metadata?.name ?? '');
  const services = ctx.store.list('services', {}).items as unknown as Service[];
  if (spec.type === 'ExternalName') return;
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  if (spec.clusterIP === 'None') spec.clusterIPs = ['None'];
  else {
    const used = new Set(services.flatMap((s) => s.spec?.clusterIPs ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])));
    let ip = spec.clusterIP ?? spec.clusterIPs?.[0];
    if (ip !== undefined && ip !== '') {
      const n = ipNumber(ip);
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip) || n <= BASE || n >= BASE + SIZE - 1) {
        throw apiErrors.invalid({ group: '', kind: 'Service' }, name, [fieldErrors.invalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/12`)]);
      }
      if (used.has(ip)) throw apiErrors.invalid({ group: '', kind: 'Service' }, name, [fieldErrors.invalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is already allocated`)]);
    } else {
      const span = SIZE - 2 - STATIC_BAND;
      const start = Math.floor(ctx.random() * span);
      for (let i = 0; i < span; i++) {
        const candidate = ipText(BASE + STATIC_BAND + 1 + ((start + i) % span));
        if (!used.has(candidate)) {
          ip = candidate;
          break;
        }
      }
    }
    spec.clusterIP = ip!;
    spec.clusterIPs = [ip!];
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    const usedPorts = new Set(services.flatMap((s) => (s.spec?.ports ?? []).map((p) => p.nodePort).filter((p): p is number => p !== undefined)));
    for (const [i, p] of (spec.ports ?? []).entries()) {
      if (p.nodePort !== undefined) {
        if (usedPorts.has(p.nodePort)) throw apiErrors.invalid({ group: '', kind: 'Service' }, name, [fieldErrors.invalid(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated')]);
        usedPorts.add(p.nodePort);
        continue;
      }
      const span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
      const start = Math.floor(ctx.random() * span);
      for (let k = 0; k < span; k++) {
        const port = NODE_PORT_MIN + ((start + k) % span);
        if (!usedPorts.has(port)) {
          p.nodePort = port;
          usedPorts.add(port);
          break;
        }
      }
    }
  }
}
