import { createHash } from 'node:crypto';
import { goDuration } from '../../api/duration.js';
import type { ImageCatalog, ResolvedImage } from '../../workloads/catalog.js';
import { InvalidReferenceError, familiarString, parseImageReference } from '../../workloads/reference.js';
import { CrashLoopBackOff } from '../backoff.js';

export interface ImageEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** Waiting reasons of a container whose image is not there (upstream pkg/kubelet/images/types.go). */
export type ImageErrorReason = 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName';

export type EnsureOutcome =
  | { kind: 'ready'; image: ResolvedImage; events: ImageEvent[] }
  | { kind: 'error'; reason: ImageErrorReason; message: string; events: ImageEvent[] }
  /** A pull has begun: call `finish` when `doneAtMs` comes. */
  | { kind: 'pulling'; doneAtMs: number; events: ImageEvent[]; finish: () => EnsureOutcome };

export interface ImageManagerOptions {
  /** Registry download speed in bytes per second (default 50 MB/s). */
  bytesPerSecond?: number;
  /** Fixed cost of a pull (resolve, unpack), ms (default 300). */
  overheadMs?: number;
  /** kubelet --serialize-image-pulls (default true): one pull at a time per node. */
  serialize?: boolean;
}

/** Whether the node's disk takes `bytes` more now; the errno text when it does not. */
export type StorageCheck = (bytes: number) => string | undefined;

interface ContainerImage {
  image?: string;
  imagePullPolicy?: string;
}

/**
 * A node's image manager (upstream pkg/kubelet/images/image_manager.go
 * EnsureImageExists): pull policy against the images present, pull back-off
 * per pod and image (10 s doubling to 300 s, kubelet's imageBackOff), serial
 * pulls by default, and the kubelet's events. After an error the runtime
 * manager adds `Warning Failed "Error: <reason>"` (kuberuntime startContainer);
 * that event is included here so callers need not know it.
 */
export class ImageManager {
  private readonly present = new Map<string, ResolvedImage>();
  private readonly backOff = new CrashLoopBackOff();
  private busyUntilMs = 0;

  constructor(
    private readonly catalog: ImageCatalog,
    private readonly options: ImageManagerOptions = {},
    private readonly storage?: StorageCheck,
  ) {}

  /** Images on the node (for disk usage and `status.images`). */
  images(): ResolvedImage[] {
    return [...this.present.values()];
  }

  /** Put an image on the node without pulling it (pre-loaded images). */
  preload(image: string): void {
    const r = this.catalog.resolve(image);
    if (r.ok) this.present.set(r.image.name, r.image);
  }

  remove(name: string): void {
    this.present.delete(name);
  }

  /**
   * `registries`: the hosts the pod's imagePullSecrets hold credentials for;
   * a private image pulled without them is denied, as its registry would.
   */
  /** A private table image needs credentials for its registry. */
  private denied(image: ResolvedImage, registries: ReadonlySet<string>): boolean {
    return image.model.kind === 'table' && image.model.behaviour.private === true && !registries.has(image.reference.domain);
  }

  ensure(podUID: string, container: ContainerImage, nowMs: number, registries: () => ReadonlySet<string> = () => new Set()): EnsureOutcome {
    const image = container.image ?? '';
    let name: string;
    try {
      name = familiarString(parseImageReference(image));
    } catch (e) {
      if (!(e instanceof InvalidReferenceError)) throw e;
      const message = `Failed to apply default image tag ${JSON.stringify(image)}: ${e.message}`;
      return fail('InvalidImageName', message, [{ type: 'Warning', reason: 'InspectFailed', message }]);
    }
    const present = this.present.get(name);
    const policy = container.imagePullPolicy ?? 'IfNotPresent';
    // image_manager.go shouldPullImage
    if (policy === 'Never' || (policy === 'IfNotPresent' && present !== undefined)) {
      if (present !== undefined) {
        return { kind: 'ready', image: present, events: [{ type: 'Normal', reason: 'Pulled', message: `Container image ${JSON.stringify(image)} already present on machine` }] };
      }
      const message = `Container image ${JSON.stringify(image)} is not present with pull policy of Never`;
      return fail('ErrImageNeverPull', message, [{ type: 'Warning', reason: 'ErrImageNeverPull', message }]);
    }
    const key = `${podUID}_${image}`;
    if (this.backOff.isInBackOffSinceUpdate(key, nowMs)) {
      const message = `Back-off pulling image ${JSON.stringify(image)}`;
      return fail('ImagePullBackOff', message, [{ type: 'Normal', reason: 'BackOff', message }]);
    }
    const resolution = this.catalog.resolve(image);
    const sizeBytes = resolution.ok ? resolution.image.sizeBytes : 0;
    const startMs = this.options.serialize === false ? nowMs : Math.max(nowMs, this.busyUntilMs);
    const pullMs = Math.round((this.options.overheadMs ?? 300) + (sizeBytes * 1000) / (this.options.bytesPerSecond ?? 50_000_000));
    const doneAtMs = startMs + pullMs;
    if (this.options.serialize !== false) this.busyUntilMs = doneAtMs;
    const finish = (): EnsureOutcome => {
      if (!resolution.ok || this.denied(resolution.image, registries())) {
        const error = resolution.ok ? deniedError(resolution.image.name) : resolution.error;
        // A failed pull is counted at its end (flowcontrol Next at the time of the failure).
        this.backOff.next(key, doneAtMs);
        return fail('ErrImagePull', error, [{ type: 'Warning', reason: 'Failed', message: `Failed to pull image ${JSON.stringify(image)}: ${error}` }]);
      }
      const io = this.storage?.(sizeBytes);
      if (io !== undefined) {
        const error = ingestError(resolution.image.name, io);
        this.backOff.next(key, doneAtMs);
        return fail('ErrImagePull', error, [{ type: 'Warning', reason: 'Failed', message: `Failed to pull image ${JSON.stringify(image)}: ${error}` }]);
      }
      this.present.set(resolution.image.name, resolution.image);
      const took = goDuration(pullMs);
      const withWaiting = goDuration(doneAtMs - nowMs);
      const message = `Successfully pulled image ${JSON.stringify(image)} in ${took} (${withWaiting} including waiting). Image size: ${sizeBytes} bytes.`;
      return { kind: 'ready', image: resolution.image, events: [{ type: 'Normal', reason: 'Pulled', message }] };
    };
    return { kind: 'pulling', doneAtMs, events: [{ type: 'Normal', reason: 'Pulling', message: `Pulling image ${JSON.stringify(image)}` }], finish };
  }
}

/** containerd failing to write a downloaded layer into its content store (a full or failing disk). */
function ingestError(name: string, errno: string): string {
  const ref = createHash('sha256').update(name).digest('hex');
  return `rpc error: code = Unknown desc = failed to pull and unpack image "${name}": failed to copy: write /var/lib/containerd/io.containerd.content.v1.content/ingest/${ref}/data: ${errno}`;
}

/** What a registry answers a pull without credentials (containerd's wording). */
function deniedError(name: string): string {
  return `rpc error: code = Unknown desc = failed to pull and unpack image "${name}": failed to resolve reference "${name}": pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials`;
}

function fail(reason: ImageErrorReason, message: string, events: ImageEvent[]): EnsureOutcome {
  return { kind: 'error', reason, message, events: [...events, { type: 'Warning', reason: 'Failed', message: `Error: ${reason}` }] };
}
