// Sweeps in the wasm module: expandSweep's grid and order, every run of a small LR grid and of a parameter
// study run to its end, the shared-start rule (docs/method.md §7), and agreement with `spiketail sweep`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadModule, root, runSession } from './module.mjs';

const M = await loadModule();
const cli = path.join(root, 'build/spiketail');
const hasCli = fs.existsSync(cli);

const SMALL = { n: 300, n_test: 100, d: 80, h: 120, num_steps: 4, probe_every: 2, seed: 7 };
const GRID = { ...SMALL, optimizer: ['gd', 'adam'], lr: [0.01, 0.1, 1, 100, 2000], repeat: 2 };
const STUDY = { ...SMALL, optimizer: 'adam', lr: 1, repeat: 2, probe_every: 1, vary: { n: [150, 300] } };

// Native (Eigen, AVX) and wasm (our SIMD kernel) sum float32 products in different orders, ~1e-6 relative
// per product. At η ≤ 1 a few steps keep that near 1e-4 in the smooth metrics; at large η (GD at 2000,
// Adam at 100) the first steps move W by O(η) and the differences grow with the dynamics, so those runs are
// compared for status and order only, and their largest difference is printed.
const k_rel_tol = 1e-3;
const k_tight_lr = 1;
const METRICS = ['train_loss', 'test_loss', 'kta', 'sim_w_beta', 'alpha_hill', 'spectral_norm', 'frobenius_norm'];

// One run to its end, as web/worker.js runs a sweep's run ('run' message) and `spiketail sweep` does: the
// engine's runToEnd, with the CLI's default records.
const runToEnd = (config) => runSession(M, config, false);

function expand(doc) {
  const out = JSON.parse(M.expandSweep(JSON.stringify(doc)));
  assert.equal(out.ok, true, JSON.stringify(out.errors));
  return out.runs;
}

