// `mpirun -n 3 spiketail sweep …` (the MPI build, scripts/build-mpi.sh -> build-mpi/spiketail) writes the same
// document as the single-machine sweep, byte for byte, and a bad sweep ends every rank with rank 0's message
// instead of hanging. Skipped when the MPI build or mpirun is missing, except under CI (CI=true),
// where scripts/test.sh builds it and a skip would hide a regression.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mpiCli = process.env.SPIKETAIL_MPI_CLI || path.join(root, 'build-mpi/spiketail');
const haveMpirun = spawnSync('mpirun', ['--version'], { encoding: 'utf8' }).status === 0;
const missing = !fs.existsSync(mpiCli) ? `${mpiCli} is not built (bash scripts/build-mpi.sh)` : !haveMpirun ? 'no mpirun' : '';
if (missing && process.env.CI) throw new Error(`the MPI test cannot run under CI: ${missing}`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiketail-mpi-'));
// OpenMPI refuses to start as root unless told that it is meant.
const asRoot = process.getuid?.() === 0 ? ['--allow-run-as-root'] : [];
const SWEEP = { n_test: 40, d: 60, h: 90, num_steps: 3, optimizer: ['gd', 'adam'], lr: [0.1, 10, 2000], repeat: 2,
                vary: { n: [60, 240] }, seed: 9 };

function mpirun(ranks, args) {
  return spawnSync('mpirun', ['--oversubscribe', ...asRoot, '-n', String(ranks), '-x', 'OMP_NUM_THREADS=1', mpiCli, ...args],
                   { encoding: 'utf8', timeout: 300000, maxBuffer: 1 << 28 });
}

test('mpirun -n 3 spiketail sweep equals the single-machine sweep byte for byte', { skip: missing || false }, () => {
  const config = path.join(dir, 'sweep.json');
  fs.writeFileSync(config, JSON.stringify(SWEEP));
  // The single-machine sweep of the same binary (without mpirun it runs its thread pool): a sanitizer build of
  // SPIKETAIL_CLI may round differently.
  const single = path.join(dir, 'single.json');
  const r1 = spawnSync(mpiCli, ['sweep', config, '--quiet', '--eigenvalues', '--out', single], { encoding: 'utf8' });
  assert.equal(r1.status, 0, r1.stderr);
  const spread = path.join(dir, 'mpi.json');
  const r = mpirun(3, ['sweep', config, '--eigenvalues', '--out', spread]);
  assert.equal(r.status, 0, `mpirun: ${r.stderr}`);
  const perRank = r.stderr.match(/24 runs on 3 ranks \(per rank: (\d+), (\d+), (\d+)\)/);
  assert.ok(perRank, r.stderr);
  assert.ok(perRank.slice(1).every((k) => Number(k) >= 1), `every rank computes runs: ${perRank[0]}`);
  const a = fs.readFileSync(spread), b = fs.readFileSync(single);
  assert.ok(a.equals(b), `mpirun -n 3 (${a.length} bytes) differs from the single-machine sweep (${b.length} bytes)`);
  console.log(`# mpirun -n 3: ${a.length} bytes, identical to the single-machine sweep; ${perRank[0]}`);
});

test('under mpirun, a bad sweep is reported once by rank 0 and every rank ends (no hang)', { skip: missing || false }, () => {
  const config = path.join(dir, 'bad.json');
  fs.writeFileSync(config, JSON.stringify({ ...SWEEP, lr: [0.1, -1] }));
  const r = mpirun(3, ['sweep', config, '--quiet', '--out', path.join(dir, 'bad-out.json')]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /lr\[1\]: must be finite and > 0/);
  assert.equal((r.stderr.match(/lr\[1\]/g) || []).length, 1, 'rank 0 alone reports it');
});
