// No lost work and no damage when the CLI is killed (issue 9): a sweep keeps every run finished before
// SIGINT/SIGTERM/SIGHUP in its --out file (a valid, partial sweep document); SIGKILL at any moment leaves the
// previous file or a valid document, never a truncated one, and never a temporary; a killed `run` leaves the
// previous file as it was; two processes writing the same --out both succeed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { exited, sleep, waitForRuns } from './helpers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.SPIKETAIL_CLI || path.join(root, 'build/spiketail');
// 16 runs of about a quarter of a second each.
const SWEEP = { n: 800, n_test: 50, d: 300, h: 450, num_steps: 6, optimizer: ['gd', 'adam'], lr: [0.1, 1], repeat: 4 };
const PREVIOUS = '{"previous": true}\n';

function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiketail-kill-'));
  const config = path.join(dir, 'sweep.json');
  fs.writeFileSync(config, JSON.stringify(SWEEP));
  const out = path.join(dir, 'out.json');
  fs.writeFileSync(out, PREVIOUS);
  return { dir, config, out };
}

const leftovers = (dir) => fs.readdirSync(dir).filter((f) => f.includes('.part'));

function readDocument(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (text === PREVIOUS) return null;
  return JSON.parse(text);  // throws on a truncated file
}

// The uninterrupted sweep the kept runs are compared with: computed once for the three signals (under the
// sanitizers, scripts/test-sanitizers.sh, each sweep takes a minute).
let wholeDocument = null;
function wholeSweep(config) {
  wholeDocument ??= JSON.parse(spawnSync(cli, ['sweep', config, '--quiet'], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout);
  return wholeDocument;
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  test(`sweep stopped by ${signal} keeps every finished run in --out and leaves no temporary`, async () => {
    const { dir, config, out } = scratch();
    const child = spawn(cli, ['sweep', config, '--quiet', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const done = exited(child);
    await waitForRuns(out, 2);
    child.kill(signal);
    const { signal: how } = await done;
    const { code } = await done;
    assert.equal(how, signal, `ended by ${signal}, got code ${code} (stderr: ${stderr})`);
    const doc = readDocument(out);
    const total = SWEEP.optimizer.length * SWEEP.lr.length * SWEEP.repeat;
    assert.ok(doc.runs.length >= 2 && doc.runs.length < total, `${doc.runs.length} runs kept of ${total}`);
    for (const run of doc.runs) assert.ok(['finished', 'diverged'].includes(run.status) && run.probes.length > 0);
    assert.deepEqual(doc.config.lr, SWEEP.lr);
    assert.deepEqual(leftovers(dir), []);
    // The kept runs are the same runs a whole sweep computes (same config, same numbers).
    const reference = wholeSweep(config);
    for (const run of doc.runs) {
      const same = reference.runs.find((r) => r.optimizer === run.optimizer && r.lr === run.lr && r.repeat === run.repeat);
      assert.deepEqual(run, same);
    }
    console.log(`# ${signal}: ${doc.runs.length} of ${total} runs kept`);
  });
}

test('SIGKILL at any moment leaves the previous file or a whole document, and no temporary', async () => {
  const { dir, out } = scratch();
  const config = path.join(dir, 'big.json');
  // Larger documents (every eigenvalue of every probe) make the moments of writing longer.
  fs.writeFileSync(config, JSON.stringify({ ...SWEEP, n: 200, num_steps: 2 }));
  let documents = 0;
  for (let i = 0; i < 12; i++) {
    const child = spawn(cli, ['sweep', config, '--quiet', '--eigenvalues', '--out', out], { stdio: 'ignore' });
    const done = exited(child);
    await sleep(100 + Math.floor(Math.random() * 1500));
    child.kill('SIGKILL');
    await done;
    const doc = readDocument(out);  // throws if truncated
    if (doc) documents++;
    assert.deepEqual(leftovers(dir), [], `kill ${i}`);
  }
  console.log(`# SIGKILL x12: the file was a whole document ${documents} times, the previous one otherwise`);
});

test('a run killed before its end leaves the previous file as it was', async () => {
  const { dir, out } = scratch();
  const config = path.join(dir, 'run.json');
  fs.writeFileSync(config, JSON.stringify({ n: 1500, d: 600, h: 900, num_steps: 50 }));
  for (const signal of ['SIGTERM', 'SIGKILL']) {
    const child = spawn(cli, ['run', config, '--quiet', '--out', out], { stdio: 'ignore' });
    const done = exited(child);
    await sleep(500);
    child.kill(signal);
    assert.equal((await done).signal, signal);
    assert.equal(fs.readFileSync(out, 'utf8'), PREVIOUS);
    assert.deepEqual(leftovers(dir), []);
  }
});

test('two processes writing the same --out both succeed and leave one whole document', async () => {
  const { dir, out } = scratch();
  const config = path.join(dir, 'small.json');
  fs.writeFileSync(config, JSON.stringify({ ...SWEEP, repeat: 1 }));
  const a = spawn(cli, ['sweep', config, '--quiet', '--out', out], { stdio: 'ignore' });
  const b = spawn(cli, ['sweep', config, '--quiet', '--out', out], { stdio: 'ignore' });
  const [ra, rb] = await Promise.all([exited(a), exited(b)]);
  assert.equal(ra.code, 0);
  assert.equal(rb.code, 0);
  assert.equal(readDocument(out).runs.length, 4);
  assert.deepEqual(leftovers(dir), []);
});
