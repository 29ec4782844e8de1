// The "Analyze weights" view in Chromium: a multi-layer .safetensors, an .npz with a deflated member and a TF.js
// model.json + its shards, written here, given to the file input together with a truncated file. The table's
// rows (count, names, N, M), its printed alpha/xmin/D, and the exported document against the Node build of the
// same engine driven as the page drives it (the same C++: equal to the last bit) and against `spiketail
// analyze` (native: within 1e-4 relative, as tests/wasm/analyze.test.mjs explains); a figure for a clicked
// row; the truncated file named with its error while the others complete; a zip bomb stopped at its declared
// size; Cancel; the embed. Every test fails on any console error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openCountingWorkers, shot, start } from './helpers.mjs';
import { loadModule } from '../wasm/module.mjs';
import { gaussian, npy, safetensors, tfjsQuantised, zip } from '../wasm/model-fixtures.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const cli = new URL('../../build/spiketail', import.meta.url).pathname;
const noErrors = (page) => assert.deepEqual(page.errors, [], 'no console errors');
// Native (AVX) and wasm (SIMD) sum each Gram entry in different orders: tests/wasm/analyze.test.mjs.
const k_rel_tol = 1e-4;

const dir = mkdtempSync(join(tmpdir(), 'spiketail-analyze-e2e-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// The files: name -> bytes. Shapes differ per layer so that N, M and the names identify each row.
const stLayers = [
  { name: 'h.0.attn.weight', shape: [96, 64], values: gaussian(96 * 64, 1) },
  { name: 'h.0.attn.bias', shape: [64], values: gaussian(64, 2) },
  { name: 'h.0.mlp.weight', shape: [64, 160], values: gaussian(64 * 160, 3) },
  { name: 'h.1.mlp.weight', shape: [150, 70], values: gaussian(150 * 70, 4) },
];
const npzMembers = [
  { name: 'enc.weight.npy', bytes: npy(gaussian(120 * 50, 5), [120, 50]), deflate: true },
  { name: 'dec.weight.npy', bytes: npy(gaussian(50 * 90, 6), [50, 90]), deflate: false },
  { name: 'dec.bias.npy', bytes: npy(gaussian(90, 7), [90]), deflate: true },
];
const tfjs = tfjsQuantised([
  { name: 'conv/kernel', shape: [80, 40], values: gaussian(80 * 40, 8) },
  { name: 'dense/kernel', shape: [40, 110], values: gaussian(40 * 110, 9) },
], 5000);  // two shards: the second weight straddles them
const good = {
  'model.safetensors': safetensors(stLayers),
  'weights.npz': zip(npzMembers),
  'model.json': tfjs.manifest,
  ...Object.fromEntries(tfjs.shards.map((s) => [s.name, s.bytes])),
};
const whole = safetensors(stLayers);
const truncated = whole.subarray(0, 8 + Number(whole.readBigUInt64LE(0)) + 100);  // the header and 100 data bytes
for (const [name, bytes] of Object.entries({ ...good, 'broken.safetensors': truncated })) writeFileSync(join(dir, name), bytes);
const inputFiles = (names) => names.map((n) => ({ name: n, mimeType: 'application/octet-stream', buffer: readFileSync(join(dir, n)) }));

// The Node build of the engine, driven as web/analyze/read.js drives it: the expected document.
async function expectedDocument(M, names) {
  const files = [];
  const spare = Object.fromEntries(names.filter((n) => !M.modelFormatOf(n)).map((n) => [n, readFileSync(join(dir, n))]));
  for (const name of names.filter((n) => M.modelFormatOf(n))) {
    const format = M.modelFormatOf(name), bytes = readFileSync(join(dir, name)), chunks = [];
    const shardSizes = format === 'tfjs' ? Object.fromEntries(Object.entries(spare).map(([k, v]) => [k, v.length])) : {};
    let index;
    try {
      while ((index = JSON.parse(M.modelIndex(format, name, bytes.length, chunks, { shardSizes }))).status === 'need')
        for (const { offset, length } of index.need) chunks.push({ offset, bytes: new Uint8Array(bytes.subarray(offset, offset + length)) });
    } catch (err) {
      files.push({ file: name, format, bytes: bytes.length, tensors: 0, error: `${name}: ${err.message}`, results: [] });
      continue;
    }
    const results = [];
    for (const t of index.tensors) {
      if (!t.analyze) { results.push({ name: t.name, kind: t.kind, shape: t.shape, status: 'skipped', message: t.skip_reason }); continue; }
      let data = Buffer.concat(t.ranges.map((r) => (r.file ? spare[r.file] : bytes).subarray(r.offset, r.offset + r.length)));
      if (t.compression === 'deflate') {
        data = Buffer.from(await new Response(new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).arrayBuffer());
      }
      results.push(JSON.parse(M.analyzeLayer(new Uint8Array(data), t, name, {}).row));
    }
    files.push({ file: name, format, bytes: bytes.length, tensors: index.tensors.length, error: null, results });
  }
  return JSON.parse(M.analyzeDocument(JSON.stringify(files), false));
}

// A page on the analyze view; counts the Web Workers it creates and terminates.
async function openAnalyze(hash = '#view=analyze', { width = 1280, height = 900 } = {}) {
  const page = await openCountingWorkers(env, hash, { width, height });
  await page.waitForSelector('[data-testid="analyze"]:not([hidden])');
  return page;
}

const analysisDone = (page, timeout = 120000) => page.waitForFunction(() => {
  const a = window.spiketail.analyze?.analysis;
  return a && !a.running && a.files.length > 0 && a.files.every((f) => ['done', 'error', 'cancelled'].includes(f.state)) &&
    window.spiketail.analyze.document?.layers.length === a.layers().length;
}, null, { timeout });

async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testid}"]`)]);
  return readFileSync(await file.path(), 'utf8');
}

