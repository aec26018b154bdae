#!/usr/bin/env node
// Regenerate src/server/protobuf/schema.json: the field numbers and types of the Kubernetes API's
// protobuf messages, read from the FileDescriptorProtos a kubectl binary carries (gzipped, as Go's
// protobuf registry keeps them). Usage: node scripts/k8s-proto-schema.mjs [path-to-kubectl]
import { readFileSync, writeFileSync, realpathSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';

const kubectl = process.argv[2] ?? realpathSync(execFileSync('which', ['kubectl']).toString().trim());
const bin = readFileSync(kubectl);
const version = execFileSync(kubectl, ['version', '--client', '-o', 'json']).toString();

/** Minimal protobuf reader: yields [field number, wire type, value] for one message. */
function* fields(buf) {
  let i = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wt = key & 7;
    if (wt === 0) yield [no, wt, varint()];
    else if (wt === 2) {
      const len = Number(varint());
      yield [no, wt, buf.subarray(i, i + len)];
      i += len;
    } else if (wt === 1) i += 8;
    else if (wt === 5) i += 4;
    else throw new Error(`wire type ${wt}`);
  }
}

const KEEP = /^k8s\.io\/(api\/(core|apps|batch|autoscaling|policy|networking|discovery|coordination|rbac|storage|scheduling|events|authorization|authentication)\/v[0-9a-z]+|apimachinery\/pkg\/(apis\/meta\/v1|api\/resource|runtime|util\/intstr))\/generated\.proto$/;
const schema = {};
function message(pkg, buf, prefix) {
  let name = '';
  const fs = [];
  const nested = [];
  let mapEntry = false;
  for (const [no, , v] of fields(buf)) {
    if (no === 1) name = Buffer.from(v).toString();
    else if (no === 2) {
      const f = {};
      for (const [fno, , fv] of fields(v)) {
        if (fno === 1) f.name = Buffer.from(fv).toString();
        else if (fno === 3) f.number = Number(fv);
        else if (fno === 4) f.label = Number(fv);
        else if (fno === 5) f.type = Number(fv);
        else if (fno === 6) f.typeName = Buffer.from(fv).toString().replace(/^\./, '');
      }
      fs.push(f);
    } else if (no === 3) nested.push(v);
    else if (no === 7) for (const [ono, , ov] of fields(v)) if (ono === 7) mapEntry = ov === 1n;
  }
  const full = `${prefix}.${name}`;
  schema[full] = mapEntry ? { map: fs.map((f) => [f.number, f.name, f.type, f.label, f.typeName ?? null]) } : fs.map((f) => [f.number, f.name, f.type, f.label, f.typeName ?? null]);
  for (const n of nested) message(pkg, n, full);
}

const seen = new Set();
for (let i = 0; i < bin.length - 3; i++) {
  if (bin[i] !== 0x1f || bin[i + 1] !== 0x8b || bin[i + 2] !== 0x08) continue;
  let out;
  try {
    out = gunzipSync(bin.subarray(i, i + 4_000_000), { finishFlush: 2 });
  } catch {
    continue;
  }
  let file = '';
  let pkg = '';
  const messages = [];
  try {
    for (const [no, , v] of fields(out)) {
      if (no === 1) file = Buffer.from(v).toString();
      else if (no === 2) pkg = Buffer.from(v).toString();
      else if (no === 4) messages.push(v);
    }
  } catch {
    continue;
  }
  if (!KEEP.test(file) || seen.has(file)) continue;
  seen.add(file);
  for (const m of messages) message(pkg, m, pkg);
}
const out = { source: `FileDescriptorProtos in kubectl ${JSON.parse(version).clientVersion.gitVersion}`, files: [...seen].sort(), messages: schema };
writeFileSync(new URL('../src/server/protobuf/schema.json', import.meta.url), `${JSON.stringify(out)}\n`);
console.log(`${Object.keys(schema).length} messages from ${seen.size} files`);
