// The wasm API of the "Analyze weights" view (modelIndex, analyzeLayer, layerFigure) driven as the page drives
// it — header bytes in rounds, one tensor's bytes at a time, deflated npz members inflated by
// DecompressionStream("deflate-raw") — against `spiketail analyze` (native CLI) on the same files; and its
// refusals of hostile files. Optional real weights: @vladmandic/face-api's TF.js models (uint8-quantised).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadModule, root } from './module.mjs';
import { gaussian, npy, zip, safetensors, tfjsQuantised, ggufF32 } from './model-fixtures.mjs';

const M = await loadModule();
const cli = path.join(root, 'build/spiketail');

// Native (Eigen, AVX) and wasm (our SIMD kernel) sum each Gram entry's float32 products in different orders:
// eigenvalues differ by ~N u lambda_max (N <= 600 here: ~4e-5 of lambda_max at worst, measured far less), which
// moves alpha, xmin, D and the norms by about as much relative. 1e-4 still fails on any real disagreement.
const k_rel_tol = 1e-4;
const numeric = ['N', 'M', 'Q', 'rf', 'num_evals', 'lambda_max', 'norm', 'log_norm', 'log_spectral_norm', 'alpha', 'xmin', 'D',
  'sigma', 'alpha_weighted', 'log_alpha_norm', 'stable_rank', 'entropy', 'mp_softrank', 'mp_variance', 'alpha_hill'];

async function inflateRaw(bytes, declared) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const parts = [];
  let total = 0;
  for await (const part of stream) {
    total += part.length;
    if (total > declared) throw new Error(`inflates past the ${declared} bytes its zip directory declares`);
    parts.push(part);
  }
  return new Uint8Array(Buffer.concat(parts));
}

// As the page's workers read a layer (web/analyze/read.js): into a LayerBuffer in the heap, a slice at a time
// (small slices here, so that a tensor takes several), then analysed where it is.
function analyzeInHeap(tensor, name, bytes, slice = 4096) {
  const buffer = M.layerBuffer(tensor, {});
  try {
    assert.equal(buffer.length(), bytes.length);
    for (let at = 0; at < bytes.length; at += slice) {
      const part = bytes.subarray(at, Math.min(bytes.length, at + slice));
      buffer.view(at, part.length).set(part);
    }
    return buffer.analyze(name);
  } finally {
    buffer.delete();
  }
}

// The page's loop: index in rounds, then each tensor's ranges, inflated when deflated, analysed.
async function analyzeInWasm(format, name, file, shards = {}) {
  const chunks = [];
  const shardSizes = Object.fromEntries(Object.entries(shards).map(([k, v]) => [k, v.length]));
  let index;
  for (let round = 0; ; ++round) {
    assert.ok(round < 8, 'too many rounds');
    index = JSON.parse(M.modelIndex(format, name, file.length, chunks, { shardSizes }));
    if (index.status === 'ok') break;
    for (const { offset, length } of index.need) chunks.push({ offset, bytes: new Uint8Array(file.subarray(offset, offset + length)) });
  }
  const rows = [];
  for (const t of index.tensors) {
    if (!t.analyze) continue;
    let bytes = Buffer.concat(t.ranges.map((r) => (r.file ? shards[r.file] : file).subarray(r.offset, r.offset + r.length)));
    if (t.compression === 'deflate') bytes = await inflateRaw(bytes, t.inflated_length);
    const { row, eigenvalues } = analyzeInHeap(t, name, bytes);
    const parsed = JSON.parse(row);
    if (parsed.status === 'skipped') continue;
    parsed.eigenvalues = eigenvalues;
    rows.push(parsed);
  }
  return { index, rows };
}

function analyzeNative(paths) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spiketail-')), 'out.json');
  execFileSync(cli, ['analyze', ...paths, '--quiet', '--out', out], { stdio: 'pipe' });
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