test('three formats and a truncated file: the rows, the engine\'s numbers, a figure, the broken file named', async () => {
  const names = ['model.safetensors', 'weights.npz', 'model.json', ...tfjs.shards.map((s) => s.name), 'broken.safetensors'];
  const M = await loadModule();
  const expected = await expectedDocument(M, names);
  const page = await openAnalyze();
  assert.match(await page.textContent('[data-testid="analyze-privacy"]'), /never leave this browser/);
  const n0 = await page.evaluate(() => window.__workers.length);  // the single-run view's engine
  const t0 = Date.now();
  await page.setInputFiles('[data-testid="analyze-file"]', inputFiles(names));
  await analysisDone(page);
  console.log(`# ${expected.layers.length} layers of 4 files analysed in ${Date.now() - t0} ms (wall, with the workers' start)`);

  // One row per layer, in file order, with the index's names and sizes.
  const rows = await page.$$eval('[data-testid="layer-row"]', (trs) => trs.map((tr) => Object.fromEntries(
    [...tr.children].map((td) => [td.dataset.key, td.textContent]))));
  assert.deepEqual(rows.map((r) => r.name), ['h.0.attn.weight', 'h.0.mlp.weight', 'h.1.mlp.weight', 'enc.weight', 'dec.weight',
    'conv/kernel', 'dense/kernel']);
  assert.deepEqual(rows.map((r) => [Number(r.N), Number(r.M)]), [[96, 64], [160, 64], [150, 70], [120, 50], [90, 50], [80, 40], [110, 40]]);
  assert.deepEqual(expected.layers.map((l) => l.name), rows.map((r) => r.name));

  // The printed alpha, xmin and D are the engine's values as the page formats them.
  const printed = await page.evaluate(async (layers) => {
    const { formatNumber } = await import('./plots/scale.js');
    return layers.map((l) => ({ alpha: formatNumber(l.alpha, 4), xmin: formatNumber(l.xmin, 4), D: formatNumber(l.D, 4) }));
  }, expected.layers);
  assert.deepEqual(rows.map((r) => ({ alpha: r.alpha, xmin: r.xmin, D: r.D })), printed);

  // The exported document is the Node build's, to the last bit; the CSV has a row per layer.
  const exported = JSON.parse(await download(page, 'analyze-export-json'));
  assert.deepEqual(exported, expected);
  assert.deepEqual(exported.files.map((f) => [f.file, f.format, f.layers, f.error === null]),
    [['model.safetensors', 'safetensors', 3, true], ['weights.npz', 'npz', 2, true], ['model.json', 'tfjs', 2, true], ['broken.safetensors', 'safetensors', 0, false]]);
  assert.deepEqual(exported.files[0].skipped.map((s) => s.name), ['h.0.attn.bias']);
  assert.ok(exported.files[0].summary.alpha > 0, 'the engine\'s mean alpha');
  const csv = (await download(page, 'analyze-export-csv')).trim().split('\n');
  assert.equal(csv.length, 1 + expected.layers.length);
  assert.match(csv[0], /^file,name,kind,shape,dtype,status,message,N,M,/);

  // The truncated file is named with the engine's message (byte range and tensor); the others completed.
  const statuses = await page.$$eval('[data-testid="analyze-file-status"]', (lis) => lis.map((li) => [li.dataset.state, li.textContent]));
  assert.deepEqual(statuses.map((s) => s[0]), ['done', 'done', 'done', 'error']);
  assert.match(statuses[3][1], /broken\.safetensors: safetensors: tensor 'h\.0\.attn\.weight' has data_offsets \[0, 24576\] outside the 100 data bytes/);
  assert.match(await page.textContent('[data-testid="analyze-summary"]'), /model\.safetensors: 3 layers, mean alpha \d/);
  // Each file lists what it did not analyse, with the engine's reason.
  await page.click('.analyze-skipped summary >> nth=0');
  assert.match(await page.textContent('.analyze-skipped >> nth=0'), /h\.0\.attn\.bias 64: a vector/);

  // Native: the same rows within the float32 summation-order tolerance.
  if (existsSync(cli)) {
    const out = join(dir, 'native.json');
    try {
      execFileSync(cli, ['analyze', ...names.filter((n) => !n.endsWith('.bin')), '--quiet', '--out', out], { cwd: dir, stdio: 'pipe' });
    } catch (err) {
      assert.equal(err.status, 2, 'exit status 2: the broken file');
    }
    const native = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(native.layers.map((l) => [l.file, l.name, l.N, l.M]), expected.layers.map((l) => [l.file, l.name, l.N, l.M]));
    let worst = 0;
    for (let i = 0; i < native.layers.length; ++i) {
      for (const key of ['alpha', 'xmin', 'D']) {
        const a = native.layers[i][key], b = expected.layers[i][key];
        worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
      }
    }
    console.log(`# page vs spiketail analyze: alpha, xmin, D within ${worst.toExponential(2)} relative (tolerance ${k_rel_tol})`);
    assert.ok(worst <= k_rel_tol);
  }

  // A clicked row draws its spectrum from the engine's layerFigure.
  await page.click('[data-testid="layer-row"][data-key="1:1"]');
  await page.waitForFunction(() => /dec\.weight/.test(document.querySelector('[data-testid="analyze-layer-title"]').textContent));
  const drawn = await page.evaluate(() => {
    const v = window.spiketail.analyze.figures;
    return [v.esdLog, v.esdLin, v.ccdf].map((c) => c.data.series.map((s) => s.label));
  });
  assert.ok(drawn[0].includes('eigenvalues') && drawn[0].includes('Marchenko–Pastur law') && drawn[0].some((l) => /^power law/.test(l)), drawn[0].join());
  assert.ok(drawn[2].some((l) => /^KS fit/.test(l)));
  // Sorting by alpha and filtering by name.
  await page.click('th[data-key="alpha"] button');
  const sorted = await page.$$eval('[data-testid="layer-row"] td[data-key="alpha"]', (tds) => tds.map((td) => Number(td.textContent)));
  assert.deepEqual(sorted, [...sorted].sort((a, b) => a - b));
  await page.fill('[data-testid="analyze-filter"]', 'mlp');
  assert.equal(await page.locator('[data-testid="layer-row"]').count(), 2);
  await page.fill('[data-testid="analyze-filter"]', '');
  const open = await page.evaluate((n) => window.__workers.slice(n).filter((w) => !w.terminated).length, n0);
  assert.equal(open, 1, 'only the planner is left once the layers are done');
  await shot(page, 'analyze-files');
  noErrors(page);
  await page.context().close();
});

