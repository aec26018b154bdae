import type { Pod } from 'kubernetes-types/core/v1.js';
import { decode, type EnvSources } from '../env.js';

/** A docker config key (`https://index.docker.io/v1/`, `registry.example.com:5000`) as the registry host it names. */
export function registryHost(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//, '').split('/')[0]!;
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

/**
 * The registries a pod's imagePullSecrets hold credentials for (upstream
 * credentialprovider/secrets MakeDockerKeyring): `.dockerconfigjson`
 * (`{"auths": {...}}`) and the legacy `.dockercfg`. Secrets not read yet or
 * missing give nothing, and the pull goes without credentials.
 */
export function pullCredentials(pod: Pod, sources: EnvSources): Set<string> {
  const hosts = new Set<string>();
  for (const ref of pod.spec?.imagePullSecrets ?? []) {
    const data = sources.secret(pod.metadata?.namespace ?? 'default', ref.name ?? '');
    if (typeof data !== 'object') continue;
    try {
      if (data['.dockerconfigjson'] !== undefined) {
        const config = JSON.parse(decode(data['.dockerconfigjson'])) as { auths?: Record<string, unknown> };
        for (const key of Object.keys(config.auths ?? {})) hosts.add(registryHost(key));
      } else if (data['.dockercfg'] !== undefined) {
        for (const key of Object.keys(JSON.parse(decode(data['.dockercfg'])) as Record<string, unknown>)) hosts.add(registryHost(key));
      }
    } catch {
      // A malformed secret holds no credentials (the kubelet logs it and pulls without).
    }
  }
  return hosts;
}
