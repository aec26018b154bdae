/**
 * Container image references as the kubelet and containerd read them
 * (upstream github.com/distribution/reference, used by kubelet
 * pkg/util/parsers ParseImageName): `[domain/]path[:tag][@digest]`, a
 * short name normalised to `docker.io/library/<name>`, `latest` when
 * neither tag nor digest is given.
 */
export interface ImageReference {
  /** Registry host, e.g. `docker.io`, `registry.k8s.io`, `localhost:5000`. */
  domain: string;
  /** Repository path inside the registry, e.g. `library/busybox`. */
  path: string;
  /** The tag; `latest` when the reference had neither tag nor digest. */
  tag: string;
  digest: string;
}

// distribution/reference regexp.go: path components, tags, digests, domains.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const DOMAIN = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$/;
const ANCHORED_ID = /^[a-f0-9]{64}$/;
// distribution/reference reference.go NameTotalLengthMax.
const NAME_TOTAL_LENGTH_MAX = 255;

export class InvalidReferenceError extends Error {}

/** Full name as containerd prints it: `docker.io/library/busybox:1.36`. */
export function familiarString(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The repository without tag or digest: `docker.io/library/busybox`. */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/**
 * Parse and normalise an image reference; throws InvalidReferenceError with
 * the kubelet's text (`couldn't parse image name "x": invalid reference
 * format`) for one that does not parse.
 */
export function parseImageReference(image: string): ImageReference {
  const fail = (why: string): never => {
    throw new InvalidReferenceError(`couldn't parse image name ${JSON.stringify(image)}: ${why}`);
  };
  // reference/normalize.go ParseNormalizedNamed
  if (ANCHORED_ID.test(image)) fail(`invalid repository name (${image}), cannot specify 64-byte hexadecimal strings`);
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) fail('invalid reference format');
  }
  let tag = '';
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) fail('invalid reference format');
  }
  if (rest === '') fail('invalid reference format');
  let domain = 'docker.io';
  let path = rest;
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  // normalize.go splitDockerDomain: a first component is a domain when it has a '.' or ':' or is localhost (or has capitals).
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    domain = first;
    path = rest.slice(slash + 1);
    if (!DOMAIN.test(domain)) fail('invalid reference format');
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (path !== path.toLowerCase()) fail(`invalid reference format: repository name (${path}) must be lowercase`);
  if (!path.split('/').every((c) => PATH_COMPONENT.test(c))) fail('invalid reference format');
  if (`${domain}/${path}`.length > NAME_TOTAL_LENGTH_MAX) {
    fail(`invalid reference format: repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }
  return { domain, path, tag: tag === '' && digest === '' ? 'latest' : tag, digest };
}