test('Cancel terminates the pool at once; the finished layers stay and the count stops', async () => {
  const layers = Array.from({ length: 40 }, (_, i) => ({ name: `block.${i}.weight`, shape: [700, 500], values: gaussian(700 * 500, 100 + i) }));
  writeFileSync(join(dir, 'big.safetensors'), safetensors(layers));
  const page = await openAnalyze();
  const n0 = await page.evaluate(() => window.__workers.length);
  await page.setInputFiles('[data-testid="analyze-file"]', join(dir, 'big.safetensors'));  // by path: 56 MB
  await page.waitForFunction(() => window.spiketail.analyze.analysis?.files[0]?.layersDone >= 1, null, { timeout: 60000 });
  await page.waitForTimeout(300);  // a redraw with the time left
  await shot(page, 'analyze-running');
  await page.click('[data-testid="analyze-cancel"]');
  const at = await page.evaluate((n) => ({ done: window.spiketail.analyze.analysis.files[0].layersDone,
    open: window.__workers.slice(n).filter((w) => !w.terminated).length, created: window.__workers.length - n,
    running: window.spiketail.analyze.analysis.running }), n0);
  console.log(`# cancelled with ${at.done} of 40 layers done; ${at.created} workers created (the planner and the pool)`);
  assert.ok(at.created >= 2);
  assert.ok(at.done < 40, 'cancelled before the end');
  assert.equal(at.open, 1, 'every pool worker terminated (the planner stays)');
  assert.equal(at.running, false);
  await page.waitForTimeout(1500);
  const later = await page.evaluate(() => ({ done: window.spiketail.analyze.analysis.files[0].layersDone, state: window.spiketail.analyze.analysis.files[0].state }));
  assert.deepEqual(later, { done: at.done, state: 'cancelled' });
  assert.match(await page.textContent('[data-testid="analyze-status"]'), /Cancelled/);
  const partial = JSON.parse(await download(page, 'analyze-export-json'));
  assert.equal(partial.layers.length, at.done, 'a cancelled analysis exports its finished layers');
  noErrors(page);
  await page.context().close();
});

