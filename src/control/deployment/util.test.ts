import { describe, expect, it } from 'vitest';
import { equalIgnoreHash } from './util.js';

describe('equalIgnoreHash (upstream deployment/util EqualIgnoreHash)', () => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } };
  it('ignores pod-template-hash, and a zero creationTimestamp written as null or left out', () => {
    // `kubectl rollout undo` sends the ReplicaSet's template back, with `creationTimestamp: null`.
    expect(equalIgnoreHash(template, { ...template, metadata: { creationTimestamp: null as never, labels: { app: 'web', 'pod-template-hash': 'abc' } } })).toBe(true);
  });
  it('sees any other difference', () => {
    expect(equalIgnoreHash(template, { ...template, metadata: { labels: { app: 'api' } } })).toBe(false);
    expect(equalIgnoreHash(template, { ...template, spec: { containers: [{ name: 'app', image: 'nginx:2' }] } })).toBe(false);
  });
});
