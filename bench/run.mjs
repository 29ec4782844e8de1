#!/usr/bin/env node
// spiketail's benchmark (issue 5): our code beside its anchors, in one run, one table, one JSON file.
//
//   npm run bench                 the study's shapes (n=2000, d=1000, h=1500) and a small one (400, 200, 300)
//   npm run bench -- --quick      tiny shapes, one repetition: checks that everything still runs (CI)
//   options: --reps N  --only engine,gemm,esd,threads,heap,native,sweep,eig,page  --out FILE (default bench/results/latest.json,
//            quick.json for --quick)  --wasm PATH  --cli PATH
//
// Browser engine (this Node process, one thread): our wasm module vs TF.js 4.x's wasm backend (XNNPACK)
// on a full-batch Adam step and on the forward / backward GEMMs, our ESD vs ml-matrix, the wasm heap.
// Threaded wasm (bench/lib/threads-section.mjs): the pthreads module on 2 threads vs the single-thread one.
// Native: our core (the CLI's library) vs PyTorch on the CPU, same threads; the CLI's sweep with 1 and
// with all workers. Eigenvalues of large Gram matrices (issue 11: a 4096² Gram and a GPT-2-small-sized set),
// ours natively and in wasm vs NumPy's eigvalsh and WeightWatcher's reported times (bench/eig/section.mjs).
// The "Analyze weights" page in headless Chromium and `spiketail analyze` on GPT-2-small-sized and 4096² files vs
// WeightWatcher, and the page's peak memory on a 1 GB file vs its largest layer (bench/analyze-page.mjs; --quick:
// one tiny file).
// Whatever is not built is reported as "not built". Medians after a warm-up; every
// sample is kept in bench/results/latest.json. Ratios are ours / anchor.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { initTfjs, makeTfjsTrainer, makeTfjsMatmul } from './anchors/tfjs.mjs';
import { makeMlMatrixEsd } from './anchors/mlmatrix.mjs';
import { analyzePageSection } from './analyze-page.mjs';
import { eigSection } from './eig/section.mjs';
import { loadGemmHarness } from './gemm/harness.mjs';
import { loadOurWasm, makeOurStepper, ourEsd, heapAfterStepAndProbe } from './lib/ours-wasm.mjs';
import { threadsSection } from './lib/threads-section.mjs';
import { median, timeIt, timeInterleaved, gemmFlops } from './lib/timing.mjs';
import { printTable, fmtSeconds, fmtBytes } from './lib/table.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2));
const quick = args.quick;
const SHAPES = quick ? { tiny: { n: 64, d: 32, h: 48 } }
                     : { study: { n: 2000, d: 1000, h: 1500 }, small: { n: 400, d: 200, h: 300 } };
const STUDY = quick ? 'tiny' : 'study';
const REPS = quick ? 1 : (args.reps ?? 5);   // fast measurements
const SLOW_REPS = quick ? 1 : Math.min(REPS, 3);  // anchors that take seconds per call
const WARMUP = quick ? 0 : 1;
const GEMM_REPS = quick ? 1 : Math.max(REPS, 9);   // 0.15-0.35 s each; the GEMM ratio is close to 1
const NATIVE_REPS = quick ? 1 : Math.max(REPS, 9);  // 0.1 s each; 2-thread timings swing most on a shared machine
const THREAD_REPS = quick ? 1 : Math.max(REPS, 9);  // 0.4 s batches; the threaded ESD's ratio is close to its 0.6 target
const THREADS = 2;  // the CLI's OpenMP threads and PyTorch's, on this 2-core machine (os.cpus())
const paths = {
  wasm: args.wasm ?? path.join(root, 'build-wasm/spiketail-node.cjs'),
  wasmThreads: path.join(root, 'build-wasm/spiketail-node-threads.cjs'),
  cli: args.cli ?? path.join(root, 'build/spiketail'),
  libcore: path.join(root, 'build/libcore.a'),
  gemmHarness: path.join(root, 'build-bench/gemm-bench.cjs'),
  nativeBench: path.join(root, 'build-bench/native-bench'),
  python: fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3',
};
const only = args.only ? new Set(args.only.split(',')) : null;
const want = (section) => !only || only.has(section);