test('a model.json without its shards and a file no reader takes are named while a good file completes; the layer filters', async () => {
  const page = await openAnalyze();
  await page.setInputFiles('[data-testid="analyze-file"]', [...inputFiles(['model.json', 'weights.npz']),
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a model') }]);
  await analysisDone(page);
  const files = await page.$$eval('[data-testid="analyze-file-status"]', (lis) => lis.map((li) => [li.dataset.state, li.textContent]));
  assert.deepEqual(files.map((f) => f[0]), ['done', 'done', 'error']);
  assert.match(files[0][1], /missing shards group1-shard1\.bin, group1-shard2\.bin: give them together with model\.json/);
  assert.match(files[2][1], /notes\.txt: no reader for this file/);
  assert.equal(await page.locator('[data-testid="layer-row"]').count(), 2, 'the npz\'s two layers');
  // The index's filters: a name pattern and a minimum number of eigenvalues, as spiketail analyze's --layers and
  // --min-size; what they leave out is listed with the reason. A size that is not a whole number is refused here.
  await page.fill('[data-testid="analyze-layers"]', '^h\\.');
  await page.fill('[data-testid="analyze-min-size"]', '65');
  await page.setInputFiles('[data-testid="analyze-file"]', inputFiles(['model.safetensors']));
  await analysisDone(page);
  const kept = await page.evaluate(() => window.spiketail.analyze.document);
  assert.deepEqual(kept.layers.map((l) => l.name), ['h.1.mlp.weight'], 'M = 70 >= 65; the others have M = 64');
  assert.deepEqual(kept.files[0].skipped.map((s) => s.name), ['h.0.attn.weight', 'h.0.attn.bias', 'h.0.mlp.weight']);
  await page.fill('[data-testid="analyze-min-size"]', '1e3');
  await page.setInputFiles('[data-testid="analyze-file"]', inputFiles(['model.safetensors']));
  assert.match(await page.textContent('[data-testid="analyze-status"]'), /Min\. eigenvalues: “1e3” is not a whole number/);
  noErrors(page);
  await page.context().close();
});

test('a deflated npz member that inflates past its declared size stops there (a zip bomb); the other member is analysed', async () => {
  const bytes = zip([{ name: 'w.weight.npy', bytes: npy(gaussian(100 * 60, 10), [100, 60]), deflate: true },
    { name: 'v.weight.npy', bytes: npy(gaussian(100 * 60, 11), [100, 60]), deflate: false }]);
  const declared = 2000;  // the directory's uncompressed size, local header and central directory alike
  bytes.writeUInt32LE(declared, 22);
  bytes.writeUInt32LE(declared, bytes.readUInt32LE(bytes.length - 22 + 16) + 24);
  const page = await openAnalyze();
  await page.setInputFiles('[data-testid="analyze-file"]', [{ name: 'bomb.npz', mimeType: 'application/zip', buffer: bytes }]);
  await analysisDone(page);
  const rows = await page.evaluate(() => window.spiketail.analyze.document.layers.map((l) => [l.name, l.status, l.message]));
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0].slice(0, 2), ['w.weight', 'failed']);
  assert.match(rows[0][2], /tensor 'w\.weight' \(deflated, at byte \d+\) inflates past the 2000 bytes its zip directory declares/);
  assert.deepEqual(rows[1].slice(0, 2), ['v.weight', 'success']);
  assert.match(await page.getAttribute('[data-testid="layer-row"][data-key="0:0"]', 'title'), /zip bomb/);
  noErrors(page);
  await page.context().close();
});

