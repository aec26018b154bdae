import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { containerEnv, expand, type CachedData } from './env.js';

const pod = (container: object): Pod => ({ metadata: { name: 'web', namespace: 'shop', uid: 'u1', labels: { app: 'web' } }, spec: { nodeName: 'node-1', serviceAccountName: 'default', containers: [{ name: 'app', ...container }] } });
const sources = (cms: Record<string, CachedData>, secrets: Record<string, CachedData> = {}) => ({
  configMap: (_ns: string, name: string) => cms[name] ?? 'missing',
  secret: (_ns: string, name: string) => secrets[name] ?? 'missing',
});
const envOf = (container: object, cms: Record<string, CachedData> = {}, secrets: Record<string, CachedData> = {}) => {
  const p = pod(container);
  return containerEnv(p, p.spec!.containers[0]!, sources(cms, secrets), '10.244.1.7', '172.18.0.2');
};

describe('container environment (upstream kubelet_pods.go makeEnvironmentVariables)', () => {
  it('reads ConfigMap and Secret keys, envFrom with prefixes, the downward API and resource limits', () => {
    const r = envOf(
      {
        envFrom: [{ configMapRef: { name: 'base' }, prefix: 'CFG_' }],
        env: [
          { name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'app', key: 'level' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
          { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
          { name: 'URL', value: 'http://$(POD):8080/$(NOPE)$$' },
        ],
        resources: { limits: { memory: '128Mi' } },
      },
      { base: { a: '1' }, app: { level: 'debug' } },
      { db: { password: Buffer.from('s3cret').toString('base64') } },
    );
    expect(r).toEqual({
      env: new Map([
        ['CFG_a', '1'],
        ['LEVEL', 'debug'],
        ['PASSWORD', 's3cret'],
        ['POD', 'web'],
        ['IP', '10.244.1.7'],
        ['APP', 'web'],
        ['MEM', '128'],
        ['URL', 'http://web:8080/$(NOPE)$'],
      ]),
    });
  });

  it.each([
    [{ env: [{ name: 'L', valueFrom: { configMapKeyRef: { name: 'app', key: 'LOG_LEVEL' } } }] }, "couldn't find key LOG_LEVEL in ConfigMap shop/app"],
    [{ env: [{ name: 'L', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k' } } }] }, 'configmap "gone" not found'],
    [{ env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'gone', key: 'k' } } }] }, 'secret "gone" not found'],
    [{ env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'user' } } }] }, "couldn't find key user in Secret shop/db"],
    [{ envFrom: [{ secretRef: { name: 'gone' } }] }, 'secret "gone" not found'],
  ])('%j fails with %j', (container, error) => {
    expect(envOf(container, { app: { level: 'x' } }, { db: { password: '' } })).toEqual({ error });
  });

  it('optional references are skipped; an object not read yet is pending', () => {
    expect(envOf({ env: [{ name: 'L', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k', optional: true } } }] })).toEqual({ env: new Map() });
    expect(envOf({ envFrom: [{ configMapRef: { name: 'later' } }] }, { later: 'pending' })).toBe('pending');
  });

  it('$(VAR) expands known names only; $$ escapes', () => {
    expect(expand('$(A)-$(B)-$$(A)', new Map([['A', 'x']]))).toBe('x-$(B)-$(A)');
  });
});
