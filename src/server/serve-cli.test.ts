import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canSpawnServe, kubectlWith, spawnServe, type Spawned } from './testing/spawn-serve.js';

const dir = mkdtempSync(join(tmpdir(), 'crucible-serve-cli-'));
let served: Spawned | undefined;
afterEach(() => void served?.process.kill('SIGKILL'));

describe.skipIf(!canSpawnServe)('crucible serve --topology and --scenario', () => {
  it('--topology FILE: the nodes it names, with their zones and sizes', async () => {
    const file = join(dir, 'topology.yaml');
    writeFileSync(file, 'nodes:\n- { name: big-a, zone: a, cpu: "8", memory: 32Gi }\n- { name: small-b, zone: b }\n');
    const kc = join(dir, 'kc-topology');
    served = await spawnServe(kc, '--topology', file);
    expect(served.banner).toMatch(/^crucible serve: 2 nodes \(seed \d+\) ready in \d+ ms/);
    expect(served.banner).toContain(`from ${file}\n`);
    const nodes = await kubectlWith(kc, 'get', 'nodes', '-L', 'topology.kubernetes.io/zone', '-o', 'custom-columns=NAME:.metadata.name,ZONE:.metadata.labels.topology\\.kubernetes\\.io/zone,CPU:.status.capacity.cpu');
    expect(nodes.stdout).toBe('NAME      ZONE   CPU\nbig-a     a      8\nsmall-b   b      4\n');
  });

  it('--scenario FILE: its cluster, images and seed, with spec.manifests applied', async () => {
    const file = join(dir, 'scenario.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: crucible.dev/v1alpha1',
        'kind: Scenario',
        'metadata: { name: play }',
        'spec:',
        '  seed: play-seed',
        '  cluster: { nodes: 1 }',
        '  images:',
        '    example.com/hello:1: { logs: { lines: ["hello from the scenario"] } }',
        '  manifests:',
        '  - { apiVersion: v1, kind: Pod, metadata: { name: hello, namespace: default }, spec: { containers: [{ name: app, image: "example.com/hello:1" }] } }',
        '  steps:',
        '  - advance: 1s',
      ].join('\n'),
    );
    const kc = join(dir, 'kc-scenario');
    served = await spawnServe(kc, '--scenario', file);
    expect(served.banner).toMatch(/^crucible serve: 1 nodes \(seed play-seed\) ready in \d+ ms/);
    expect(served.banner).toContain('from scenario play: 1 objects applied\n');
    expect((await kubectlWith(kc, 'wait', '--for=condition=Ready', 'pod/hello', '--timeout=30s')).code).toBe(0);
    expect((await kubectlWith(kc, 'logs', 'hello')).stdout).toContain('hello from the scenario');
  });

  it('refuses two sources, and a bad topology names the file and the field', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'nodes: -3\n');
    served = await spawnServe(join(dir, 'kc-bad'), '--topology', file);
    expect(await served.exited).toBe(2);
    expect(served.stderr()).toContain(`${file}: topology.nodes: expected a whole number from 0 to 5000, got -3`);
    served = await spawnServe(join(dir, 'kc-two'), '--topology', file, '--nodes', '2');
    expect(await served.exited).toBe(2);
    expect(served.stderr()).toContain('crucible serve: give one of --nodes, --topology or --scenario');
  });
});
