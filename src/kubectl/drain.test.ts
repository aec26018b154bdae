import { describe, expect, it } from 'vitest';
import { DisruptionController } from '../control/disruption/controller.js';
import { deploymentCluster } from '../control/deployment/testing.js';
import { drain, type DrainResult } from './drain.js';

function cluster(seed: string) {
  const c = deploymentCluster(seed);
  new DisruptionController(c.world.host('cp-0'), c.kcm).start();
  const drainNode = (node: string, options: Parameters<typeof drain>[3], waitMs = 120_000): DrainResult | undefined => {
    let result: DrainResult | undefined;
    drain(c.world.host('cp-0'), c.client('cp-0'), node, options, (r) => (result = r));
    c.world.sim.runUntil(() => result !== undefined, { timeoutMs: waitMs });
    return result;
  };
  return { ...c, drainNode };
}

describe('drain (kubectl drain; eviction API and PodDisruptionBudgets)', () => {
  it('a budget blocks the drain (429, retried every 5 s); once it allows, the pod is evicted, replaced elsewhere, and the node drained', () => {
    const c = cluster('drain-pdb');
    c.deploy('web', { replicas: 3 });
    c.call({ verb: 'create', group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespace: 'default', body: { metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: 3, selector: { matchLabels: { app: 'web' } } } } as any });
    c.world.sim.advance(30_000);
    const pdb = () => c.call({ verb: 'get', group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespace: 'default', name: 'web' }).body as any;
    expect(pdb().status).toMatchObject({ currentHealthy: 3, desiredHealthy: 3, expectedPods: 3, disruptionsAllowed: 0 });
    expect(pdb().status.conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' });
    const node = c.live.pods('web')[0]!.spec!.nodeName!;
    let result: DrainResult | undefined;
    drain(c.world.host('cp-0'), c.client('cp-0'), node, { ignoreDaemonSets: true }, (r) => (result = r));
    c.world.sim.advance(20_000);
    expect(result).toBeUndefined();
    // Meanwhile the budget is relaxed; the retrying drain goes through.
    c.call({ verb: 'patch', patchType: 'merge', group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespace: 'default', name: 'web', body: { spec: { minAvailable: 2 } } });
    c.world.sim.runUntil(() => result !== undefined, { timeoutMs: 120_000 });
    expect(result?.ok).toBe(true);
    expect(result!.output[0]).toBe(`node/${node} cordoned`);
    expect(result!.output).toContain(`error when evicting pods/"${c.live.pods('web').find((p) => p.spec?.nodeName === node)?.metadata?.name ?? result!.output.find((l) => l.startsWith('evicting pod'))!.slice('evicting pod default/'.length)}" -n "default" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.`);
    expect(result!.output.at(-1)).toBe(`node/${node} drained`);
    expect(result!.output.some((l) => /^pod\/web-[a-z0-9]+-[a-z0-9]{5} evicted$/.test(l))).toBe(true);
    c.world.sim.advance(30_000);
    const pods = c.live.pods('web').filter((p) => p.metadata?.deletionTimestamp === undefined);
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.spec?.nodeName !== node)).toBe(true);
  });

  it('refuses unmanaged pods and emptyDir data with kubectl\'s messages unless told', () => {
    const c = cluster('drain-refuse');
    c.createPod('naked', 'node-1');
    c.createPod('scratch', 'node-1', { containers: [{ name: 'app', image: 'nginx:1.27' }], volumes: [{ name: 'tmp', emptyDir: {} }] });
    c.world.sim.advance(10_000);
    const refused = c.drainNode('node-1', {});
    expect(refused?.ok).toBe(false);
    expect(refused?.error).toBe('cannot delete Pods that declare no controller (use --force to override): default/naked, default/scratch, cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch');
    const forced = c.drainNode('node-1', { force: true, deleteEmptyDirData: true });
    expect(forced?.ok).toBe(true);
    expect(forced?.output).toContain('Warning: deleting Pods that declare no controller: default/naked, default/scratch; deleting Pods with local storage: default/scratch');
  });
});
