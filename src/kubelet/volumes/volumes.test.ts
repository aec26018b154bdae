import { describe, expect, it } from 'vitest';
import { busyboxContainer, podOnNode, testPod } from '../testing.js';

const logs = (p: ReturnType<typeof podOnNode>, name: string) => p.worker.slots.find((s) => s.spec.name === name)!.current!.logs.map((l) => l.text);

describe('volumes (upstream volumemanager and the emptyDir, configMap, secret, downwardAPI and projected plugins)', () => {
  it('an emptyDir is shared by the pod’s containers', () => {
    const p = podOnNode(
      testPod({
        volumes: [{ name: 'shared', emptyDir: {} }],
        containers: [
          { ...busyboxContainer('writer', 'echo hello > /data/msg; sleep 3600'), volumeMounts: [{ name: 'shared', mountPath: '/data' }] },
          { ...busyboxContainer('reader', 'sleep 2; cat /pod-data/msg; ls /pod-data; sleep 3600'), volumeMounts: [{ name: 'shared', mountPath: '/pod-data' }] },
        ],
      }),
    );
    p.sim.advance(5_000);
    expect(logs(p, 'reader')).toEqual(['hello', 'msg']);
  });

  it('an emptyDir outlives container restarts; the container layer does not', () => {
    const p = podOnNode(
      testPod({
        volumes: [{ name: 'cache', emptyDir: {} }],
        containers: [{ ...busyboxContainer('app', 'echo run >> /cache/runs; echo layer >> /tmp/layer; cat /cache/runs /tmp/layer; sleep 1; exit 1'), volumeMounts: [{ name: 'cache', mountPath: '/cache' }] }],
      }),
    );
    p.sim.advance(30_000);
    const slot = p.worker.slots[0]!;
    expect(slot.restartCount).toBeGreaterThanOrEqual(2);
    expect(slot.current!.logs.map((l) => l.text)).toEqual([...Array(slot.restartCount + 1).fill('run'), 'layer']);
  });

  it('configMap, secret, downwardAPI and projected volumes appear as files (values as written, no newline added)', () => {
    const p = podOnNode(
      {
        ...testPod({
          volumes: [
            { name: 'config', configMap: { name: 'app', items: [{ key: 'level', path: 'conf/level' }] } },
            { name: 'creds', secret: { secretName: 'db' } },
            { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
            { name: 'api', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] } },
          ],
          containers: [
            {
              ...busyboxContainer('app', 'cat /etc/app/conf/level; echo; cat /etc/db/password; echo; cat /etc/info/labels; echo; cat /etc/info/name; echo; ls /var/run/secrets/kubernetes.io/serviceaccount; sleep 3600'),
              volumeMounts: [
                { name: 'config', mountPath: '/etc/app' },
                { name: 'creds', mountPath: '/etc/db', readOnly: true },
                { name: 'info', mountPath: '/etc/info' },
                { name: 'api', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
              ],
            },
          ],
        }),
        metadata: { name: 'web', namespace: 'default', uid: 'uid-web', labels: { app: 'web', tier: 'front' } },
      },
      { configMaps: { app: { level: 'debug' }, 'kube-root-ca.crt': { 'ca.crt': 'CA' } }, secrets: { db: { password: Buffer.from('s3cret').toString('base64') } } },
    );
    p.sim.advance(3_000);
    expect(logs(p, 'app')).toEqual(['debug', 's3cret', 'app="web"', 'tier="front"', 'web', 'ca.crt', 'token']);
  });

  it('a missing ConfigMap keeps the pod in ContainerCreating with FailedMount events', () => {
    const p = podOnNode(testPod({ volumes: [{ name: 'config', configMap: { name: 'special-config' } }], containers: [{ ...busyboxContainer('app', 'sleep 3600'), volumeMounts: [{ name: 'config', mountPath: '/etc/config' }] }] }));
    p.sim.advance(60_000);
    expect(p.status().containerStatuses![0]!.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    const failed = p.events.filter((e) => e.reason === 'FailedMount');
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed[0]).toMatchObject({ type: 'Warning', message: 'MountVolume.SetUp failed for volume "config" : configmap "special-config" not found' });
    expect(p.events.some((e) => e.reason === 'Pulling')).toBe(false);
  });
});
