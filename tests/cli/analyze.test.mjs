// `spiketail analyze` as a command: its document and CSV, --layers and --min-size, --jobs giving the same rows,
// and its exit statuses — 2 for a file that cannot be read or indexed (named, with the byte offset or tensor,
// while the other files are still analysed), 2 for a bad --layers, 1 for an --out that cannot be written.
// SPIKETAIL_CLI overrides the binary (default build/spiketail), as in the other CLI tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gaussian, npy, zip, safetensors } from '../wasm/model-fixtures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.SPIKETAIL_CLI ? path.resolve(process.env.SPIKETAIL_CLI) : path.join(root, 'build/spiketail');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiketail-analyze-cli-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function spiketail(args) {
  const result = spawnSync(cli, ['analyze', ...args, '--quiet'], { encoding: 'utf8', timeout: 60000 });
  assert.equal(result.signal, null, `killed by ${result.signal}: ${result.stderr}`);
  return result;
}

const layers = [
  { name: 'a.weight', shape: [120, 60], values: gaussian(7200, 11) },
  { name: 'a.bias', shape: [60], values: gaussian(60, 12) },
  { name: 'b.weight', shape: [80, 100], values: gaussian(8000, 13) },
  { name: 'tiny.weight', shape: [30, 5], values: gaussian(150, 14) },
];
const st = path.join(dir, 'm.safetensors');
fs.writeFileSync(st, safetensors(layers));
const npz = path.join(dir, 'm.npz');
fs.writeFileSync(npz, zip(layers.map((l) => ({ name: `${l.name}.npy`, bytes: npy(l.values, l.shape), deflate: true }))));

test('the document lists files, layers and skipped tensors; npz and safetensors give the same numbers', () => {
  const r = spiketail([st, npz]);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.deepEqual(doc.files.map((f) => [f.format, f.tensors, f.layers, f.error]), [['safetensors', 4, 2, null], ['npz', 4, 2, null]]);
  assert.deepEqual(doc.files[0].skipped.map((s) => s.name), ['a.bias', 'tiny.weight']);
  assert.match(doc.files[0].skipped[1].reason, /min_evals/);
  const [a, b, a2, b2] = doc.layers;
  assert.equal(a.name, 'a.weight');
  assert.equal(a.N, 120);
  assert.equal(a.M, 60);
  // The same float32 numbers through two readers: the same rows to the last bit.
  for (const key of ['alpha', 'xmin', 'D', 'lambda_max', 'norm', 'entropy']) {
    assert.equal(a[key], a2[key], key);
    assert.equal(b[key], b2[key], key);
  }
});

test('--layers, --min-size, --jobs and CSV output', () => {
  const only = JSON.parse(spiketail([st, '--layers', '^b\\.']).stdout);
  assert.deepEqual(only.layers.map((l) => l.name), ['b.weight']);
  const all = JSON.parse(spiketail([st, '--min-size', '5']).stdout);
  assert.deepEqual(all.layers.map((l) => l.name), ['a.weight', 'b.weight', 'tiny.weight']);
  const jobs = JSON.parse(spiketail([st, npz, '--jobs', '3']).stdout);
  assert.deepEqual(jobs.layers, JSON.parse(spiketail([st, npz]).stdout).layers);
  const csvPath = path.join(dir, 'out.csv');
  assert.equal(spiketail([st, '--out', csvPath]).status, 0);
  const lines = fs.readFileSync(csvPath, 'utf8').trim().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^file,name,kind,shape,dtype,status,message,N,M,Q,rf,num_evals,lambda_max/);
  assert.match(lines[1], /,a\.weight,dense,120x60,F32,success,,120,60,2,1,60,/);
});

test('exit statuses: unreadable or malformed files (2, named), a bad --layers (2), an unwritable --out (1)', () => {
  const cut = path.join(dir, 'cut.safetensors');
  const whole = safetensors(layers);
  fs.writeFileSync(cut, whole.subarray(0, 8 + Number(whole.readBigUInt64LE(0)) + 100));  // the header and 100 data bytes
  const r = spiketail([cut, st]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cut\.safetensors: safetensors: tensor 'a\.weight' has data_offsets \[0, 28800\] outside the 100 data bytes/);
  const doc = JSON.parse(r.stdout);
  assert.match(doc.files[0].error, /outside/);
  assert.equal(doc.files[1].layers, 2);  // the other file is still analysed
  assert.equal(spiketail([path.join(dir, 'missing.npy')]).status, 2);
  const unknown = spiketail([path.join(dir, 'x.bin')]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown file type/);
  const bad = spiketail([st, '--layers', '(']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--layers: not a regular expression/);
  assert.equal(spiketail([st, '--out', dir]).status, 1);
  assert.equal(spiketail([st, '--out', st]).status, 2);  // never overwrite an input
  const noFile = spawnSync(cli, ['analyze'], { encoding: 'utf8' });
  assert.equal(noFile.status, 2);
  assert.match(noFile.stderr, /analyze needs at least one FILE/);
});

test('a TF.js manifest whose shard path leaves its directory is refused', () => {
  const manifest = path.join(dir, 'evil.json');
  fs.writeFileSync(manifest, JSON.stringify({ weightsManifest: [{ paths: ['../etc/passwd'], weights: [{ name: 'w', shape: [4, 4], dtype: 'float32' }] }] }));
  const r = spiketail([manifest]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /leaves the manifest's directory/);
});
