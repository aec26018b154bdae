import { describe, expect, it } from 'vitest';
import { pullCredentials, registryHost } from './pull-secrets.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('image pull secrets (upstream credentialprovider/secrets)', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry.example.com', 'registry.example.com'],
    ['https://registry.example.com:5000/v2/', 'registry.example.com:5000'],
  ])('%s names %s', (key, host) => expect(registryHost(key)).toBe(host));

  it('reads .dockerconfigjson and .dockercfg; missing or malformed secrets give nothing', () => {
    const secrets: Record<string, Record<string, string>> = {
      json: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'https://index.docker.io/v1/': {}, 'quay.io': {} } })) },
      legacy: { '.dockercfg': b64(JSON.stringify({ 'ghcr.io': {} })) },
      broken: { '.dockerconfigjson': b64('{not json') },
    };
    const pod = { metadata: { namespace: 'ns' }, spec: { containers: [], imagePullSecrets: [{ name: 'json' }, { name: 'legacy' }, { name: 'broken' }, { name: 'gone' }] } };
    const hosts = pullCredentials(pod, { configMap: () => 'missing', secret: (_ns, name) => secrets[name] ?? 'missing' });
    expect([...hosts].sort()).toEqual(['docker.io', 'ghcr.io', 'quay.io']);
  });
});
