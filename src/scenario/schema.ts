/**
 * The JSON Schema of the scenario language (draft-07, what editors' YAML
 * language servers read): `crucible schema` prints it, and
 * `schema/scenario.schema.json` is this object, checked by a test.
 * Loading validates against it first; checks a schema cannot express
 * (known hosts, templates, fault names) follow in load.ts.
 */
const duration = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$', description: 'A duration in virtual time, as Go writes them: 500ms, 30s, 2m, 1h30m.' };
const name = { type: 'string', minLength: 1 };
const objectRef = { type: 'object', required: ['kind', 'name'], properties: { kind: name, name, namespace: name }, additionalProperties: false };
const listRef = { type: 'object', required: ['kind'], properties: { kind: name, namespace: name, selector: { type: 'string' } }, additionalProperties: false };
const checkProperties = {
  resource: objectRef,
  list: listRef,
  condition: { type: 'object', required: ['type'], properties: { type: name, status: { enum: ['True', 'False', 'Unknown'] } }, additionalProperties: false },
  match: { description: 'A partial object; lists match regardless of order.' },
  expression: { type: 'string', minLength: 1, description: 'A JMESPath expression over the object (or list); the check holds when it is true.' },
  count: { type: 'integer', minimum: 0 },
  absent: { type: 'boolean' },
};
const ref = (def: string) => ({ $ref: `#/definitions/${def}` });
const withRef = (extra: Record<string, unknown>, required: string[]) => ({ type: 'object', required: ['kind', 'name', ...required], properties: { kind: name, name, namespace: name, ...extra }, additionalProperties: false });

export const SCENARIO_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://crucible.dev/schemas/scenario.schema.json',
  title: 'Crucible scenario',
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'crucible.dev/v1alpha1' },
    kind: { const: 'Scenario' },
    metadata: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 100 },
        tags: { type: 'array', items: name, description: 'The first tag is the area in the conformance matrix.' },
        description: { type: 'string' },
        conformance: { type: 'object', additionalProperties: false, properties: { rule: { type: 'string' }, source: { type: 'string' }, test: { type: 'string' } } },
      },
    },
    spec: {
      type: 'object',
      required: ['steps'],
      additionalProperties: false,
      properties: {
        seed: { type: ['string', 'integer'] },
        cluster: ref('cluster'),
        images: { type: 'object', additionalProperties: { type: 'object' }, description: 'Behaviour of images by reference (checked in detail when loading).' },
        permissiveImages: { type: 'boolean' },
        manifests: { type: 'array', items: { type: 'object', description: 'An object, or { file: path } relative to the scenario file.' } },
        matrix: { type: 'object', additionalProperties: { type: 'array', minItems: 1 }, description: 'One run per combination; ${{ name }} in strings takes the value.' },
        templates: { type: 'object', additionalProperties: { type: 'object', required: ['steps'], additionalProperties: false, properties: { params: { type: 'array', items: name }, steps: ref('steps') } } },
        invariants: { type: 'array', items: ref('invariant') },
        steps: ref('steps'),
      },
    },
  },
  definitions: {
    cluster: {
      type: 'object',
      additionalProperties: false,
      properties: {
        nodes: { oneOf: [{ type: 'integer', minimum: 0 }, { type: 'array', items: ref('node') }] },
        controlPlane: { enum: [1, 3, 5] },
        eviction: { type: 'object' },
        metricsServer: { type: 'boolean' },
      },
    },
    node: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name,
        cpu: { type: ['string', 'number'] },
        memory: { type: 'string' },
        disk: { type: 'string' },
        pods: { type: 'integer', minimum: 1 },
        zone: name,
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        taints: { type: 'array', items: { type: 'object', required: ['key', 'effect'], additionalProperties: false, properties: { key: name, value: { type: 'string' }, effect: { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] } } } },
      },
    },
    invariant: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name, resource: objectRef, list: listRef, expression: checkProperties.expression, match: checkProperties.match, count: checkProperties.count, during: { type: 'object', additionalProperties: false, properties: { from: name, to: name } } },
    },
    steps: { type: 'array', items: ref('step') },
    step: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: {
        name,
        apply: { type: 'object', additionalProperties: false, properties: { file: name, manifest: { type: 'object' }, manifests: { type: 'array', items: { type: 'object' } } } },
        delete: withRef({ gracePeriodSeconds: { type: 'integer', minimum: 0 }, cascade: { enum: ['background', 'foreground', 'orphan'] } }, []),
        patch: withRef({ type: { enum: ['strategic', 'merge', 'json'] }, patch: {} }, ['patch']),
        scale: withRef({ replicas: { type: 'integer', minimum: 0 } }, ['replicas']),
        setImage: withRef({ container: name, image: name }, ['container', 'image']),
        rolloutUndo: { type: 'object', required: ['name'], additionalProperties: false, properties: { name, namespace: name, toRevision: { type: 'integer', minimum: 0 } } },
        cordon: name,
        uncordon: name,
        drain: { type: 'object', required: ['node'], additionalProperties: false, properties: { node: name, ignoreDaemonSets: { type: 'boolean' }, deleteEmptyDirData: { type: 'boolean' }, force: { type: 'boolean' }, timeout: duration } },
        wait: { type: 'object', required: ['timeout'], additionalProperties: false, properties: { ...checkProperties, timeout: duration } },
        expect: { type: 'object', additionalProperties: false, properties: checkProperties },
        advance: duration,
        fault: { type: 'object', required: ['kind'], properties: { name, kind: { enum: ['partition', 'partition-one-way', 'loss', 'latency', 'duplicate', 'reorder', 'bandwidth', 'crash', 'disk-latency', 'disk-full', 'disk-eio', 'clock-jump', 'clock-skew', 'clock-drift', 'container-kill'] }, for: duration } },
        heal: name,
        kubectl: { type: 'string', minLength: 1, description: 'A kubectl command line without `kubectl` (get pods -o wide); its output is kept as evidence.' },
        try: ref('steps'),
        catch: ref('steps'),
        finally: ref('steps'),
        use: name,
        with: { type: 'object' },
      },
    },
  },
} as const;