function compareRows(wasmRows, nativeRows) {
  assert.deepEqual(wasmRows.map((r) => r.name), nativeRows.map((r) => r.name));
  let worst = 0;
  for (let i = 0; i < wasmRows.length; ++i) {
    const a = wasmRows[i], b = nativeRows[i];
    assert.equal(a.status, b.status, `${a.name} status`);
    assert.equal(a.kind, b.kind);
    assert.equal(a.warning, b.warning);
    assert.equal(a.num_pl_spikes, b.num_pl_spikes, `${a.name} num_pl_spikes`);
    assert.equal(a.num_spikes, b.num_spikes, `${a.name} num_spikes`);
    for (const key of numeric) {
      if (a[key] === null && b[key] === null) continue;
      const e = Math.abs(a[key] - b[key]) / Math.max(Math.abs(a[key]), Math.abs(b[key]), 1e-300);
      worst = Math.max(worst, e);
      assert.ok(e < k_rel_tol, `${a.name} ${key}: wasm ${a[key]} native ${b[key]} (rel ${e.toExponential(2)})`);
    }
  }
  return worst;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiketail-analyze-'));
const layers = [
  { name: 'h.0.attn.weight', shape: [200, 120], values: gaussian(24000, 1) },
  { name: 'h.0.attn.bias', shape: [120], values: gaussian(120, 2) },
  { name: 'h.0.mlp.weight', shape: [90, 300], values: gaussian(27000, 3).map((v, i) => v * (1 + (i % 7))) },
  { name: 'conv.weight', shape: [16, 8, 3, 3], values: gaussian(1152, 4) },
];

test('safetensors: the page\'s rounds give the CLI\'s rows', async () => {
  const file = safetensors(layers);
  fs.writeFileSync(path.join(dir, 'm.safetensors'), file);
  const { index, rows } = await analyzeInWasm('safetensors', 'm.safetensors', file);
  assert.equal(index.tensors.length, 4);
  assert.equal(index.tensors.find((t) => t.name === 'h.0.attn.bias').analyze, false);
  // What the page budgets its workers by: the bytes (float32: also the values), the Gram and its work space
  // (0 when not read).
  const attn = index.tensors.find((t) => t.name === 'h.0.attn.weight');
  assert.ok(attn.memory_bytes > 2 * attn.byte_length, `memory_bytes ${attn.memory_bytes}`);
  assert.equal(index.tensors.find((t) => t.name === 'h.0.attn.bias').memory_bytes, 0);
  const native = analyzeNative([path.join(dir, 'm.safetensors')]);
  const worst = compareRows(rows, native.layers);
  console.log(`safetensors: wasm vs native worst relative difference ${worst.toExponential(2)} (tolerance ${k_rel_tol})`);
  const figure = JSON.parse(M.layerFigure(rows[0].eigenvalues, rows[0].N, rows[0].M, rows[0].rf));
  assert.ok(figure.log.current.density.length > 0 && figure.log.mp && figure.log.ks && figure.ccdf.empirical);
});

test('npz with stored and deflated members (DecompressionStream), the CLI inflating with zlib', async () => {
  const file = zip(layers.map((l, i) => ({ name: `${l.name}.npy`, bytes: npy(l.values, l.shape), deflate: i % 2 === 1 })));
  fs.writeFileSync(path.join(dir, 'm.npz'), file);
  const { index, rows } = await analyzeInWasm('npz', 'm.npz', file);
  assert.equal(index.tensors.filter((t) => t.kind === 'pending').length, 2);
  const native = analyzeNative([path.join(dir, 'm.npz')]);
  const worst = compareRows(rows, native.layers);
  console.log(`npz: wasm vs native worst relative difference ${worst.toExponential(2)}`);
});

test('GGUF: the header read in growing prefixes, F32 tensors', async () => {
  const file = ggufF32(layers.filter((l) => l.shape.length === 2));
  fs.writeFileSync(path.join(dir, 'm.gguf'), file);
  const { index, rows } = await analyzeInWasm('gguf', 'm.gguf', file);
  assert.equal(index.tensors.length, 2);
  const native = analyzeNative([path.join(dir, 'm.gguf')]);
  compareRows(rows, native.layers);
  assert.deepEqual(rows.map((r) => r.shape), [[200, 120], [90, 300]]);
});

test('TF.js manifest with uint8-quantised shards, a weight straddling two', async () => {
  const model = tfjsQuantised([{ name: 'dense/kernel', shape: [150, 80], values: gaussian(12000, 5) },
    { name: 'conv/kernel', shape: [3, 3, 8, 16], values: gaussian(1152, 6) }], 5000);
  fs.mkdirSync(path.join(dir, 'tfjs'));
  fs.writeFileSync(path.join(dir, 'tfjs/model.json'), model.manifest);
  const shards = {};
  for (const s of model.shards) { fs.writeFileSync(path.join(dir, 'tfjs', s.name), s.bytes); shards[s.name] = s.bytes; }
  const { rows } = await analyzeInWasm('tfjs', 'model.json', model.manifest, shards);
  const native = analyzeNative([path.join(dir, 'tfjs/model.json')]);
  compareRows(rows, native.layers);
  assert.equal(rows[1].kind, 'conv2d');
  assert.equal(rows[1].rf, 9);
});

test('analyzeDocument: the CLI\'s document from the page\'s rows (skipped tensors, summary, CSV); modelFormatOf', async () => {
  const file = safetensors(layers);
  fs.writeFileSync(path.join(dir, 'doc.safetensors'), file);
  const { index, rows } = await analyzeInWasm('safetensors', 'doc.safetensors', file);
  // The page's results: each tensor in file order, a row when analysed, else {name, kind, shape, status, message}.
  const byName = new Map(rows.map((r) => [r.name, r]));
  const results = index.tensors.map((t) => (t.analyze ? { ...byName.get(t.name), eigenvalues: undefined }
    : { name: t.name, kind: t.kind, shape: t.shape, status: 'skipped', message: t.skip_reason }));
  const files = [{ file: 'doc.safetensors', format: 'safetensors', bytes: file.length, tensors: index.tensors.length, error: null, results }];
  const doc = JSON.parse(M.analyzeDocument(JSON.stringify(files), false));
  const native = analyzeNative([path.join(dir, 'doc.safetensors')]);
  assert.deepEqual(doc.files[0].skipped.map((s) => s.name), native.files[0].skipped.map((s) => s.name));
  assert.deepEqual(Object.keys(doc.files[0]), Object.keys(native.files[0]));
  assert.deepEqual(Object.keys(doc.layers[0]), Object.keys(native.layers[0]), 'every column, in the CLI\'s order');
  compareRows(doc.layers, native.layers);
  // The summary is the mean of each column over the layers with a value (WeightWatcher's get_summary).
  const alphas = doc.layers.map((l) => l.alpha).filter((a) => a !== null);
  const mean = alphas.reduce((a, b) => a + b, 0) / alphas.length;
  console.log(`summary alpha ${doc.files[0].summary.alpha} vs the mean of the rows ${mean}`);
  assert.ok(Math.abs(doc.files[0].summary.alpha - mean) <= 1e-12 * mean);
  assert.equal(doc.files[0].summary.layers, doc.layers.length);
  assert.ok(Math.abs(doc.files[0].summary.alpha - native.files[0].summary.alpha) <= k_rel_tol * mean);
  // A row without some columns (the page's own, for a layer it could not read) gets them all, as null.
  const partial = JSON.parse(M.analyzeDocument(JSON.stringify([{ ...files[0], results: [{ name: 'x', status: 'failed', message: 'why' }, null] }]), false));
  assert.deepEqual(Object.keys(partial.layers[0]), Object.keys(native.layers[0]));
  assert.equal(partial.layers[0].alpha, null);
  const csv = M.analyzeDocument(JSON.stringify(files), true).trim().split('\n');
  assert.equal(csv.length, 1 + doc.layers.length);
  assert.match(csv[0], /^file,name,kind,shape,dtype,status,message,N,M,Q,rf,num_evals,lambda_max/);
  assert.throws(() => M.analyzeDocument(JSON.stringify([{ file: 3 }]), false), /files\[0\]: file must be a string/);
  assert.throws(() => M.analyzeDocument('{}', false), TypeError);
  assert.throws(() => M.analyzeDocument('[]', 'yes'), TypeError);
  assert.deepEqual(['a.npy', 'b.npz', 'c.safetensors', 'model.json', 'w.csv', 'w.tsv', 'group1-shard1of1.bin'].map((n) => M.modelFormatOf(n)),
    ['npy', 'npz', 'safetensors', 'tfjs', 'csv', 'tsv', '']);
  assert.throws(() => M.modelFormatOf(3), TypeError);
});

test('hostile files are thrown messages naming the byte offset or tensor; the heap is left as it was', () => {
  const file = safetensors(layers.slice(0, 1));
  const cut = file.subarray(0, file.length - 10);
  const chunks = [{ offset: 0, bytes: new Uint8Array(cut) }];
  assert.throws(() => M.modelIndex('safetensors', 'x', cut.length, chunks, {}), /tensor 'h\.0\.attn\.weight'.*outside/);
  const giant = Buffer.from(file);
  giant.writeBigUInt64LE(1n << 60n, 0);
  assert.throws(() => M.modelIndex('safetensors', 'x', giant.length, [{ offset: 0, bytes: new Uint8Array(giant) }], {}), /above the cap/);
  assert.throws(() => M.modelIndex('npz', 'x', 100, [{ offset: 0, bytes: new Uint8Array(100) }], undefined), /end of central directory/);
  assert.throws(() => M.modelIndex('npy', 'x', 10, [{ offset: 5, bytes: new Uint8Array(10) }], {}), RangeError);
  assert.throws(() => M.modelIndex('pickle', 'x', 10, [], {}), RangeError);
  assert.throws(() => M.modelIndex('npy', 'x', 10, [], { layers: '(' }), SyntaxError);
  const overflow = Buffer.from(npy(new Float32Array(4), [4]));
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }`.padEnd(overflow.length - 11) + '\n';
  overflow.write(header, 10, 'latin1');
  assert.throws(() => M.modelIndex('npy', 'x', overflow.length, [{ offset: 0, bytes: new Uint8Array(overflow) }], {}), /elements/);
  // A deflated member that the page inflated to a size other than the directory's is refused.
  const entry = { name: 'w', dtype: 'unknown', shape: [], encoding: 'npy', compression: 'deflate', inflated_length: 100 };
  assert.throws(() => M.analyzeLayer(new Uint8Array(50), entry, 'x', {}), /declares 100/);
  assert.throws(() => M.analyzeLayer([1, 2], entry, 'x', {}), TypeError);
  // A tensor whose analysis would not fit the heap's cap is refused before anything is copied.
  const huge = { name: 'w', dtype: 'F32', shape: [20000, 20000], encoding: 'raw', compression: 'none' };
  const before = M.HEAPU8.length;
  assert.throws(() => M.analyzeLayer(new Uint8Array(16), huge, 'x', {}), RangeError);
  assert.equal(M.HEAPU8.length, before);
});

test('a layer read into the heap (layerBuffer) gives analyzeLayer\'s row; the pool\'s size is the engine\'s', () => {
  const file = safetensors(layers);
  const index = JSON.parse(M.modelIndex('safetensors', 'm.safetensors', file.length, [{ offset: 0, bytes: new Uint8Array(file) }], {}));
  for (const t of index.tensors.filter((x) => x.analyze)) {
    const r = t.ranges[0];
    const bytes = new Uint8Array(file.subarray(r.offset, r.offset + r.length));
    const fromHeap = analyzeInHeap(t, 'm.safetensors', bytes, 1000);
    const fromBytes = M.analyzeLayer(bytes, t, 'm.safetensors', {});
    assert.equal(fromHeap.row, fromBytes.row, t.name);
    assert.deepEqual(fromHeap.eigenvalues, fromBytes.eigenvalues);
  }
  // The heap does not grow from one layer to the next: each buffer is freed (or became the values, then freed).
  const t = index.tensors.find((x) => x.name === 'h.0.mlp.weight');
  const bytes = new Uint8Array(file.subarray(t.ranges[0].offset, t.ranges[0].offset + t.ranges[0].length));
  analyzeInHeap(t, 'm', bytes);
  const heap = M.HEAPU8.length;
  for (let i = 0; i < 5; i++) analyzeInHeap(t, 'm', bytes);
  assert.equal(M.HEAPU8.length, heap);

  const buffer = M.layerBuffer(t, {});
  assert.throws(() => buffer.view(0, t.byte_length + 1), RangeError);
  assert.throws(() => buffer.view(-1, 1), RangeError);
  buffer.analyze('m');
  assert.throws(() => buffer.view(0, 1), /analysed already/);
  assert.throws(() => buffer.analyze('m'), /analysed already/);
  buffer.delete();
  const huge = { name: 'w', dtype: 'F32', shape: [20000, 20000], encoding: 'raw', compression: 'none', ranges: [{ file: '', offset: 0, length: 1.6e9 }] };
  const before = M.HEAPU8.length;
  assert.throws(() => M.layerBuffer(huge, {}), RangeError);
  assert.equal(M.HEAPU8.length, before);

  // The pool: every core for small layers, one worker for a 1 GB file's 16384 x 4096 float32 layers, whose
  // analysis holds little more than their bytes (the bytes become the values).
  const constants = JSON.parse(M.methodConstants());
  for (const key of ['max_pool_workers', 'default_pool_workers', 'layer_pool_memory_budget_bytes', 'layer_read_chunk_bytes'])
    assert.ok(constants[key] > 0, key);
  assert.equal(M.layerPoolSize(2, 48, t.memory_bytes), 2);
  assert.equal(M.layerPoolSize(64, 48, t.memory_bytes), constants.default_pool_workers);
  assert.equal(M.layerPoolSize(2, 1, t.memory_bytes), 1);
  const bigHeader = Buffer.from(JSON.stringify({ w: { dtype: 'F32', shape: [16384, 4096], data_offsets: [0, 16384 * 4096 * 4] } }));
  const bigFile = Buffer.concat([Buffer.from(new BigUint64Array([BigInt(bigHeader.length)]).buffer), bigHeader]);
  const big = JSON.parse(M.modelIndex('safetensors', 'big', bigFile.length + 16384 * 4096 * 4, [{ offset: 0, bytes: new Uint8Array(bigFile) }], {})).tensors[0];
  console.log(`16384 x 4096 float32: memory_bytes ${(big.memory_bytes / 2 ** 20).toFixed(0)} MiB for ${(big.byte_length / 2 ** 20).toFixed(0)} MiB of bytes`);
  assert.ok(big.memory_bytes <= 1.3 * big.byte_length);
  assert.equal(M.layerPoolSize(2, 4, big.memory_bytes), 1);
  assert.throws(() => M.layerPoolSize(-1, 4, 0), RangeError);
  assert.throws(() => M.layerPoolSize(2, 4, NaN), TypeError);
});

test('real weights: @vladmandic/face-api TF.js models (uint8-quantised), when installed', async (t) => {
  // SPIKETAIL_FACE_API_MODELS: another copy of the package's model/ directory (e.g. from `npm pack`).
  const modelDir = process.env.SPIKETAIL_FACE_API_MODELS || path.join(root, 'node_modules/@vladmandic/face-api/model');
  if (!fs.existsSync(modelDir)) {
    t.skip('@vladmandic/face-api is not installed (npm install --save-dev @vladmandic/face-api to run this test)');
    return;
  }
  const manifests = fs.readdirSync(modelDir).filter((f) => f.endsWith('.json')).map((f) => path.join(modelDir, f));
  const native = analyzeNative(manifests);
  for (const f of native.files) assert.equal(f.error, null, f.file);
  assert.ok(native.layers.length > 0);
  for (const row of native.layers) assert.ok(['success', 'failed'].includes(row.status), `${row.name}: ${row.status}`);
  // The page's path on the smallest model: the same rows.
  const manifest = manifests.find((m) => m.includes('tiny_face_detector'));
  if (manifest) {
    const text = fs.readFileSync(manifest);
    const shards = {};
    for (const group of JSON.parse(text).weightsManifest ?? JSON.parse(text))
      for (const p of group.paths) shards[p] = fs.readFileSync(path.join(path.dirname(manifest), p));
    const { rows } = await analyzeInWasm('tfjs', path.basename(manifest), text, shards);
    compareRows(rows, native.layers.filter((r) => r.file === manifest));
  }
  console.log(`face-api: ${native.layers.length} layers, alpha ${native.layers.filter((r) => r.alpha !== null).map((r) => r.alpha.toFixed(2)).join(' ')}`);
});