function relErr(a, b) {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

const gridRuns = expand(GRID);
const gridResults = gridRuns.map((r) => runToEnd(r.config));
const studyRuns = expand(STUDY);
const studyResults = studyRuns.map((r) => runToEnd(r.config));

test('expandSweep: every combination once, repeat-major, each with its complete config', () => {
  assert.equal(gridRuns.length, 2 * 5 * 2);
  let i = 0;
  for (let r = 0; r < 2; r++)
    for (const o of ['gd', 'adam'])
      for (const lr of GRID.lr) {
        const run = gridRuns[i++];
        assert.deepEqual([run.repeat, run.optimizer, run.lr, run.param, run.value], [r, o, lr, null, null]);
        assert.deepEqual([run.config.repeat, run.config.optimizer, run.config.lr, run.config.seed], [r, o, lr, 7]);
      }
  assert.deepEqual(studyRuns.map((r) => [r.repeat, r.value, r.config.n]), [[0, 150, 150], [0, 300, 300], [1, 150, 150], [1, 300, 300]]);
  assert.ok(studyRuns.every((r) => r.param === 'n'));
  // gamma: StepLR with step_size 1 when the base has 0 (the study's schedule).
  const gamma = expand({ ...SMALL, vary: { gamma: [0.5] } })[0].config.lr_scheduler;
  assert.deepEqual(gamma, { step_size: 1, gamma: 0.5 });
});

test('expandSweep names the bad list entry and expands nothing', () => {
  const bad = (doc) => JSON.parse(M.expandSweep(JSON.stringify(doc)));
  const a = bad({ ...SMALL, lr: [1, 0] });
  assert.equal(a.ok, false);
  assert.deepEqual(a.runs, []);
  assert.deepEqual(a.errors.map((e) => e.field), ['lr[1]']);
  assert.deepEqual(bad({ ...SMALL, vary: { n: [100, 2.5] } }).errors.map((e) => e.field), ['vary.n[1]']);
  assert.deepEqual(bad({ ...SMALL, optimizer: ['adam', 'rmsprop'] }).errors.map((e) => e.field), ['optimizer[1]']);
  assert.deepEqual(bad({ ...SMALL, repeat: 0 }).errors.map((e) => e.field), ['repeat']);
  assert.deepEqual(bad({ ...SMALL, vary: { h: [10] } }).errors.map((e) => e.field), ['vary.h']);
});

test('runPoolSize: the sweep view starts the workers asked for, unless the runs or the memory budget say fewer', () => {
  const { memory } = JSON.parse(M.expandSweep(JSON.stringify(SMALL)));
  const constants = JSON.parse(M.methodConstants());
  assert.equal(M.runPoolSize(2, 90, memory), 2);
  assert.equal(M.runPoolSize(8, 3, memory), 3);
  assert.equal(M.runPoolSize(64, 90, 0), constants.max_pool_workers);
  assert.equal(M.runPoolSize(16, 90, constants.run_pool_memory_budget_bytes / 2.5), 2);
  assert.throws(() => M.runPoolSize(1.5, 3, 0), RangeError);
  assert.throws(() => M.runPoolSize(2, 3, NaN), TypeError);
});

test('every run of the grid and of the study finishes with its probes', () => {
  for (const [runs, results] of [[gridRuns, gridResults], [studyRuns, studyResults]]) {
    results.forEach((res, i) => {
      const c = runs[i].config;
      assert.equal(res.status, 'finished', `run ${i}: ${res.message}`);
      const want = [...new Set([0, ...Array.from({ length: c.num_steps }, (_, k) => k + 1).filter((s) => s % c.probe_every === 0), c.num_steps])];
      assert.deepEqual(res.probes.map((p) => p.step), want, `run ${i} probe steps`);
      assert.ok(res.probes.every((p) => Number.isFinite(p.train_loss) && Number.isFinite(p.alpha_hill)));
    });
  }
});

test('shared start: step 0 is identical across optimisers and η within a repeat, different across repeats', () => {
  const step0 = (res) => Object.fromEntries(METRICS.map((k) => [k, res.probes[0][k]]));
  for (const r of [0, 1]) {
    const idx = gridRuns.map((run, i) => (run.repeat === r ? i : -1)).filter((i) => i >= 0);
    const ref = step0(gridResults[idx[0]]);
    for (const i of idx) assert.deepEqual(step0(gridResults[i]), ref, `run ${i} (${gridRuns[i].optimizer}, η = ${gridRuns[i].lr})`);
  }
  const a = step0(gridResults[0]), b = step0(gridResults[gridRuns.findIndex((run) => run.repeat === 1)]);
  for (const k of METRICS) assert.notEqual(a[k], b[k], `${k} must differ between repeats`);
  // n study: the data differ with n, W0 does not: the step-0 spectrum is shared within a repeat.
  const spectrum = (res) => [res.probes[0].alpha_hill, res.probes[0].spectral_norm, res.probes[0].frobenius_norm];
  assert.deepEqual(spectrum(studyResults[0]), spectrum(studyResults[1]));
  assert.notDeepEqual(spectrum(studyResults[0]), spectrum(studyResults[2]));
  assert.notEqual(studyResults[0].probes[0].train_loss, studyResults[1].probes[0].train_loss, 'fresh data for another n');
});

test('a probe does not change the trajectory: the last probe is the same whatever probe_every', () => {
  const c = gridRuns.find((r) => r.optimizer === 'adam' && r.lr === 1).config;
  const every = runToEnd({ ...c, probe_every: 1 }).probes.at(-1), once = runToEnd({ ...c, probe_every: 100 }).probes.at(-1);
  assert.deepEqual(every, once);
});

test('the wasm sweep agrees with `spiketail sweep`: same runs in the same order, numbers within tolerance at η ≤ 1',
  { skip: !hasCli && 'no build/spiketail (bash scripts/build-native.sh)' }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiketail-sweep-'));
    try {
      for (const [doc, runs, results] of [[GRID, gridRuns, gridResults], [STUDY, studyRuns, studyResults]]) {
        fs.writeFileSync(path.join(dir, 's.json'), JSON.stringify(doc));
        execFileSync(cli, ['sweep', path.join(dir, 's.json'), '--jobs', '2', '--quiet', '--out', path.join(dir, 'out.json')], { stdio: 'pipe' });
        const native = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8'));
        assert.deepEqual(native.runs.map((r) => [r.optimizer, r.lr, r.repeat, r.param, r.value]),
          runs.map((r) => [r.optimizer, r.lr, r.repeat, r.param, r.value]), 'same runs, same order');
        native.runs.forEach((r, i) => assert.deepEqual(r.config, runs[i].config, `run ${i} config`));
        let tight = 0, loose = 0;
        native.runs.forEach((nr, i) => {
          assert.equal(results[i].status, nr.status, `run ${i} status`);
          assert.deepEqual(results[i].probes.map((p) => p.step), nr.probes.map((p) => p.step));
          results[i].probes.forEach((p, j) => {
            for (const k of METRICS) {
              const e = relErr(p[k], nr.probes[j][k]);
              if (nr.lr <= k_tight_lr) {
                tight = Math.max(tight, e);
                assert.ok(e < k_rel_tol, `run ${i} (${nr.optimizer}, η = ${nr.lr}) step ${p.step} ${k}: wasm ${p[k]} native ${nr.probes[j][k]}`);
              } else loose = Math.max(loose, e);
            }
          });
        });
        console.log(`# ${doc.vary ? 'n study' : 'LR grid'}: wasm vs native, worst relative difference ${tight.toExponential(2)} at η ≤ ${k_tight_lr}` +
          ` (tolerance ${k_rel_tol}); ${loose ? `${loose.toExponential(2)} at larger η (not asserted)` : 'no larger η'}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

// The page's Import and Export (web/views/sweep.js): files collected onto the grid by the engine, and the grid's
// entries written back as a document. The tour's stored sweep (a `spiketail sweep` file) goes through JS as the
// page holds it and comes back the same document, complete (the same values: JS has one kind of number, so a
// float the CLI writes 1.0 comes back 1, which merge and --resume read as the same number); with runs taken out
// it comes back as the partial document that names them missing.
test('collectSweep + sweepDocument: a CLI file through JS comes back the same document; a part lists its missing runs', () => {
  const text = fs.readFileSync(path.join(root, 'web/tour/lr-sweep.json'), 'utf8');
  const file = JSON.parse(text);
  const collected = JSON.parse(M.collectSweep(JSON.stringify({ documents: [{ name: 'lr-sweep.json', document: file }] })));
  assert.equal(collected.ok, true, JSON.stringify(collected.errors));
  assert.deepEqual(collected.missing, []);
  assert.equal(collected.entries.length, file.runs.length);
  const back = (entries) => JSON.parse(M.sweepDocument(JSON.stringify({ sweep: collected.config, entries })));
  const whole = back(collected.entries);
  assert.equal(whole.ok, true, JSON.stringify(whole.errors));
  assert.deepEqual(JSON.parse(M.formatDocument(JSON.stringify(whole.document))), file, 'the complete document');

  const held = collected.entries.map((e, i) => (i % 3 === 1 ? null : e));
  const part = back(held).document;
  assert.deepEqual(Object.keys(part), ['config', 'partial', 'runs']);
  assert.equal(part.partial.sweep_id, collected.sweep_id);
  assert.equal(part.partial.shard, null);
  const again = JSON.parse(M.collectSweep(JSON.stringify({ documents: [{ name: 'part.json', document: part }], sweep: collected.config, rerun_errors: true })));
  assert.equal(again.ok, true, JSON.stringify(again.errors));
  assert.deepEqual(again.missing, held.map((e, i) => (e ? -1 : i)).filter((i) => i >= 0));
  const other = JSON.parse(M.collectSweep(JSON.stringify({ documents: [{ name: 'part.json', document: part }], sweep: { ...collected.config, seed: 99 } })));
  assert.equal(other.ok, false);
  assert.match(other.errors[0].message, /^belongs to another sweep \(sweep_id [0-9a-f]{16}; the sweep on screen's is [0-9a-f]{16}\)/);
});

test('the page\'s partial export (sweepDocument) is completed by `spiketail sweep --resume` to the whole sweep', { skip: !hasCli && 'no build/spiketail' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiketail-page-part-'));
  const config = path.join(dir, 'grid.json');
  fs.writeFileSync(config, JSON.stringify(GRID));
  execFileSync(cli, ['sweep', config, '--quiet', '--out', path.join(dir, 'whole.json')], { stdio: 'pipe' });
  const whole = JSON.parse(fs.readFileSync(path.join(dir, 'whole.json'), 'utf8'));
  const collected = JSON.parse(M.collectSweep(JSON.stringify({ documents: [{ name: 'whole.json', document: whole }] })));
  const entries = collected.entries.map((e, i) => (i % 4 === 0 ? e : null));
  const made = JSON.parse(M.sweepDocument(JSON.stringify({ sweep: collected.config, entries })));
  const part = path.join(dir, 'page-part.json');
  fs.writeFileSync(part, M.formatDocument(JSON.stringify(made.document)));
  execFileSync(cli, ['sweep', config, '--quiet', '--resume', '--out', part], { stdio: 'pipe' });
  const resumed = JSON.parse(fs.readFileSync(part, 'utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(resumed, whole);
  assert.equal(entries.filter(Boolean).length, 5);
  console.log(`# a page part of ${entries.filter(Boolean).length} of ${entries.length} runs completed by spiketail sweep --resume`);
});
