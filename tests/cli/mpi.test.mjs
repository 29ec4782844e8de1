// `mpirun -n 3 spiketail sweep …` (build/spiketail-mpi, built by scripts/build-native.sh when OpenMPI is installed) writes the same
// document as the single-machine sweep, byte for byte, and a bad sweep ends every rank with rank 0's message
// instead of hanging; an mpirun stopped by SIGTERM mid-way, or whose rank 1 is killed, ends at once (naming the
// rank) and leaves a partial document that --resume, with or without MPI, completes into the uninterrupted sweep. Skipped when the MPI build or mpirun is missing, except under CI (CI=true),
// where scripts/test.sh builds it and a skip would hide a regression.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { exited, sleep, waitForRuns } from './helpers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mpiCli = process.env.SPIKETAIL_MPI_CLI || path.join(root, 'build/spiketail-mpi');
const haveMpirun = spawnSync('mpirun', ['--version'], { encoding: 'utf8' }).status === 0;
const missing = !fs.existsSync(mpiCli) ? `${mpiCli} is not built (bash scripts/build-native.sh, with OpenMPI installed)` : !haveMpirun ? 'no mpirun' : '';
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

// 32 runs of about a third of a second each, for the kills: mpirun takes about a second to stop its ranks, and
// the sweep must still be running then (with 16 runs of 0.17 s, two cores had finished them all).
const SLOW = { n: 800, n_test: 50, d: 300, h: 450, num_steps: 12, optimizer: ['gd', 'adam'], lr: [0.1, 1], repeat: 8 };
const SLOW_RUNS = 32;
// The pid of MPI rank `rank` among mpirun's children (OpenMPI starts local ranks itself; each has its rank in
// OMPI_COMM_WORLD_RANK).
function rankPid(mpirunPid, rank) {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const ppid = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1];
      if (Number(ppid) !== mpirunPid) continue;
      if (fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`OMPI_COMM_WORLD_RANK=${rank}`)) return Number(pid);
    } catch { /* gone meanwhile */ }
  }
  return 0;
}

let uninterrupted = null;  // the single-machine sweep of SLOW, made once
function slowSweep() {
  const config = path.join(dir, 'slow.json');
  if (!uninterrupted) {
    fs.writeFileSync(config, JSON.stringify(SLOW));
    const whole = path.join(dir, 'slow-whole.json');
    const r = spawnSync(mpiCli, ['sweep', config, '--quiet', '--out', whole], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    assert.equal(r.status, 0, r.stderr);
    uninterrupted = fs.readFileSync(whole);
  }
  return config;
}

for (const how of ['SIGTERM to mpirun', 'SIGKILL to rank 1']) {
  test(`an mpirun sweep stopped by ${how} mid-way ends at once; resumed with and without MPI it equals the uninterrupted sweep`,
    { skip: missing || false }, async () => {
      const config = slowSweep();
      const out = path.join(dir, `slow-${how.split(' ')[0]}.json`);
      const child = spawn('mpirun', ['--oversubscribe', ...asRoot, '-n', '3', '-x', 'OMP_NUM_THREADS=1', mpiCli, 'sweep', config, '--out', out],
                          { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      const done = exited(child);
      await waitForRuns(out, 3);
      const t0 = Date.now();
      if (how.startsWith('SIGTERM')) child.kill('SIGTERM');
      else process.kill(rankPid(child.pid, 1) || assert.fail('no rank 1 among mpirun\'s children'), 'SIGKILL');
      const ended = await Promise.race([done, sleep(60000).then(() => null)]);
      if (!ended) child.kill('SIGKILL');
      assert.ok(ended, `mpirun still running 60 s after ${how}`);
      assert.notEqual(ended.code, 0, `mpirun after ${how}: ${JSON.stringify(ended)}`);
      console.log(`# ${how}: mpirun ended ${Date.now() - t0} ms later (${JSON.stringify(ended)})`);
      if (how.includes('rank 1')) assert.match(stderr, /process rank 1 .*exited on signal 9/, stderr);
      const kept = JSON.parse(fs.readFileSync(out, 'utf8'));
      assert.ok(kept.runs.length >= 3 && kept.runs.length < SLOW_RUNS, `${kept.runs.length} of ${SLOW_RUNS} runs kept`);
      assert.equal(kept.partial.runs_total, SLOW_RUNS);

      const again = path.join(dir, `slow-${how.split(' ')[0]}-mpi.json`);
      fs.copyFileSync(out, again);
      const single = spawnSync(mpiCli, ['sweep', config, '--resume', '--out', out], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
      assert.equal(single.status, 0, single.stderr);
      assert.match(single.stderr, new RegExp(`${kept.runs.length} runs kept, ${SLOW_RUNS - kept.runs.length} to run`));
      assert.ok(fs.readFileSync(out).equals(uninterrupted), `resumed without MPI after ${how} differs from the uninterrupted sweep`);
      const spread = mpirun(2, ['sweep', config, '--quiet', '--resume', '--out', again]);
      assert.equal(spread.status, 0, spread.stderr);
      assert.ok(fs.readFileSync(again).equals(uninterrupted), `resumed under mpirun -n 2 after ${how} differs from the uninterrupted sweep`);
      console.log(`# ${how}: ${kept.runs.length} of ${SLOW_RUNS} runs kept, resumed with and without MPI to the uninterrupted sweep`);
    });
}
