// The threaded module (spiketail-node-threads.cjs) gives bit-identical results on 1, 2 and 8 threads, and the
// same as the single-thread module: the ESD's reduction cuts its work into fixed blocks (core/parallel.hpp,
// docs/method.md §9), and the products sum every entry over the same fixed depth blocks whatever their column
// split (a lower-triangle product takes one column block per thread), so no sum depends on the thread count.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeThreadedModule, loadModule, loadThreadedModule, runSession } from './module.mjs';

const THREADS = [1, 2, 8];
const single = await loadModule();
const threaded = await loadThreadedModule(Math.max(...THREADS) - 1);
after(() => closeThreadedModule(threaded));

// Large enough that every product has several 256-column blocks (h = 520: 3 for the forward pass, d = 300: 2
// for the backward pass and the Gram), a chaotic learning rate (a difference in the last bit would grow), and
// the update analysis and eigenvalues in every probe.
const config = { n: 600, n_test: 100, d: 300, h: 520, optimizer: 'adam', lr: 0.3, num_steps: 4, probe_every: 2, seed: 5 };

// A Gaussian-ish matrix (an LCG, deterministic) whose ESD reduction is above the symmetric mat-vec's parallel
// threshold (core/symv.hpp), so that its fixed blocks run on the threads too.
function matrix(rows, cols, seed) {
  const out = new Float32Array(rows * cols);
  let s = seed >>> 0;
  for (let i = 0; i < out.length; ++i) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}
const W = matrix(1300, 1100, 7);

test('the threaded module uses the threads it is given, at most max_threads', () => {
  const max = JSON.parse(threaded.methodConstants()).max_threads;
  assert.ok(max >= 8, `max_threads ${max}`);
  for (const t of THREADS) assert.equal(threaded.setThreads(t), t);
  assert.equal(threaded.threads(), THREADS.at(-1));
  assert.throws(() => threaded.setThreads(max + 1), RangeError);
  assert.throws(() => threaded.setThreads(0), RangeError);
  assert.equal(single.setThreads(4), 1, 'the single-thread module stays on one thread');
});

test('a run is bit-identical on 1, 2 and 8 threads and in the single-thread module', () => {
  const reference = JSON.stringify(runSession(single, config));
  assert.ok(JSON.parse(reference).probes.length >= 3);
  for (const t of THREADS) {
    threaded.setThreads(t);
    const run = JSON.stringify(runSession(threaded, config));
    assert.ok(run === reference, `${t} threads: the run differs from the single-thread module's`);
  }
});

test('the ESD of a 1300 x 1100 matrix is bit-identical on 1, 2 and 8 threads and in the single-thread module', () => {
  const reference = JSON.parse(single.analyzeMatrix(W, 1300, 1100));
  assert.ok(reference.ok, reference.error);
  const expected = Float64Array.from(reference.eigenvalues);
  for (const t of THREADS) {
    threaded.setThreads(t);
    const out = JSON.parse(threaded.analyzeMatrix(W, 1300, 1100));
    const got = Float64Array.from(out.eigenvalues);
    assert.equal(got.length, expected.length);
    const differing = got.findIndex((v, i) => !Object.is(v, expected[i]));
    assert.equal(differing, -1, `${t} threads: eigenvalue ${differing} is ${got[differing]}, single-thread ${expected[differing]}`);
  }
});
