#!/usr/bin/env node
// Fits the cost model of core/sweep_cost.hpp to this machine and checks it on the study's single run
// (docs/cluster.md, "Cost model"). Each config below is timed as `spiketail run` on one thread (OMP_NUM_THREADS=1);
// the time is the process's CPU time (user + system), the median of --reps runs, which a loaded machine disturbs
// far less than wall time (it still counts the cycles lost to a busy sibling hyperthread or a shared cache). The flop counts G and E of each run come from `spiketail sweep --estimate`, so the
// formula lives only in the core. Least squares, each row divided by its time (relative errors):
//   T = s * G + s_eig * E + c      ->  k_seconds_per_gemm_flop = s, k_eig_flop_weight = s_eig / s,
//                                      k_run_overhead_flops = c / s
//
//   node bench/cost.mjs [--reps N] [--cli PATH] [--check-only]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { median } from './lib/timing.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : fallback; };
const reps = Number(option('--reps', 3));
const cli = option('--cli', path.join(root, 'build/spiketail'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiketail-cost-'));

// Shapes that pull the terms apart — step-heavy (many steps, one probe pair), probe-heavy (a probe every step),
// eigen-heavy (d, h large beside n) — at sizes from a tenth of the study's run to its size, where the model is used.
const FIT = [
  { n: 400, n_test: 200, d: 200, h: 300, num_steps: 10, probe_every: 1 },
  { n: 800, n_test: 200, d: 400, h: 600, num_steps: 10, probe_every: 10 },
  { n: 800, n_test: 200, d: 400, h: 600, num_steps: 2, probe_every: 1 },
  { n: 3000, n_test: 200, d: 300, h: 450, num_steps: 20, probe_every: 20 },
  { n: 400, n_test: 200, d: 1000, h: 600, num_steps: 2, probe_every: 1 },
  { n: 2400, n_test: 200, d: 600, h: 900, num_steps: 10, probe_every: 10 },
  { n: 800, n_test: 200, d: 1200, h: 1600, num_steps: 1, probe_every: 1 },
  { n: 1600, n_test: 200, d: 800, h: 1200, num_steps: 5, probe_every: 5 },
];
// Checks, not fitted: the study's single run (docs/method.md §7: n=2000, d=1000, h=1500, Adam, 10 steps, a probe
// every step), and a run at twice its width (n=4000, d=2000, h=3000, 2 steps), on the way to the finite-size study.
const CHECKS = [
  { n: 2000, n_test: 200, d: 1000, h: 1500, num_steps: 10, probe_every: 1 },
  { n: 4000, n_test: 200, d: 2000, h: 3000, num_steps: 2, probe_every: 2 },
];

function write(config) {
  const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

function flops(config) {
  const r = spawnSync(cli, ['sweep', write(config), '--estimate', '--quiet'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const run = JSON.parse(r.stdout).runs[0];
  return { G: run.gemm_flops, E: run.eig_flops, predicted: run.predicted_seconds };
}

// CPU seconds (user + system) of one `spiketail run` on one thread.
function cpuSeconds(config) {
  const file = write(config);
  const samples = [];
  for (let i = 0; i < reps; i++) {
    const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%R %U %S"; { time "$0" run "$1" --quiet --out /dev/null; } 2>&1', cli, file],
                        { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    const [real, user, sys] = r.stdout.trim().split(/\s+/).slice(-3).map(Number);
    samples.push({ cpu: user + sys, real });
  }
  return { cpu: median(samples.map((s) => s.cpu)), real: median(samples.map((s) => s.real)), samples };
}

// Solves the 3x3 normal equations of min sum ((a G + b E + c - T) / T)^2.
function fit(rows) {
  const A = [[0, 0, 0], [0, 0, 0], [0, 0, 0]], y = [0, 0, 0];
  for (const { G, E, T } of rows) {
    const x = [G / T, E / T, 1 / T];
    for (let i = 0; i < 3; i++) { y[i] += x[i]; for (let j = 0; j < 3; j++) A[i][j] += x[i] * x[j]; }
  }
  for (let i = 0; i < 3; i++)  // Gauss-Jordan, no pivoting needed for this positive definite system
    for (let k = 0; k < 3; k++) if (k !== i) {
      const f = A[k][i] / A[i][i];
      for (let j = 0; j < 3; j++) A[k][j] -= f * A[i][j];
      y[k] -= f * y[i];
    }
  return y.map((v, i) => v / A[i][i]);
}

console.log(`cost model on ${os.cpus()[0]?.model}, ${os.cpus().length} cores, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const rows = [];
let fitted = null;
if (!argv.includes('--check-only')) {
  for (const config of FIT) {
    const { G, E } = flops(config);
    const t = cpuSeconds(config);
    rows.push({ config, G, E, T: t.cpu, real: t.real });
    console.log(`  n=${config.n} d=${config.d} h=${config.h} steps=${config.num_steps}/${config.probe_every}: ` +
                `G=${G.toExponential(2)} E=${E.toExponential(2)} cpu ${t.cpu.toFixed(3)} s (wall ${t.real.toFixed(3)} s)`);
  }
  const [s, sEig, c] = fit(rows);
  fitted = { s, sEig, c };
  console.log(`fit: seconds per GEMM flop ${s.toExponential(3)} (${(1e-9 / s).toFixed(1)} GFLOP/s), ` +
              `eig flop weight ${(sEig / s).toFixed(2)}, per-run overhead ${(c / s).toExponential(2)} flops (${c.toFixed(3)} s)`);
  for (const r of rows) {
    const p = s * r.G + sEig * r.E + c;
    console.log(`  n=${r.config.n} d=${r.config.d} h=${r.config.h}: measured ${r.T.toFixed(3)} s, fit ${p.toFixed(3)} s (${(100 * (p / r.T - 1)).toFixed(0)}%)`);
  }
}
for (const config of CHECKS) {
  const check = flops(config);
  const t = cpuSeconds(config);
  console.log(`check n=${config.n} d=${config.d} h=${config.h} steps=${config.num_steps}/${config.probe_every}, one thread: ` +
              `measured ${t.cpu.toFixed(2)} s cpu (${t.real.toFixed(2)} s wall); the core's model predicts ` +
              `${check.predicted.toFixed(2)} s (${(100 * (check.predicted / t.cpu - 1)).toFixed(1)}%)` +
              (fitted ? `; this fit predicts ${(fitted.s * check.G + fitted.sEig * check.E + fitted.c).toFixed(2)} s ` +
                        `(${(100 * ((fitted.s * check.G + fitted.sEig * check.E + fitted.c) / t.cpu - 1)).toFixed(1)}%)` : ''));
}
