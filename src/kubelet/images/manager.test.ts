import { describe, expect, it } from 'vitest';
import { ImageCatalog } from '../../workloads/catalog.js';
import { ImageManager, type EnsureOutcome } from './manager.js';

const settle = (o: EnsureOutcome): EnsureOutcome => (o.kind === 'pulling' ? o.finish() : o);
const messages = (o: EnsureOutcome) => o.events.map((e) => `${e.type} ${e.reason} ${e.message}`);

describe('image manager (upstream pkg/kubelet/images/image_manager.go)', () => {
  it('pulls, then finds the image present under IfNotPresent; Always pulls again', () => {
    const m = new ImageManager(new ImageCatalog(), { bytesPerSecond: 10_000_000, overheadMs: 300 });
    const first = m.ensure('uid1', { image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' }, 0);
    expect(first.kind).toBe('pulling');
    expect(messages(first)).toEqual(['Normal Pulling Pulling image "busybox:1.36"']);
    // 300 ms + 2,167,176 bytes at 10 MB/s = 517 ms
    expect(first.kind === 'pulling' && first.doneAtMs).toBe(517);
    expect(messages(settle(first))).toEqual(['Normal Pulled Successfully pulled image "busybox:1.36" in 517ms (517ms including waiting). Image size: 2167176 bytes.']);
    const again = m.ensure('uid2', { image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' }, 1000);
    expect(again.kind).toBe('ready');
    expect(messages(again)).toEqual(['Normal Pulled Container image "busybox:1.36" already present on machine']);
    expect(m.ensure('uid2', { image: 'busybox:1.36', imagePullPolicy: 'Always' }, 1000).kind).toBe('pulling');
  });

  it('serialises pulls: the second waits for the first (kubelet --serialize-image-pulls=true)', () => {
    const m = new ImageManager(new ImageCatalog(), { bytesPerSecond: 10_000_000, overheadMs: 300 });
    m.ensure('a', { image: 'busybox:1.36' }, 0);
    const second = m.ensure('b', { image: 'alpine:3.20' }, 100);
    // alpine: 300 + 365 = 665 ms, starting when busybox is done at 517
    expect(second.kind === 'pulling' && second.doneAtMs).toBe(517 + 665);
    expect(messages(settle(second))[0]).toBe('Normal Pulled Successfully pulled image "alpine:3.20" in 665ms (1.082s including waiting). Image size: 3653428 bytes.');
  });

  it('a wrong tag: ErrImagePull, then ImagePullBackOff until the back-off (10 s doubling) expires', () => {
    const m = new ImageManager(new ImageCatalog(), { overheadMs: 1000 });
    const pullError =
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/busybox:wrongtag": failed to resolve reference "docker.io/library/busybox:wrongtag": docker.io/library/busybox:wrongtag: not found';
    const c = { image: 'busybox:wrongtag', imagePullPolicy: 'IfNotPresent' };
    const attempts: Array<[number, string]> = [];
    let now = 0;
    // The pod worker retries every second; record when the kubelet actually pulls.
    while (now < 200_000) {
      const o = m.ensure('uid', c, now);
      if (o.kind === 'pulling') {
        attempts.push([now, o.events[0]!.message]);
        const done = o.finish();
        expect(done).toEqual({
          kind: 'error',
          reason: 'ErrImagePull',
          message: pullError,
          events: [
            { type: 'Warning', reason: 'Failed', message: `Failed to pull image "busybox:wrongtag": ${pullError}` },
            { type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull' },
          ],
        });
        now = o.doneAtMs;
      } else {
        expect(o).toMatchObject({ kind: 'error', reason: 'ImagePullBackOff', message: 'Back-off pulling image "busybox:wrongtag"' });
        expect(messages(o)).toEqual(['Normal BackOff Back-off pulling image "busybox:wrongtag"', 'Warning Failed Error: ImagePullBackOff']);
      }
      now += 1000;
    }
    // Each pull fails 1 s after it began; the next pull comes once 10, 20, 40, 80 s have passed since that failure.
    expect(attempts.map(([t]) => t)).toEqual([0, 11_000, 32_000, 73_000, 154_000]);
    expect(new Set(attempts.map(([, msg]) => msg))).toEqual(new Set(['Pulling image "busybox:wrongtag"']));
  });

  it('Never: an absent image is ErrImageNeverPull; a malformed name is InvalidImageName', () => {
    const m = new ImageManager(new ImageCatalog());
    expect(settle(m.ensure('u', { image: 'nginx:1.27', imagePullPolicy: 'Never' }, 0))).toMatchObject({
      kind: 'error',
      reason: 'ErrImageNeverPull',
      message: 'Container image "nginx:1.27" is not present with pull policy of Never',
    });
    const bad = m.ensure('u', { image: 'ko://x/y', imagePullPolicy: 'IfNotPresent' }, 0);
    expect(messages(bad)).toEqual([
      'Warning InspectFailed Failed to apply default image tag "ko://x/y": couldn\'t parse image name "ko://x/y": invalid reference format',
      'Warning Failed Error: InvalidImageName',
    ]);
    m.preload('nginx:1.27');
    expect(m.ensure('u', { image: 'nginx:1.27', imagePullPolicy: 'Never' }, 0).kind).toBe('ready');
  });
});
