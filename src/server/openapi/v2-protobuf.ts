import yaml from 'js-yaml';

/**
 * The OpenAPI v2 document in gnostic's protobuf form
 * (github.com/google/gnostic openapiv2/OpenAPIv2.proto), which is the only
 * form client-go asks /openapi/v2 for
 * (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`). kubectl
 * falls back to it to check `fieldValidation` for a kind its cached v3 index
 * does not list yet (a CRD created earlier in the same `kubectl apply`), and
 * `kubectl explain --output=plaintext-openapiv2` reads it.
 */
type Json = Record<string, any>;

class Writer {
  private readonly parts: Buffer[] = [];

  private varint(n: number): void {
    const bytes: number[] = [];
    let v = BigInt(n);
    if (v < 0n) v += 1n << 64n;
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) b |= 0x80;
      bytes.push(b);
    } while (v > 0n);
    this.parts.push(Buffer.from(bytes));
  }

  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  string(field: number, s: string | undefined): this {
    if (s === undefined || s === '') return this;
    const b = Buffer.from(s, 'utf8');
    this.key(field, 2);
    this.varint(b.length);
    this.parts.push(b);
    return this;
  }

  strings(field: number, list: readonly string[] | undefined): this {
    for (const s of list ?? []) {
      const b = Buffer.from(s, 'utf8');
      this.key(field, 2);
      this.varint(b.length);
      this.parts.push(b);
    }
    return this;
  }

  bool(field: number, v: boolean | undefined): this {
    if (v !== true) return this;
    this.key(field, 0);
    this.varint(1);
    return this;
  }

  oneofBool(field: number, v: boolean): this {
    this.key(field, 0);
    this.varint(v ? 1 : 0);
    return this;
  }

  int(field: number, v: number | undefined): this {
    if (v === undefined || v === 0) return this;
    this.key(field, 0);
    this.varint(v);
    return this;
  }

  double(field: number, v: number | undefined): this {
    if (v === undefined || v === 0) return this;
    this.key(field, 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.parts.push(b);
    return this;
  }

  message(field: number, inner: Writer | undefined): this {
    if (inner === undefined) return this;
    const b = inner.bytes();
    this.key(field, 2);
    this.varint(b.length);
    this.parts.push(b);
    return this;
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

const w = () => new Writer();
/** gnostic Any: the value as YAML text. */
const any = (value: unknown) => w().string(2, yaml.dump(value, { lineWidth: -1 }));
const named = (name: string, value: Writer) => w().string(1, name).message(2, value);

function extensions(target: Writer, field: number, o: Json): void {
  for (const [k, v] of Object.entries(o)) if (k.startsWith('x-')) target.message(field, named(k, any(v)));
}

function schema(s: Json): Writer {
  const out = w().string(1, s['$ref']).string(2, s['format']).string(3, s['title']).string(4, s['description']);
  if (s['default'] !== undefined) out.message(5, any(s['default']));
  out.double(6, s['multipleOf']).double(7, s['maximum']).bool(8, s['exclusiveMaximum']).double(9, s['minimum']).bool(10, s['exclusiveMinimum']);
  out.int(11, s['maxLength']).int(12, s['minLength']).string(13, s['pattern']).int(14, s['maxItems']).int(15, s['minItems']).bool(16, s['uniqueItems']);
  out.int(17, s['maxProperties']).int(18, s['minProperties']).strings(19, s['required']);
  for (const e of s['enum'] ?? []) out.message(20, any(e));
  const additional = s['additionalProperties'];
  if (typeof additional === 'object' && additional !== null) out.message(21, w().message(1, schema(additional)));
  // A oneof member is written even when it is false.
  else if (typeof additional === 'boolean') out.message(21, w().oneofBool(2, additional));
  if (s['type'] !== undefined) out.message(22, w().strings(1, Array.isArray(s['type']) ? s['type'] : [s['type']]));
  if (s['items'] !== undefined) out.message(23, w().message(1, schema(Array.isArray(s['items']) ? s['items'][0] : s['items'])));
  for (const a of s['allOf'] ?? []) out.message(24, schema(a));
  if (s['properties'] !== undefined) {
    const props = w();
    for (const [name, p] of Object.entries(s['properties'] as Json)) props.message(1, named(name, schema(p as Json)));
    out.message(25, props);
  }
  out.bool(27, s['readOnly']);
  extensions(out, 31, s);
  return out;
}

/** A v2 or v3-shaped parameter, as a gnostic ParametersItem. */
function parameter(p: Json): Writer {
  if (p['$ref'] !== undefined) return w().message(2, w().string(1, p['$ref']));
  const type = p['type'] ?? p['schema']?.['type'];
  const where = p['in'];
  if (where === 'body') return w().message(1, w().message(1, w().string(1, p['description']).string(2, p['name']).string(3, 'body').bool(4, p['required']).message(5, schema(p['schema'] ?? {}))));
  const sub = where === 'path'
    ? w().bool(1, p['required']).string(2, 'path').string(3, p['description']).string(4, p['name']).string(5, type)
    : w().bool(1, p['required']).string(2, where ?? 'query').string(3, p['description']).string(4, p['name']).string(6, type).bool(20, p['uniqueItems'] ?? p['schema']?.['uniqueItems']);
  return w().message(1, w().message(2, w().message(where === 'path' ? 4 : 3, sub)));
}

function operation(op: Json): Writer {
  const out = w().strings(1, op['tags']).string(3, op['description']).string(5, op['operationId']).strings(6, op['produces']).strings(7, op['consumes']);
  for (const p of op['parameters'] ?? []) out.message(8, parameter(p));
  const responses = w();
  for (const [code, r] of Object.entries((op['responses'] ?? {}) as Json)) {
    const response = w().string(1, r['description']);
    if (r['schema'] !== undefined) response.message(2, w().message(1, schema(r['schema'])));
    responses.message(1, named(code, w().message(1, response)));
  }
  out.message(9, responses).strings(10, op['schemes']);
  extensions(out, 13, op);
  return out;
}

const METHODS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

/** Encode a Swagger 2.0 document (as `openAPIv2` builds it) in gnostic's protobuf. */
export function openAPIv2Protobuf(doc: Json): Buffer {
  const out = w().string(1, doc['swagger']).message(2, w().string(1, doc['info']?.['title']).string(2, doc['info']?.['version']));
  const paths = w();
  for (const [path, item] of Object.entries((doc['paths'] ?? {}) as Json)) {
    const pathItem = w();
    for (const [method, op] of Object.entries(item as Json)) if (METHODS[method] !== undefined) pathItem.message(METHODS[method]!, operation(op as Json));
    for (const p of (item as Json)['parameters'] ?? []) pathItem.message(9, parameter(p));
    paths.message(2, named(path, pathItem));
  }
  out.message(8, paths);
  const definitions = w();
  for (const [name, s] of Object.entries((doc['definitions'] ?? {}) as Json)) definitions.message(1, named(name, schema(s as Json)));
  out.message(9, definitions);
  return out.bytes();
}
