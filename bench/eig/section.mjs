// bench/run.mjs's "eig" section (issue 11, item 6): every eigenvalue of the smaller Gram of large weight matrices,
// ours natively (build-bench/eig-bench, 2 OpenMP threads) and in wasm (build-bench/eig-bench.cjs in this Node
// process, one thread) against NumPy's eigvalsh (float64, its BLAS/LAPACK with 2 threads) and WeightWatcher's
// reference timings from issue 11. Ours is timed from the float32 matrix (Gram + eigenvalues); NumPy's eigvalsh
// from the float64 Gram (its Gram not counted: the anchor is the "eigvalsh of a 4096² Gram").
// The three run in turns (native, NumPy, wasm; again), so that the machine's load falls on all of them alike.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { median } from '../lib/timing.mjs';

const require = createRequire(import.meta.url);

// WeightWatcher 0.7.5.5 (scipy SVD, its default fit) on this kind of 2-core machine, as issue 11 reports them:
// not re-measured here (WeightWatcher and PyTorch are not installed); seconds.
export const WEIGHTWATCHER_SECONDS = { gpt2: 20, big: 37 };
// The 48 weight matrices of a GPT-2-small-sized model: twelve blocks of these four (rows x cols).
const GPT2_SHAPES = [[768, 2304], [768, 768], [768, 3072], [3072, 768]];
const GPT2_BLOCKS = 12;

function ensureBuilt(root, libs, outputs) {
  const src = ['bench/eig/eig_bench.cpp', 'bench/eig/build.sh'].map((f) => path.join(root, f));
  const stale = outputs.some((o, i) => fs.existsSync(libs[i]) &&
    (!fs.existsSync(o) || [libs[i], ...src].some((f) => fs.statSync(f).mtimeMs > fs.statSync(o).mtimeMs)));
  if (stale) {
    const r = spawnSync('bash', [path.join(root, 'bench/eig/build.sh')], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) console.log(`  eig bench not built: ${(r.stderr || '').trim().split('\n').pop()}`);
  }
}

async function loadWasm(cjs) {
  if (!fs.existsSync(cjs)) return null;
  const mod = await require(cjs)({ wasmBinary: fs.readFileSync(cjs.replace(/\.cjs$/, '.wasm')) });
  return {
    time(rows, cols, impl) {
      mod._eig_bench_setup(rows, cols);
      const t0 = performance.now();
      const lambdaMax = mod._eig_bench_run(impl);
      return { seconds: (performance.now() - t0) / 1e3, lambdaMax };
    },
  };
}