test('embedded (#view=analyze&embed=1), a file dropped on the zone: the table, alpha per layer and a layer\'s ESD in the frame', async () => {
  const page = await openAnalyze('#view=analyze&embed=1', { width: 800, height: 600 });
  // Dropped on the zone this time, as a reader drags a file from the desktop.
  const dataTransfer = await page.evaluateHandle(({ name, data }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], name));
    return dt;
  }, { name: 'model.safetensors', data: [...readFileSync(join(dir, 'model.safetensors'))] });
  await page.dispatchEvent('[data-testid="analyze-drop"]', 'drop', { dataTransfer });
  await analysisDone(page);
  assert.equal(await page.locator('[data-testid="layer-row"]').count(), 3);
  assert.ok(await page.isVisible('#analyze-fig-alpha'));
  await page.waitForFunction(() => window.spiketail.analyze.figures.esdLog.data.series.length > 0);  // the first layer's
  assert.ok(await page.isVisible('#analyze-fig-esd-log'));
  assert.equal(await page.isVisible('#analyze-fig-ccdf'), false, 'only the figures of fig= (default alpha, esd)');
  assert.equal(await page.isVisible('.toolbar'), false);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 800, `no horizontal scrolling (${width} px)`);
  await shot(page, 'analyze-embed');
  noErrors(page);
  await page.context().close();
});
