// Native results against the number of OpenMP threads and `sweep --jobs` (README, "Numbers you can rely on";
// docs/cli.md, "Sweeps"). core/gemm.cpp cuts the products of a step and of a probe into column blocks of
// k_column_block = 256 columns, each summed by one single-threaded product (core/block_blas.hpp: OpenBLAS's
// sgemm, or Eigen without it), so a run's numbers should not depend on how many threads share the blocks —
// including more threads than cores (8 on the 2-core machine) and than blocks. The configs below are sized so that there is more than one block:
// Z = X W^T has h columns, dW = G^T X has d, the probe's features h.
//
// What these tests show: `run` and `sweep` files (default records, --eigenvalues and --detail) are
// byte-identical for OMP_NUM_THREADS = 1, 2, 3, 8 and --jobs 1, 2, 3. (The update overlaps of --detail once went
// through Eigen's own threaded product, whose depth blocking follows the thread count; metrics.cpp
// left_singular_vectors and spectrum.cpp's V = W^T U now use the same fixed blocks as every other product.)
//
// SPIKETAIL_CLI overrides the binary (default build/spiketail, built by scripts/build-native.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.SPIKETAIL_CLI ? path.resolve(process.env.SPIKETAIL_CLI) : path.join(root, 'build/spiketail');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiketail-determinism-'));

const k_column_block = 256;  // core/gemm.cpp
// h = 520: 3 column blocks of Z and of the features; d = 300: 2 blocks of dW. GD at lr 2000 (the study's
// heavy-tail rate for GD) makes the dynamics amplify any last-bit difference of a step.
const RUN = { n: 600, n_test: 150, d: 300, h: 520, optimizer: 'gd', lr: 2000, num_steps: 4, probe_every: 2, seed: 5 };
// Both optimisers at a small and a large rate, 2 repeats: 8 runs, so --jobs 3 keeps 3 workers busy.
const SWEEP = { n: 600, n_test: 150, d: 300, h: 520, optimizer: ['gd', 'adam'], lr: [1, 2000], repeat: 2, num_steps: 3, probe_every: 3, seed: 5 };

function write(name, value) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

// Runs the CLI with OMP_NUM_THREADS = threads; returns the bytes of its --out file.
function spiketail(args, threads, out) {
  const file = path.join(dir, out);
  execFileSync(cli, [...args, '--quiet', '--out', file], { env: { ...process.env, OMP_NUM_THREADS: String(threads) }, stdio: 'pipe' });
  return fs.readFileSync(file);
}

function assertSameBytes(a, b, what) {
  if (a.equals(b)) return;
  let i = 0;
  while (i < a.length && a[i] === b[i]) ++i;
  assert.fail(`${what}: files differ from byte ${i}: …${a.subarray(Math.max(0, i - 60), i + 40)}… vs …${b.subarray(Math.max(0, i - 60), i + 40)}…`);
}

test('the configs span more than one column block of the products', () => {
  for (const c of [RUN, SWEEP]) {
    assert.ok(c.h > k_column_block && c.d > k_column_block, `h ${c.h} and d ${c.d} must exceed ${k_column_block}`);
  }
});

test('spiketail run: byte-identical output with OMP_NUM_THREADS = 1, 2, 3, 8', () => {
  const config = write('run.json', RUN);
  const threads = [1, 2, 3, 8];
  const out = threads.map((t) => spiketail(['run', config, '--eigenvalues'], t, `run-${t}.json`));
  const doc = JSON.parse(out[0]);
  assert.equal(doc.status, 'finished');
  assert.deepEqual(doc.probes.map((p) => p.step), [0, 2, 4]);
  for (let i = 1; i < threads.length; ++i) assertSameBytes(out[i], out[0], `${threads[i]} threads vs 1`);
  console.log(`# run: ${out[0].length} bytes, identical for ${threads.join(', ')} threads`);
});

test('spiketail sweep: byte-identical output for --jobs 1, 2, 3 and OMP_NUM_THREADS = 1, 2, 8', () => {
  const config = write('sweep.json', SWEEP);
  // Threads per run = max(1, T / jobs): 2, 1, 1 with T = 2, 1 with T = 1, 8 and 2 with T = 8.
  const variants = [[2, 1], [2, 2], [2, 3], [1, 1], [1, 2], [8, 1], [8, 3]];
  const out = variants.map(([t, j]) => spiketail(['sweep', config, '--eigenvalues', '--jobs', String(j)], t, `sweep-${t}-${j}.json`));
  const doc = JSON.parse(out[0]);
  assert.equal(doc.runs.length, 8);
  assert.ok(doc.runs.every((r) => r.status === 'finished'), 'every run finishes');
  for (let i = 1; i < variants.length; ++i) {
    const [t, j] = variants[i];
    assertSameBytes(out[i], out[0], `OMP_NUM_THREADS=${t} --jobs ${j} vs OMP_NUM_THREADS=2 --jobs 1`);
  }
  console.log(`# sweep: ${out[0].length} bytes, identical for (OMP_NUM_THREADS, --jobs) = ${variants.map((v) => `(${v})`).join(' ')}`);
});

// --detail adds the singular values and vectors of W and of each update, tall and wide (h < d: V = W^T U).
for (const shape of [{ d: 400, h: 600, name: 'tall (h > d)' }, { d: 600, h: 400, name: 'wide (h < d)' }]) {
  test(`spiketail run --detail, ${shape.name}: byte-identical for 1, 2, 3 and 8 threads`, () => {
    const cfg = { n: 800, n_test: 100, d: shape.d, h: shape.h, optimizer: 'adam', lr: 1, num_steps: 3, probe_every: 1, seed: 5 };
    const config = write(`detail-${shape.d}.json`, cfg);
    const threads = [1, 2, 3, 8];
    const [one, ...more] = threads.map((t) => spiketail(['run', config, '--detail'], t, `detail-${shape.d}-${t}.json`));
    more.forEach((text, i) => assertSameBytes(text, one, `--detail with ${threads[i + 1]} threads vs 1`));
    console.log(`# --detail ${shape.name}: ${one.length} bytes, identical for ${threads.join(', ')} threads`);
  });
}
