import { describe, expect, it } from 'vitest';
import { adminCall, controlPlaneWorld } from '../../client/testing.js';
import { fakeNode } from '../../scheduler/testing.js';
import { NodeIpamController } from './controller.js';

describe('node IPAM range allocator (upstream nodeipam/ipam/range_allocator.go)', () => {
  it('gives each node the next free /24 of the cluster CIDR, skips ones in use, and says when none is left', () => {
    const cp = controlPlaneWorld('ipam', []);
    const call = adminCall(cp);
    const preset = fakeNode({ name: 'a' }) as any;
    preset.spec.podCIDR = '10.200.0.0/24';
    call({ verb: 'create', group: '', version: 'v1', resource: 'nodes', body: preset });
    new NodeIpamController(cp.world.host('cp-0'), cp.client('cp-0', 'kcm-token'), { clusterCIDR: '10.200.0.0/22' }).start();
    for (const n of ['b', 'c', 'd', 'e']) call({ verb: 'create', group: '', version: 'v1', resource: 'nodes', body: fakeNode({ name: n }) });
    cp.world.sim.advance(2_000);
    const cidr = (n: string) => call({ verb: 'get', group: '', version: 'v1', resource: 'nodes', name: n }).b.spec.podCIDR;
    expect(['a', 'b', 'c', 'd'].map(cidr)).toEqual(['10.200.0.0/24', '10.200.1.0/24', '10.200.2.0/24', '10.200.3.0/24']);
    expect(cidr('e')).toBeUndefined();
    const events = call({ verb: 'list', group: '', version: 'v1', resource: 'events', namespace: 'default' }).b.items;
    expect(events.map((e: any) => `${e.reason} ${e.message}`)).toContain('CIDRNotAvailable Node e status is now: CIDRNotAvailable');
  });
});