const rows = [];     // the printed table
const results = {};  // everything, for the JSON file
const notBuilt = (what) => ({ status: 'not built', what });

// One table row. kind 'time': seconds, lower is better; 'rate': higher is better; 'bytes'. note: what else was
// measured with it (CPU seconds, the load average).
function row(section, measure, shape, kind, ours, anchorName, anchor, target = '', note = '') {
  // Targets are the issue's, at the study's scale; a quick run only checks that everything runs.
  const r = { section, measure, shape, kind, ours, anchorName, anchor, target: quick ? '' : target, note };
  r.ratio = typeof ours === 'number' && typeof anchor === 'number' && anchor > 0 ? ours / anchor : null;
  rows.push(r);
  return r;
}

async function main() {
  const started = new Date();
  results.machine = {
    cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version,
    loadavg_start: os.loadavg(), quick, reps: REPS, slow_reps: SLOW_REPS, warmup: WARMUP,
  };
  console.log(`spiketail bench ${quick ? '(quick) ' : ''}on ${results.machine.cpu}, ${results.machine.cores} cores, ` +
              `Node ${process.version}, load ${os.loadavg()[0].toFixed(2)}`);
  if (os.loadavg()[0] > 1.5) console.log('  note: the machine is busy; timings will be noisy');

  if (want('engine') || want('gemm') || want('esd')) await engineSection();
  if (want('threads')) {
    const shape = SHAPES[STUDY];
    await threadsSection({ singlePath: paths.wasm, threadedPath: paths.wasmThreads, shape, label: `${STUDY} ${shape.n}/${shape.d}/${shape.h}`,
                           reps: THREAD_REPS, warmup: WARMUP, quick, row, results, gaussian: gaussianFloat32 });
  }
  if (want('heap')) await heapSection();
  if (want('native')) nativeSection();
  if (want('sweep')) sweepSection();
  if (want('eig')) await eigSection({ root, quick, reps: args.reps ?? 3, threads: THREADS, python: paths.python, row, results });
  if (want('page')) await analyzePageSection({ quick, row, results, cli: paths.cli, only: quick ? ['gpt2'] : ['gpt2', 'big', 'mem'] });

  results.machine.loadavg_end = os.loadavg();
  results.rows = rows;
  results.started = started.toISOString();
  results.seconds = (Date.now() - started.getTime()) / 1e3;
  printTable(rows);
  const out = args.out ?? path.join(root, `bench/results/${quick ? 'quick' : 'latest'}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`\nwrote ${path.relative(process.cwd(), out)} (${results.seconds.toFixed(0)} s, ` +
              `load ${os.loadavg()[0].toFixed(2)} at the end)`);
}

// ---- browser engine: this process, one thread ----

async function engineSection() {
  const tf = await initTfjs();
  results.tfjs = tf.info;
  const ours = await loadOurWasm(paths.wasm);
  results.wasm_module = ours ? { path: paths.wasm, version: ours.version() } : notBuilt(paths.wasm);
  const harness = await ensureGemmHarness();

  for (const [name, shape] of Object.entries(SHAPES)) {
    const { n, d, h } = shape;
    const label = `${name} ${n}/${d}/${h}`;
    const slow = name === STUDY;  // seconds per call for the anchors

    if (want('engine')) {
      let oursStep = notBuilt('wasm module'), oursProbe = null;
      if (ours) {
        const s = makeOurStepper(ours, shape);
        oursStep = await timeIt(s.step, { warmup: WARMUP, reps: REPS });
        // The probe (ridge refit, losses, KTA, spectrum, singular vectors; no update analysis): no anchor
        // computes it, so it is compared with our native build in the native section.
        oursProbe = await timeIt(() => s.session.probe(false), { warmup: WARMUP, reps: slow ? SLOW_REPS : REPS });
        s.dispose();
      }
      const trainer = makeTfjsTrainer({ ...shape, lr: 1e-3 });
      const tfStep = await timeIt(trainer.step, { warmup: WARMUP, reps: slow ? SLOW_REPS : REPS });
      trainer.dispose();
      results[`step_${name}`] = { ours: oursStep, tfjs: tfStep };
      if (oursProbe) results[`probe_${name}`] = { ours: oursProbe };
      row('wasm', 'Adam step (full batch)', label, 'time', oursStep.median, 'TF.js wasm', tfStep.median,
          name === STUDY ? '<= 0.10' : '');
    }

    if (want('gemm')) {
      // forward Z = X W^T: (n x d)(h x d)^T, C: n x h;  backward dW = G^T X: (n x h)^T (n x d), C: h x d
      for (const [pass, kind, m, nn, k] of [['forward X W^T', 'nt', n, h, d], ['backward G^T X', 'tn', h, d, n]]) {
        const flops = gemmFlops(m, nn, k);
        // TF.js as its training step calls it (transposed operand: not XNNPACK; seconds per call) and at its
        // best (operands laid out so that no transpose is needed: XNNPACK's GEMM). Ours, Eigen's and
        // XNNPACK's are timed in turns, call by call, so that the machine's noise hits them alike.
        const asCalled = makeTfjsMatmul(kind, m, nn, k);
        const tfjsTransposed = await timeIt(asCalled.run, { warmup: WARMUP, reps: slow ? SLOW_REPS : REPS });
        asCalled.dispose();
        const best = makeTfjsMatmul('nn', m, nn, k);
        const fns = { tfjs_xnnpack: best.run };
        if (harness) {
          harness.setup(kind, m, nn, k);
          fns.ours = () => harness.run('simd');
          fns.eigen = () => harness.run('eigen');
        }
        const g = { ...(await timeInterleaved(fns, { warmup: WARMUP, reps: GEMM_REPS })), tfjs_transposed: tfjsTransposed };
        best.dispose();
        for (const v of Object.values(g)) v.gflops = flops / v.median / 1e9;
        results[`gemm_${name}_${kind}`] = { m, n: nn, k, ...g };
        const oursG = g.ours?.gflops ?? notBuilt('gemm harness');
        row('wasm', `GEMM ${pass} (GFLOPS)`, label, 'rate', oursG, 'TF.js XNNPACK', g.tfjs_xnnpack.gflops,
            name === STUDY ? '>= 1.0' : '');
        row('wasm', `GEMM ${pass} (GFLOPS)`, label, 'rate', oursG, 'TF.js transposed', g.tfjs_transposed.gflops);
        if (g.eigen) row('wasm', `GEMM ${pass} (GFLOPS)`, label, 'rate', oursG, 'Eigen wasm', g.eigen.gflops);
      }
    }

    if (want('esd')) {
      // The ESD of an h x d Gaussian matrix: eigenvalues of the d x d Gram matrix.
      const W = gaussianFloat32(h * d, 3);
      let oursEsd = notBuilt('wasm module');
      if (ours) oursEsd = await timeIt(() => ourEsd(ours, W, h, d), { warmup: WARMUP, reps: REPS });
      const ml = makeMlMatrixEsd(W, h, d);
      const gram = await timeIt(ml.gram, { warmup: 0, reps: 1 });
      const eig = await timeIt(ml.eig, { warmup: slow ? 0 : WARMUP, reps: slow ? SLOW_REPS : REPS });
      results[`esd_${name}`] = { ours: oursEsd, mlmatrix_eig: eig, mlmatrix_gram: gram };
      row('wasm', `ESD ${h}x${d} -> ${d} eigenvalues`, label, 'time', oursEsd.median, 'ml-matrix EVD', eig.median,
          name === STUDY ? '<= 0.033' : '');
    }
  }
}

// Our GEMM harness (bench/gemm), rebuilt when the kernel's sources are newer; null when emcc is missing.
async function ensureGemmHarness() {
  const sources = ['core/gemm_kernel.cpp', 'core/gemm_kernel.hpp', 'core/parallel.cpp', 'core/parallel.hpp',
                   'bench/gemm/gemm_bench.cpp', 'bench/gemm/build.sh'].map((f) => path.join(root, f));
  const stale = !fs.existsSync(paths.gemmHarness) ||
    sources.some((f) => fs.statSync(f).mtimeMs > fs.statSync(paths.gemmHarness).mtimeMs);
  if (stale) {
    if (spawnSync('emcc', ['--version'], { encoding: 'utf8' }).status !== 0) {
      console.log('  gemm harness not built: emcc is missing');
      return null;
    }
    // With emcc present a failed build is a defect (a fresh clone's bench once printed 'not built' for a link error).
    const r = spawnSync('bash', [path.join(root, 'bench/gemm/build.sh')], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`the gemm harness does not build: ${(r.stderr || r.error?.message || '').trim()}`);
  }
  const h = await loadGemmHarness(paths.gemmHarness);
  // A correctness guard before timing: the kernel against the reference on an awkward shape.
  for (const kind of ['nt', 'tn', 'gram']) {
    h.setup(kind, 37, kind === 'gram' ? 37 : 29, 300);
    const err = h.check('simd');
    results[`gemm_check_${kind}`] = err;
    if (!(err < 1e-5)) throw new Error(`our GEMM (${kind}) disagrees with the reference: ${err}`);
  }
  return h;
}

async function heapSection() {
  const shape = SHAPES[STUDY];
  const label = `${STUDY} ${shape.n}/${shape.d}/${shape.h}`;
  if (!fs.existsSync(paths.wasm)) {
    row('wasm', 'heap after step + probe', label, 'bytes', notBuilt('wasm module'), 'arrays needed', null, '<= 2.0');
    return;
  }
  const heap = await heapAfterStepAndProbe(paths.wasm, shape);
  results.heap = heap;
  row('wasm', 'heap after step + probe', label, 'bytes', heap.heapBytes, 'arrays needed', heap.essentialBytes, '<= 2.0');
  row('wasm', 'heap after step + probe', label, 'bytes', heap.heapBytes, 'estimateMemory()', heap.estimateBytes);
}

// ---- native: our core (the CLI's library) vs PyTorch, same threads ----

function nativeSection() {
  const bench = ensureNativeBench();
  const torchAvailable = spawnSync(paths.python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;
  results.torch = torchAvailable ? {} : { status: 'not installed (apt-get install python3-torch libopenblas0-pthread)' };
  // OMP_WAIT_POLICY=passive as the CLI sets it (cli/wait_policy.cpp): idle threads sleep instead of spinning.
  const ourEnv = (threads) => ({ ...process.env, OMP_NUM_THREADS: String(threads),
                                 OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'passive' });
  for (const [name, shape] of Object.entries(SHAPES)) {
    const { n, d, h } = shape;
    const label = `${name} ${n}/${d}/${h}`;
    // In turns (ours, PyTorch, ours, ...), each turn a few timed calls after its own warm-up, samples pooled:
    // two-thread timings swing most when another process takes a core.
    const rounds = quick ? 1 : 3, perRound = Math.ceil(NATIVE_REPS / rounds);
    const pool = (acc, out) => {
      if (!acc) return out;
      for (const key of ['step', 'esd', 'probe']) {
        if (!out[key]) continue;
        acc[key].samples.push(...out[key].samples);
        acc[key].cpu.push(...out[key].cpu);
      }
      return acc;
    };
    let ours = null, torch = null;
    for (let r = 0; r < rounds; r++) {
      if (bench)
        ours = pool(ours, JSON.parse(execFileSync(bench, [n, d, h, perRound].map(String), {
          encoding: 'utf8', env: ourEnv(THREADS) })));
      if (torchAvailable)
        torch = pool(torch, JSON.parse(execFileSync(paths.python, [path.join(root, 'bench/anchors/torch_anchor.py'),
          '--n', n, '--d', d, '--h', h, '--threads', THREADS, '--reps', perRound, '--warmup', WARMUP].map(String),
          { encoding: 'utf8' })));
    }
    for (const out of [ours, torch]) {
      if (!out) continue;
      for (const key of ['step', 'esd']) {
        out[key].median = median(out[key].samples);
        out[key].cpu_median = median(out[key].cpu);
      }
    }
    if (ours) ours.probe.median = median(ours.probe.samples);
    results[`native_${name}`] = { ours: ours ?? notBuilt('native bench'), torch: torch ?? results.torch };
    const anchorName = torchAvailable ? `PyTorch ${torch.version}` : 'PyTorch (not installed)';
    const eigName = torchAvailable ? 'PyTorch eigvalsh' : anchorName;
    // Issue 12's targets at the study's scale: the step <= 0.8x PyTorch's, the ESD <= 1.0x its eigvalsh.
    row('native', `Adam step, ${THREADS} threads`, label, 'time', ours?.step.median ?? notBuilt('native bench'),
        anchorName, torch?.step.median ?? null, name === STUDY ? '<= 0.8' : '');
    row('native', `ESD ${h}x${d}, ${THREADS} threads`, label, 'time', ours?.esd.median ?? notBuilt('native bench'),
        eigName, torch?.esd.median ?? null, name === STUDY ? '<= 1.0' : '');
    // CPU seconds of all threads per call: what a loaded machine's wall times hide (a core taken by another
    // process stretches both sides' wall time, not their CPU time).
    if (ours && torch) {
      row('native', `Adam step, CPU time of ${THREADS} threads`, label, 'time', ours.step.cpu_median, anchorName,
          torch.step.cpu_median);
      row('native', `ESD ${h}x${d}, CPU time of ${THREADS} threads`, label, 'time', ours.esd.cpu_median, eigName,
          torch.esd.cpu_median);
    }
    if (bench) nativeDigests(bench, shape, label, ours, ourEnv);
    const wasmProbe = results[`probe_${name}`]?.ours?.median;
    if (typeof wasmProbe === 'number' && ours)
      row('wasm', 'probe (no update analysis): wasm vs native', label, 'time', wasmProbe, 'ours native', ours.probe.median);
    // The browser engine's ESD against our own native build (target: within 3x).
    const wasmEsd = results[`esd_${name}`]?.ours?.median;
    if (typeof wasmEsd === 'number' && ours)
      row('wasm', `ESD ${h}x${d}: wasm vs native`, label, 'time', wasmEsd, 'ours native', ours.esd.median,
          name === STUDY ? '<= 3.0' : '');
  }
}

// The bits of W after two steps and of the ESD's eigenvalues (native_bench's digest) with 1 and 8 threads against
// the timed 2-thread run: the fixed blocks must make them identical (docs/method.md §9).
function nativeDigests(bench, { n, d, h }, label, ours, ourEnv) {
  const digests = { [THREADS]: ours?.digest };
  for (const threads of [1, 8])
    digests[threads] = JSON.parse(execFileSync(bench, [n, d, h, 0].map(String), { encoding: 'utf8', env: ourEnv(threads) })).digest;
  const keys = Object.keys(digests);
  const same = keys.every((t) => JSON.stringify(digests[t]) === JSON.stringify(digests[keys[0]]));
  results[`native_digests_${label.split(' ')[0]}`] = { blas: ours?.blas, digests, identical: same };
  row('native', `W after 2 steps, ESD: bits with ${keys.join('/')} threads`, label, 'text',
      { status: same ? 'identical' : 'DIFFER' }, ours?.blas ?? '', null);
  if (!same) console.log(`  native results differ across thread counts: ${JSON.stringify(digests)}`);
}

// build-bench/native-bench against the CLI's libcore.a, rebuilt when the library or the source is newer.
function ensureNativeBench() {
  if (!fs.existsSync(paths.libcore)) return null;
  const src = path.join(root, 'bench/native/native_bench.cpp');
  const stale = !fs.existsSync(paths.nativeBench) ||
    [paths.libcore, src].some((f) => fs.statSync(f).mtimeMs > fs.statSync(paths.nativeBench).mtimeMs);
  if (stale) {
    const r = spawnSync('bash', [path.join(root, 'bench/native/build.sh')], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`  native bench not built: ${(r.stderr || '').trim().split('\n').pop()}`);
      return null;
    }
  }
  return paths.nativeBench;
}

// ---- sweep: the CLI's reduced learning-rate sweep, 1 worker and all ----

function sweepSection() {
  // The reduced sweep of issue 4: the study's grid (2 optimisers x 9 learning rates x 5 repeats x 10
  // steps) at n=400, d=200, h=300. Quick mode: 2 x 2 x 1 x 2 at the tiny shape.
  const shape = quick ? SHAPES.tiny : SHAPES.small;
  const config = {
    ...shape, n_test: Math.min(200, shape.n), top_k: Math.min(8, shape.h, shape.d),
    optimizer: ['gd', 'adam'],
    lr: quick ? [0.01, 1] : [0.001, 0.01, 0.1, 1, 10, 100, 1000, 2000, 3000],
    repeat: quick ? 1 : 5, num_steps: quick ? 2 : 10,
  };
  const runs = 2 * config.lr.length * config.repeat;
  const label = `${shape.n}/${shape.d}/${shape.h}, ${runs} runs`;
  if (!fs.existsSync(paths.cli)) {
    row('sweep', 'reduced lr sweep, 1 worker', label, 'time', notBuilt('CLI'), '', null);
    row('sweep', `reduced lr sweep, ${THREADS} workers`, label, 'time', notBuilt('CLI'), '1 worker', null);
    return;
  }
  const file = path.join(root, 'build-bench/sweep-reduced.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(config));
  const out = path.join(root, 'build-bench/sweep-reduced.out.json');
  const wall = (jobs) => {
    const t0 = process.hrtime.bigint();
    // A file of our own, not os.devNull: the output path is part of what is timed, and a device is no place
    // to test a writer on.
    const r = spawnSync(paths.cli, ['sweep', file, '--jobs', String(jobs), '--quiet', '--out', out],
                        { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`spiketail sweep --jobs ${jobs}: ${r.stderr}`);
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const reps = quick ? 1 : 2;
  const serial = [], parallel = [];
  for (let r = 0; r < reps; r++) { serial.push(wall(1)); parallel.push(wall(THREADS)); }
  const s = Math.min(...serial), p = Math.min(...parallel);
  // Issue 4's yardstick: one run's time x runs / W, one run's time taken from the 1-worker sweep (each run
  // there has every core for its products), so the ideal is the 1-worker wall time / W.
  results.sweep = { config, runs, serial_seconds: serial, parallel_seconds: parallel, per_run_seconds: s / runs };
  row('sweep', 'reduced lr sweep, 1 worker', label, 'time', s, '', null);
  row('sweep', `reduced lr sweep, ${THREADS} workers`, label, 'time', p, 'ideal: 1 worker / W', s / THREADS, '<= 1.3');
}

// ---- helpers ----

function gaussianFloat32(count, seed) {
  // Box-Muller on a small LCG: deterministic and dependency-free; the ESD's cost does not depend on it.
  let s = seed >>> 0 || 1;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u())), t = 2 * Math.PI * u();
    out[i] = r * Math.cos(t);
    if (i + 1 < count) out[i + 1] = r * Math.sin(t);
  }
  return out;
}

function parseArgs(argv) {
  const a = { quick: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--quick') a.quick = true;
    else if (k === '--reps') a.reps = Number(argv[++i]);
    else if (k === '--only') a.only = argv[++i];
    else if (k === '--out') a.out = argv[++i];
    else if (k === '--wasm') a.wasm = argv[++i];
    else if (k === '--cli') a.cli = argv[++i];
    else if (k === '--help' || k === '-h') {
      console.log('usage: node bench/run.mjs [--quick] [--reps N] [--only engine,gemm,esd,threads,heap,native,sweep,eig,page] ' +
                  '[--out FILE] [--wasm spiketail-node.cjs] [--cli spiketail]');
      process.exit(0);
    } else throw new Error(`unknown option ${k}`);
  }
  return a;
}

main().catch((e) => {
  console.error(`bench failed: ${e.stack ?? e}`);
  process.exit(1);
});
