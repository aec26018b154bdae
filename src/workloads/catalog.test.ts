import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ImageCatalog } from './catalog.js';
import { familiarString, parseImageReference } from './reference.js';

describe('image references (distribution/reference ParseNormalizedNamed, kubelet parsers.ParseImageName)', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['polinux/stress', 'docker.io/polinux/stress:latest'],
    ['index.docker.io/library/nginx:1.27', 'docker.io/library/nginx:1.27'],
    ['registry.k8s.io/e2e-test-images/agnhost:2.40', 'registry.k8s.io/e2e-test-images/agnhost:2.40'],
    ['localhost:5000/app:v1', 'localhost:5000/app:v1'],
    ['localhost/app', 'localhost/app:latest'],
    [`nginx@sha256:${'a'.repeat(64)}`, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`],
    [`nginx:1.27@sha256:${'b'.repeat(64)}`, `docker.io/library/nginx:1.27@sha256:${'b'.repeat(64)}`],
  ])('%s is %s', (image, full) => {
    expect(familiarString(parseImageReference(image))).toBe(full);
  });

  it.each([
    ['', 'couldn\'t parse image name "": invalid reference format'],
    ['nginx:', 'couldn\'t parse image name "nginx:": invalid reference format'],
    ['ko://github.com/x/y', 'couldn\'t parse image name "ko://github.com/x/y": invalid reference format'],
    ['Task2  app', 'couldn\'t parse image name "Task2  app": invalid reference format: repository name (library/Task2  app) must be lowercase'],
    ['task2  app', 'couldn\'t parse image name "task2  app": invalid reference format'],
    ['exa_mple.com/app', 'couldn\'t parse image name "exa_mple.com/app": invalid reference format'],
    ['ACTOKEY', 'couldn\'t parse image name "ACTOKEY": invalid reference format: repository name (library/ACTOKEY) must be lowercase'],
    ['a'.repeat(64), `couldn't parse image name "${'a'.repeat(64)}": invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings`],
  ])('%j is refused with the kubelet text', (image, message) => {
    expect(() => parseImageReference(image)).toThrow(new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });

  it('normalising is idempotent: a full name parses to itself', () => {
    const component = fc.stringMatching(/^[a-z0-9]{1,8}([._-][a-z0-9]{1,8})?$/);
    fc.assert(
      fc.property(fc.option(fc.constantFrom('quay.io', 'registry.k8s.io', 'localhost:5000')), fc.array(component, { minLength: 1, maxLength: 3 }), fc.option(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,10}$/)), (domain, path, tag) => {
        const image = `${domain === null ? '' : `${domain}/`}${path.join('/')}${tag === null ? '' : `:${tag}`}`;
        const full = familiarString(parseImageReference(image));
        expect(familiarString(parseImageReference(full))).toBe(full);
        expect(full.endsWith(`:${tag ?? 'latest'}`)).toBe(true);
      }),
    );
  });
});

describe('image catalog', () => {
  const catalog = new ImageCatalog({
    'example.com/shop/web': { ports: [8080], http: { '/healthz': { status: 200 } } },
    'example.com/shop/db:13': { ports: [5432] },
  });

  it.each([
    ['busybox', 'shell'],
    ['busybox:1.36', 'shell'],
    ['registry.k8s.io/busybox:1.27.2', 'shell'],
    ['alpine:3.20', 'shell'],
    ['nginx:1.27-alpine', 'nginx'],
    ['registry.k8s.io/nginx-slim:0.24', 'nginx'],
    ['httpd:2.4', 'httpd'],
    ['registry.k8s.io/e2e-test-images/agnhost:2.40', 'agnhost'],
    ['registry.k8s.io/liveness', 'liveness'],
    ['polinux/stress', 'stress'],
    ['vish/stress', 'stress'],
    ['registry.k8s.io/pause:3.10', 'pause'],
  ])('built-in %s runs the %s model', (image, model) => {
    const r = catalog.resolve(image);
    expect(r.ok && r.image.model.kind === 'builtin' && r.image.model.builtin).toBe(model);
  });

  it('a table key without a tag matches every tag; with a tag, only that tag', () => {
    const web = catalog.resolve('example.com/shop/web:7');
    expect(web.ok && web.image.model.kind).toBe('table');
    expect(catalog.resolve('example.com/shop/db:13').ok).toBe(true);
    expect(catalog.resolve('example.com/shop/db:14')).toEqual({
      ok: false,
      error: 'rpc error: code = NotFound desc = failed to pull and unpack image "example.com/shop/db:14": failed to resolve reference "example.com/shop/db:14": example.com/shop/db:14: not found',
    });
  });

  it('an unknown tag of a built-in image fails as containerd reports it', () => {
    expect(catalog.resolve('busybox:wrongtag')).toEqual({
      ok: false,
      error:
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/busybox:wrongtag": failed to resolve reference "docker.io/library/busybox:wrongtag": docker.io/library/busybox:wrongtag: not found',
    });
  });

  it('an unknown Docker Hub repository is "pull access denied"', () => {
    const r = catalog.resolve('nosuchthing');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe(
      'rpc error: code = Unknown desc = failed to pull and unpack image "docker.io/library/nosuchthing:latest": failed to resolve reference "docker.io/library/nosuchthing:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    );
  });

  it('a permissive policy runs any image', () => {
    const r = new ImageCatalog({}, { permissive: true }).resolve('nosuchthing:1');
    expect(r.ok && r.image.model.kind).toBe('permissive');
  });

  it('a bad table is refused with every problem and its path', () => {
    expect(() => new ImageCatalog({ 'Bad Name': {}, 'ok/app': { ports: [0], crash: { afterSeconds: 3 }, colour: 'red' } as never })).toThrow(
      [
        'invalid image table:',
        '  images["Bad Name"]: couldn\'t parse image name "Bad Name": invalid reference format: repository name (library/Bad Name) must be lowercase',
        '  images["ok/app"].ports[0]: expected an integer from 1 to 65535, got 0',
        '  images["ok/app"].crash.exitCode: required',
        '  images["ok/app"].colour: unknown field (expected one of startupSeconds, ports, http, readySeconds, memory, cpuMillicores, crash, logs, shutdownSeconds, sizeBytes, private, processes)',
      ].join('\n'),
    );
  });
});