// { big: [[rows, cols]], gpt2: [...] } -> rows of the table; results[key] keeps every sample.
export async function eigSection({ root, quick, reps, threads, python, row, results }) {
  const sets = quick ? { big: [[160, 160]], gpt2: [[24, 72], [24, 24], [24, 96], [96, 24]] }
                     : { big: [[4096, 4096]], gpt2: GPT2_SHAPES };
  const rounds = quick ? 1 : 3;
  const perRound = quick ? 1 : Math.max(1, Math.ceil(reps / rounds));
  const native = path.join(root, 'build-bench/eig-bench'), wasmCjs = path.join(root, 'build-bench/eig-bench.cjs');
  ensureBuilt(root, [path.join(root, 'build/libcore.a'), path.join(root, 'build-wasm/libcore.a')], [native, wasmCjs]);
  const wasm = await loadWasm(wasmCjs);
  const numpyOk = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
  // OMP_WAIT_POLICY=passive as the CLI sets it (cli/wait_policy.cpp): the reduction opens a parallel region per
  // column, and spinning threads would take the cores from the other side of the comparison.
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads),
                OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'passive' };
  const key = (r, c) => `${r}x${c}`;
  const all = [...sets.big, ...sets.gpt2];
  const samples = { ours_native: {}, former_native: {}, numpy: {}, ours_wasm: {}, former_wasm: {} };
  const push = (which, k, xs) => { (samples[which][k] ??= []).push(...xs); };
  let numpyInfo = null;
  for (let round = 0; round < rounds; round++) {
    if (fs.existsSync(native)) {
      const out = execFileSync(native, ['0', perRound, ...all.flat()].map(String), { encoding: 'utf8', env });
      for (const line of out.trim().split('\n')) { const o = JSON.parse(line); push('ours_native', key(o.rows, o.cols), o.samples); }
      // The former path (Eigen's unblocked reduction in double) on the GPT-2 shapes only: at 4096 it takes minutes.
      const former = execFileSync(native, ['1', 1, ...sets.gpt2.flat()].map(String), { encoding: 'utf8', env });
      for (const line of former.trim().split('\n')) { const o = JSON.parse(line); push('former_native', key(o.rows, o.cols), o.samples); }
    }
    if (numpyOk) {
      const out = execFileSync(python, [path.join(root, 'bench/anchors/numpy_eigvalsh.py'), '--reps', String(perRound),
        '--warmup', quick ? '0' : '1', '--shapes', all.map(([r, c]) => key(r, c)).join(',')], { encoding: 'utf8', env });
      for (const line of out.trim().split('\n')) {
        const o = JSON.parse(line);
        numpyInfo = { numpy: o.numpy, blas: o.blas };
        push('numpy', key(o.rows, o.cols), o.samples);
      }
    }
    if (wasm)
      for (const [r, c] of all) {
        if (round === 0 && !quick) wasm.time(r, c, 0);  // warm-up: V8 optimises the kernels after their first calls
        for (let i = 0; i < perRound; i++) push('ours_wasm', key(r, c), [wasm.time(r, c, 0).seconds]);
        if (sets.gpt2.some(([a, b]) => a === r && b === c) && (quick || round === 0))
          push('former_wasm', key(r, c), [wasm.time(r, c, 1).seconds]);
      }
  }
  const med = (which, k) => (samples[which][k] ? median(samples[which][k]) : null);
  // The GPT-2 set: twelve of each shape, so 12 x the sum of the four medians.
  const setTime = (which, list) => (list.every(([r, c]) => med(which, key(r, c)) != null)
    ? (list === sets.gpt2 ? GPT2_BLOCKS : 1) * list.reduce((s, [r, c]) => s + med(which, key(r, c)), 0) : null);
  const numpyName = numpyOk ? `NumPy ${numpyInfo?.numpy} eigvalsh f64 (${numpyInfo?.blas})` : 'NumPy (not installed)';
  const missing = (what) => ({ status: 'not built', what });
  results.eig = { sets, rounds, per_round: perRound, numpy: numpyInfo, samples };
  for (const [name, list] of Object.entries(sets)) {
    const label = name === 'big' ? `${list[0][0]}x${list[0][1]}` : `${quick ? 'tiny' : 'GPT-2 small'} set (${GPT2_BLOCKS * list.length} matrices)`;
    const measure = 'ESD eigenvalues (Gram + all eigenvalues)';
    const n = setTime('ours_native', list) ?? missing('eig-bench'), w = setTime('ours_wasm', list) ?? missing('eig-bench.cjs');
    const ww = quick ? null : WEIGHTWATCHER_SECONDS[name];
    results.eig[name] = { ours_native: n, ours_wasm: w, numpy: setTime('numpy', list),
      former_native: setTime('former_native', list), former_wasm: setTime('former_wasm', list), weightwatcher: ww };
    row('native', `${measure}, ${threads} threads`, label, 'time', n, 'WeightWatcher (issue 11)', ww, '<= 0.3');
    row('native', `${measure}, ${threads} threads`, label, 'time', n, numpyName, setTime('numpy', list));
    if (name === 'gpt2')
      row('native', `${measure}, ${threads} threads`, label, 'time', n, 'former: Eigen double', setTime('former_native', list));
    row('wasm', `${measure}, 1 thread`, label, 'time', w, 'WeightWatcher (issue 11)', ww, name === 'big' ? '<= 1.0' : '<= 0.5');
    row('wasm', `${measure}, 1 thread`, label, 'time', w, numpyName, setTime('numpy', list));
    if (name === 'gpt2')
      row('wasm', `${measure}, 1 thread`, label, 'time', w, 'former: Eigen double (wasm)', setTime('former_wasm', list));
  }
}
