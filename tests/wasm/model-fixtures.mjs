// Model files for the Node tests, written byte by byte from their formats (the same layouts as the C++
// fixture generator, tests/core/model_fixtures.hpp): .npy, .npz (stored or deflated members), .safetensors,
// a TF.js manifest with uint8-quantised shards. Values come from a seeded generator, so each file is the same
// on every run.
import zlib from 'node:zlib';

// A small deterministic generator (mulberry32) and Box-Muller normals: fixtures only, not the engine's Rng.
export function gaussian(count, seed) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - uniform())), phi = 2 * Math.PI * uniform();
    out[i] = r * Math.cos(phi);
    if (i + 1 < count) out[i + 1] = r * Math.sin(phi);
  }
  return out;
}

export function npy(values, shape) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = Buffer.alloc(10 + header.length + values.length * 4);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1; out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  Buffer.from(values.buffer, values.byteOffset, values.byteLength).copy(out, 10 + header.length);
  return out;
}

// members: [{name, bytes, deflate}]
export function zip(members) {
  const parts = [], directory = [];
  let offset = 0;
  for (const m of members) {
    const data = m.deflate ? zlib.deflateRawSync(m.bytes) : m.bytes;
    const local = Buffer.alloc(30 + m.name.length);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(m.deflate ? 8 : 0, 8);
    local.writeUInt32LE(data.length, 18); local.writeUInt32LE(m.bytes.length, 22); local.writeUInt16LE(m.name.length, 26);
    local.write(m.name, 30, 'latin1');
    const central = Buffer.alloc(46 + m.name.length);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt16LE(m.deflate ? 8 : 0, 10); central.writeUInt32LE(data.length, 20); central.writeUInt32LE(m.bytes.length, 24);
    central.writeUInt16LE(m.name.length, 28); central.writeUInt32LE(offset, 42); central.write(m.name, 46, 'latin1');
    parts.push(local, data);
    directory.push(central);
    offset += local.length + data.length;
  }
  const cd = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(members.length, 8); end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

// tensors: [{name, shape, values: Float32Array}]
export function safetensors(tensors) {
  const header = { __metadata__: { format: 'pt' } };
  const data = [];
  let at = 0;
  for (const t of tensors) {
    const bytes = Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [at, at + bytes.length] };
    data.push(bytes);
    at += bytes.length;
  }
  let text = JSON.stringify(header);
  while (text.length % 8) text += ' ';
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([length, Buffer.from(text, 'latin1'), ...data]);
}

// One weight group of uint8-quantised weights (q = round((v - min) / scale)) cut into shards of shardBytes.
export function tfjsQuantised(weights, shardBytes) {
  const entries = [], bytes = [];
  for (const w of weights) {
    let lo = Infinity, hi = -Infinity;
    for (const v of w.values) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const scale = (hi - lo) / 255;
    const q = Buffer.alloc(w.values.length);
    for (let i = 0; i < w.values.length; ++i) q[i] = Math.round((w.values[i] - lo) / scale);
    entries.push({ name: w.name, shape: w.shape, dtype: 'float32', quantization: { dtype: 'uint8', scale, min: lo } });
    bytes.push(q);
  }
  const all = Buffer.concat(bytes), shards = [];
  for (let start = 0, k = 1; start < all.length; start += shardBytes, ++k)
    shards.push({ name: `group1-shard${k}.bin`, bytes: all.subarray(start, start + shardBytes) });
  const manifest = { format: 'layers-model', modelTopology: {}, weightsManifest: [{ paths: shards.map((s) => s.name), weights: entries }] };
  return { manifest: Buffer.from(JSON.stringify(manifest)), shards };
}

// A GGUF v3 file of F32 tensors (ne = the shape reversed), with a string and a u32 array of metadata.
export function ggufF32(tensors) {
  const str = (s) => { const b = Buffer.from(s, 'utf8'); const n = Buffer.alloc(8); n.writeBigUInt64LE(BigInt(b.length)); return Buffer.concat([n, b]); };
  const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
  const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };
  const kv = [Buffer.concat([str('general.architecture'), u32(8), str('test')]),
    Buffer.concat([str('list'), u32(9), u32(4), u64(3), u32(1), u32(2), u32(3)])];
  const infos = [], data = [];
  let at = 0;
  for (const t of tensors) {
    const pad = (32 - (at % 32)) % 32;
    data.push(Buffer.alloc(pad));
    at += pad;
    infos.push(Buffer.concat([str(t.name), u32(t.shape.length), ...[...t.shape].reverse().map(u64), u32(0), u64(at)]));
    const bytes = Buffer.from(t.values.buffer, t.values.byteOffset, t.values.byteLength);
    data.push(bytes);
    at += bytes.length;
  }
  let head = Buffer.concat([Buffer.from('GGUF'), u32(3), u64(tensors.length), u64(kv.length), ...kv, ...infos]);
  head = Buffer.concat([head, Buffer.alloc((32 - (head.length % 32)) % 32)]);
  return Buffer.concat([head, ...data]);
}
