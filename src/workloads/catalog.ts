import type { ImageBehaviour } from './behaviour.js';
import { validateImageBehaviour } from './behaviour.js';
import { familiarString, parseImageReference, repositoryOf, type ImageReference } from './reference.js';

/** The behaviour models Crucible builds in. */
export type BuiltinModel = 'shell' | 'nginx' | 'httpd' | 'agnhost' | 'liveness' | 'stress' | 'pause';

export type ImageModel =
  | { kind: 'builtin'; builtin: BuiltinModel }
  | { kind: 'table'; behaviour: ImageBehaviour }
  /** An image in no table, run under a permissive policy: it starts and sleeps. */
  | { kind: 'permissive' };

export interface ResolvedImage {
  reference: ImageReference;
  /** As containerd names it: `docker.io/library/busybox:1.36`. */
  name: string;
  sizeBytes: number;
  model: ImageModel;
}

export type Resolution = { ok: true; image: ResolvedImage } | { ok: false; error: string };

interface Builtin {
  repositories: string[];
  tags: RegExp;
  model: BuiltinModel;
  sizeBytes: number;
}

// Tags that exist upstream for each built-in image (a tag outside these fails to pull, as a wrong tag does).
const BUILTINS: Builtin[] = [
  {
    repositories: ['docker.io/library/busybox', 'registry.k8s.io/busybox', 'k8s.gcr.io/busybox', 'registry.k8s.io/e2e-test-images/busybox'],
    tags: /^(latest|stable|musl|glibc|uclibc|1\.\d+(\.\d+)?(-(musl|glibc|uclibc|\d+))?)$/,
    model: 'shell',
    sizeBytes: 2_167_176,
  },
  { repositories: ['docker.io/library/alpine'], tags: /^(latest|edge|3(\.\d+){0,2})$/, model: 'shell', sizeBytes: 3_653_428 },
  {
    repositories: ['docker.io/library/nginx', 'registry.k8s.io/nginx-slim', 'registry.k8s.io/e2e-test-images/nginx'],
    tags: /^(latest|stable|mainline|alpine|perl|(stable|mainline)-(alpine|perl)|0\.\d+|1(\.\d+){0,2}(-(alpine|perl|alpine-slim|alpine-perl|bookworm|\d+))?)$/,
    model: 'nginx',
    sizeBytes: 72_404_038,
  },
  { repositories: ['docker.io/library/httpd'], tags: /^(latest|alpine|2(\.\d+){0,2}(-alpine)?)$/, model: 'httpd', sizeBytes: 58_094_411 },
  { repositories: ['registry.k8s.io/e2e-test-images/agnhost', 'k8s.gcr.io/e2e-test-images/agnhost'], tags: /^2\.\d+$/, model: 'agnhost', sizeBytes: 51_153_228 },
  { repositories: ['registry.k8s.io/liveness', 'k8s.gcr.io/liveness'], tags: /^latest$/, model: 'liveness', sizeBytes: 2_476_562 },
  { repositories: ['docker.io/polinux/stress', 'docker.io/vish/stress'], tags: /^(latest|1\.0\.4)$/, model: 'stress', sizeBytes: 4_045_436 },
  {
    // The issue names a bare `pause` too; upstream's is registry.k8s.io/pause.
    repositories: ['registry.k8s.io/pause', 'k8s.gcr.io/pause', 'docker.io/library/pause'],
    tags: /^(latest|3\.\d+)$/,
    model: 'pause',
    sizeBytes: 320_368,
  },
];

/** Size given to table and permissive images that state none. */
const DEFAULT_SIZE_BYTES = 10_000_000;

/**
 * Resolves image references to behaviour models: built-ins (with the tags
 * that exist upstream), then the image table (a key with a tag or digest
 * matches exactly, a key without one matches every tag of its repository),
 * then, under a permissive policy, anything. Whatever is left fails to pull
 * with containerd's error text.
 */
export class ImageCatalog {
  private readonly exact = new Map<string, ImageBehaviour>();
  private readonly anyTag = new Map<string, ImageBehaviour>();

  /** Throws with every bad entry listed (path and what was expected) when the table is invalid. */
  constructor(table: Record<string, ImageBehaviour> = {}, private readonly options: { permissive?: boolean } = {}) {
    const errors: string[] = [];
    for (const [key, behaviour] of Object.entries(table)) {
      const path = `images[${JSON.stringify(key)}]`;
      let ref: ImageReference;
      try {
        ref = parseImageReference(key);
      } catch (e) {
        errors.push(`${path}: ${(e as Error).message}`);
        continue;
      }
      errors.push(...validateImageBehaviour(behaviour, path));
      if (hasTagOrDigest(key)) this.exact.set(familiarString(ref), behaviour);
      else this.anyTag.set(repositoryOf(ref), behaviour);
    }
    if (errors.length > 0) throw new Error(`invalid image table:\n  ${errors.join('\n  ')}`);
  }

  /** Resolve a reference that parses (callers report parse errors as InvalidImageName first). */
  resolve(image: string): Resolution {
    const reference = parseImageReference(image);
    const name = familiarString(reference);
    const repository = repositoryOf(reference);
    const table = this.exact.get(name) ?? this.anyTag.get(repository);
    if (table !== undefined) {
      return { ok: true, image: { reference, name, sizeBytes: table.sizeBytes ?? DEFAULT_SIZE_BYTES, model: { kind: 'table', behaviour: table } } };
    }
    const builtin = BUILTINS.find((b) => b.repositories.includes(repository));
    // Digests cannot be checked against a registry here: a built-in accepts any well-formed digest.
    if (builtin !== undefined && (reference.digest !== '' || builtin.tags.test(reference.tag))) {
      return { ok: true, image: { reference, name, sizeBytes: builtin.sizeBytes, model: { kind: 'builtin', builtin: builtin.model } } };
    }
    if (this.options.permissive) {
      return { ok: true, image: { reference, name, sizeBytes: DEFAULT_SIZE_BYTES, model: { kind: 'permissive' } } };
    }
    return { ok: false, error: pullError(name, reference, builtin !== undefined) };
  }
}

function hasTagOrDigest(key: string): boolean {
  return key.includes('@') || key.lastIndexOf(':') > key.lastIndexOf('/');
}

/**
 * containerd's error for an image it cannot resolve, as the kubelet wraps it
 * (CRI gRPC status). Docker Hub answers an unknown repository with
 * "pull access denied"; a known repository with an unknown tag, and other
 * registries, answer "not found".
 */
function pullError(name: string, ref: ImageReference, knownRepository: boolean): string {
  const prefix = `failed to pull and unpack image "${name}": failed to resolve reference "${name}": `;
  if (ref.domain === 'docker.io' && !knownRepository) {
    return `rpc error: code = Unknown desc = ${prefix}pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
  }
  return `rpc error: code = NotFound desc = ${prefix}${name}: not found`;
}
