#!/usr/bin/env node
// Regenerate src/server/openapi/schemas.json: OpenAPI v3 component schemas of every built-in kind (descriptions,
// types, required fields, references, x-kubernetes-group-version-kind), read from the `kubernetes-types` package's
// declarations, which are generated from the Kubernetes OpenAPI document. `kubectl explain` renders them.
// Usage: node scripts/k8s-openapi-schemas.mjs
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('../node_modules/kubernetes-types/', import.meta.url).pathname;
const pkgVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

/** kubernetes-types module (core/v1) → the OpenAPI package prefix (io.k8s.api.core.v1). */
function prefix(module) {
  if (module === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (module === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (module === 'runtime') return 'io.k8s.apimachinery.pkg.runtime';
  if (module === 'util/intstr') return 'io.k8s.apimachinery.pkg.util.intstr';
  if (module === 'version') return 'io.k8s.apimachinery.pkg.version';
  if (module.startsWith('apiextensions/')) return `io.k8s.apiextensions-apiserver.pkg.apis.${module.replace('/', '.')}`;
  if (module.startsWith('apiregistration/')) return `io.k8s.kube-aggregator.pkg.apis.${module.replace('/', '.')}`;
  return `io.k8s.api.${module.replace('/', '.')}`;
}

const files = [];
const walk = (dir) => {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (f.endsWith('.d.ts')) files.push(p);
  }
};
walk(root);

const schemas = {};

/**
 * The patchStrategy/patchMergeKey tags of k8s.io/api (the same table src/api/patch/schema.ts
 * applies): kubectl's client-side apply reads them from the OpenAPI document to build
 * strategic merge patches.
 */
const PATCH = {
  'core.v1.Container': { ports: ['containerPort', 'merge'], env: ['name', 'merge'], volumeMounts: ['mountPath', 'merge'], volumeDevices: ['devicePath', 'merge'], resizePolicy: ['resourceName', 'merge'] },
  'core.v1.EphemeralContainer': { ports: ['containerPort', 'merge'], env: ['name', 'merge'], volumeMounts: ['mountPath', 'merge'], volumeDevices: ['devicePath', 'merge'], resizePolicy: ['resourceName', 'merge'] },
  'core.v1.PodSpec': {
    volumes: ['name', 'merge,retainKeys'], imagePullSecrets: ['name', 'merge'], hostAliases: ['ip', 'merge'], topologySpreadConstraints: ['topologyKey', 'merge'],
    resourceClaims: ['name', 'merge,retainKeys'], schedulingGates: ['name', 'merge'], containers: ['name', 'merge'], initContainers: ['name', 'merge'], ephemeralContainers: ['name', 'merge'],
  },
  'meta.v1.ObjectMeta': { finalizers: [undefined, 'merge'], ownerReferences: ['uid', 'merge'] },
  'core.v1.PodStatus': { podIPs: ['ip', 'merge'], hostIPs: ['ip', 'merge'] },
  'core.v1.NodeStatus': { addresses: ['type', 'merge'] },
  'core.v1.NodeSpec': { podCIDRs: [undefined, 'merge'] },
  'core.v1.ServiceSpec': { ports: ['port', 'merge'] },
};
const doc = (node) => (ts.getJSDocCommentsAndTags(node).map((c) => (typeof c.comment === 'string' ? c.comment : '')).join('\n').trim());

for (const file of files) {
  const module = relative(root, file).replace(/\.d\.ts$/, '');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  // Imported names resolve to their module's prefix.
  const imports = new Map();
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
      const from = join(module, '..', st.moduleSpecifier.text).replace(/\\/g, '/');
      for (const el of st.importClause.namedBindings.elements) imports.set(el.name.text, `${prefix(from)}.${el.name.text}`);
    }
  }
  const ref = (name) => imports.get(name) ?? `${prefix(module)}.${name}`;
  const typeOf = (t) => {
    if (t === undefined) return {};
    if (t.kind === ts.SyntaxKind.StringKeyword || (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal))) return { type: 'string' };
    if (t.kind === ts.SyntaxKind.NumberKeyword) return { type: 'integer', format: 'int32' };
    if (t.kind === ts.SyntaxKind.BooleanKeyword) return { type: 'boolean' };
    if (ts.isArrayTypeNode(t)) return { type: 'array', items: typeOf(t.elementType) };
    if (ts.isTypeReferenceNode(t) && t.typeName.getText() === 'Array') return { type: 'array', items: typeOf(t.typeArguments?.[0]) };
    if (ts.isTypeLiteralNode(t)) {
      const index = t.members.find(ts.isIndexSignatureDeclaration);
      return { type: 'object', additionalProperties: typeOf(index?.type) };
    }
    if (ts.isTypeReferenceNode(t)) return { $ref: `#/components/schemas/${ref(t.typeName.getText())}` };
    // number | string is an IntOrString (the only such union in the API).
    if (ts.isUnionTypeNode(t)) return t.types.some((x) => x.kind === ts.SyntaxKind.NumberKeyword) ? { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' } : { type: 'string' };
    return { type: 'object' };
  };
  for (const st of source.statements) {
    if (ts.isInterfaceDeclaration(st)) {
      const name = `${prefix(module)}.${st.name.text}`;
      const properties = {};
      const required = [];
      let apiVersion;
      let kind;
      for (const m of st.members) {
        if (!ts.isPropertySignature(m)) continue;
        const key = m.name.getText().replace(/^["']|["']$/g, '');
        const t = typeOf(m.type);
        const description = doc(m);
        // A reference with its own description is written allOf: [$ref], as kube-openapi does.
        properties[key] = t.$ref ? { ...(description && { description }), allOf: [t], default: {} } : { ...(description && { description }), ...t };
        const tag = PATCH[`${module.replace('/', '.')}.${st.name.text}`]?.[key] ?? (key === 'conditions' && st.name.text.endsWith('Status') && t.type === 'array' ? ['type', 'merge'] : undefined);
        if (tag !== undefined) Object.assign(properties[key], { ...(tag[0] !== undefined && { 'x-kubernetes-patch-merge-key': tag[0] }), 'x-kubernetes-patch-strategy': tag[1] });
        if (!m.questionToken) required.push(key);
        if (key === 'apiVersion' && m.type && ts.isLiteralTypeNode(m.type)) apiVersion = m.type.literal.text;
        if (key === 'kind' && m.type && ts.isLiteralTypeNode(m.type)) kind = m.type.literal.text;
      }
      const schema = { ...(doc(st) && { description: doc(st) }), type: 'object', properties, ...(required.length > 0 && { required }) };
      if (apiVersion && kind) {
        const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
        schema['x-kubernetes-group-version-kind'] = [{ group, kind, version }];
      }
      schemas[name] = schema;
    } else if (ts.isTypeAliasDeclaration(st)) {
      const name = `${prefix(module)}.${st.name.text}`;
      const description = doc(st);
      const base = st.name.text === 'Time' ? { type: 'string', format: 'date-time' } : st.name.text === 'MicroTime' ? { type: 'string', format: 'date-time' } : st.name.text === 'IntOrString' ? { type: 'string', format: 'int-or-string' } : typeOf(st.type);
      schemas[name] = { ...(description && { description }), ...base };
    }
  }
}

schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = {
  description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
  type: 'string',
  format: 'int-or-string',
};

const out = new URL('../src/server/openapi/schemas.json', import.meta.url).pathname;
writeFileSync(out, JSON.stringify({ source: `kubernetes-types ${pkgVersion}`, schemas }));
process.stdout.write(`${Object.keys(schemas).length} schemas from kubernetes-types ${pkgVersion} → ${out}\n`);
