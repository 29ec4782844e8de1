#!/usr/bin/env node
// The MPI runner's speed-up (issue 13): the study's reduced learning-rate sweep of bench/run.mjs (2 optimisers x
// 9 learning rates x 5 repeats x 10 steps at n=400, d=200, h=300: 90 runs) under `mpirun -n 1` and `-n 2`, each
// rank with one OpenMP thread (OMP_NUM_THREADS=1), mpirun binding each rank to a core. The two are timed in turns
// (1, 2, 1, 2, ...) so that the load of a shared machine falls on both alike; medians of --reps pairs; the load
// average is printed before and after, and the CPU seconds of each job beside its wall time. Both outputs must be byte-identical to the single-machine sweep.
//
//   node bench/mpi.mjs [--reps N] [--cli build/spiketail-mpi] [--quick]
// Needs build/spiketail-mpi (scripts/build-native.sh with OpenMPI installed); says so and exits 0 when it is missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { median } from './lib/timing.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : fallback; };
const quick = argv.includes('--quick');
const reps = Number(option('--reps', quick ? 1 : 5));
const cli = option('--cli', path.join(root, 'build/spiketail-mpi'));
if (!fs.existsSync(cli) || spawnSync('mpirun', ['--version']).status !== 0) {
  console.log(`bench/mpi: ${cli} or mpirun is missing (bash scripts/build-native.sh with OpenMPI installed); nothing measured`);
  process.exit(0);
}
const asRoot = process.getuid?.() === 0 ? ['--allow-run-as-root'] : [];
const dir = path.join(root, 'build-bench');
fs.mkdirSync(dir, { recursive: true });
const config = path.join(dir, 'sweep-reduced-mpi.json');
fs.writeFileSync(config, JSON.stringify({
  n: 400, d: 200, h: 300, n_test: 200, top_k: 8, optimizer: ['gd', 'adam'],
  lr: quick ? [0.01, 1] : [0.001, 0.01, 0.1, 1, 10, 100, 1000, 2000, 3000], repeat: quick ? 1 : 5, num_steps: 10,
}));

// Wall and CPU seconds (user + system of mpirun and its ranks) of one sweep on `ranks` ranks, and its output.
function mpirunSeconds(ranks) {
  const out = path.join(dir, `sweep-reduced-mpi-${ranks}.json`);
  const args = [...asRoot, '-n', String(ranks), '--bind-to', 'core', '-x', 'OMP_NUM_THREADS=1', cli, 'sweep', config, '--quiet', '--out', out];
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%R %U %S"; { time mpirun "$@" >/dev/null 2>/tmp/spiketail-mpi-bench.err; } 2>&1', 'bash', ...args],
                      { encoding: 'utf8' });
  const [real, user, sys] = r.stdout.trim().split(/\s+/).slice(-3).map(Number);
  if (r.status !== 0 || !Number.isFinite(real)) throw new Error(`mpirun -n ${ranks}: ${fs.readFileSync('/tmp/spiketail-mpi-bench.err', 'utf8')}`);
  return { seconds: real, cpu: user + sys, bytes: fs.readFileSync(out) };
}

const single = path.join(dir, 'sweep-reduced-single.json');
const s = spawnSync(cli, ['sweep', config, '--quiet', '--out', single], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
if (s.status !== 0) throw new Error(s.stderr);
const reference = fs.readFileSync(single);

const loadBefore = os.loadavg();
const one = [], two = [], cpuOne = [], cpuTwo = [];
for (let i = 0; i < reps; i++) {
  for (const [ranks, samples, cpu] of [[1, one, cpuOne], [2, two, cpuTwo]]) {
    const { seconds, cpu: cpuSeconds, bytes } = mpirunSeconds(ranks);
    if (!bytes.equals(reference)) throw new Error(`mpirun -n ${ranks} wrote another document than the single-machine sweep`);
    samples.push(seconds);
    cpu.push(cpuSeconds);
  }
}
const loadAfter = os.loadavg();
const ratio = median(one) / median(two);
console.log(`reduced lr sweep (${quick ? 4 : 90} runs), one thread per rank, on ${os.cpus().length} cores; ` +
            `load average ${loadBefore[0].toFixed(1)} before, ${loadAfter[0].toFixed(1)} after`);
console.log(`  mpirun -n 1: median ${median(one).toFixed(2)} s wall  [${one.map((x) => x.toFixed(2)).join(', ')}], ` +
            `${median(cpuOne).toFixed(2)} s cpu`);
console.log(`  mpirun -n 2: median ${median(two).toFixed(2)} s wall  [${two.map((x) => x.toFixed(2)).join(', ')}], ` +
            `${median(cpuTwo).toFixed(2)} s cpu`);
// On a machine busy with other work each process gets a share of the cores, which favours the job with more
// processes: the CPU seconds say whether the second rank added work (MPI, polling) besides its runs.
console.log(`  cpu seconds, 2 ranks / 1 rank: ${(median(cpuTwo) / median(cpuOne)).toFixed(2)} (1.00: no overhead)`);
console.log(`  speed-up ${ratio.toFixed(2)}x (target >= 1.8x); outputs byte-identical to the single-machine sweep`);
fs.writeFileSync(path.join(dir, 'mpi-bench.json'), JSON.stringify({ loadBefore, loadAfter, one, two, cpuOne, cpuTwo, ratio }, null, 2));
