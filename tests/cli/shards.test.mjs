// Sweeps beyond one machine (issue 13; docs/cluster.md): shards merged equal the single-machine sweep byte for
// byte; merge refuses a duplicate with different numbers naming the run, lists a missing run with exit status 3,
// keeps the finished copy of a run that ended in error in another part;
// a sweep stopped by SIGTERM, or killed by SIGKILL, and resumed equals the uninterrupted one; --resume refuses a
// file of another sweep. SPIKETAIL_CLI overrides the binary (default build/spiketail).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { exited, waitForRuns } from './helpers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.SPIKETAIL_CLI || path.join(root, 'build/spiketail');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiketail-shards-'));
// 12 runs whose costs differ (n varies), small enough for a second or two in all.
const SWEEP = { n_test: 40, d: 60, h: 90, num_steps: 3, optimizer: ['gd', 'adam'], lr: [0.1, 10], repeat: 1,
                vary: { n: [60, 120, 240] }, seed: 3 };
// 16 runs of about a quarter of a second each, for the kills.
const SLOW = { n: 800, n_test: 50, d: 300, h: 450, num_steps: 6, optimizer: ['gd', 'adam'], lr: [0.1, 1], repeat: 4 };

function write(name, value) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}
function spiketail(args) {
  return spawnSync(cli, args, { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, OMP_NUM_THREADS: '1' } });
}
function ok(args) {
  const r = spiketail(args);
  assert.equal(r.status, 0, `spiketail ${args.join(' ')}: ${r.stderr}`);
  return r;
}
function assertSameBytes(a, b, what) {
  if (a.equals(b)) return;
  let i = 0;
  while (i < a.length && a[i] === b[i]) ++i;
  assert.fail(`${what}: files differ from byte ${i}: …${a.subarray(Math.max(0, i - 60), i + 40)}… vs …${b.subarray(Math.max(0, i - 60), i + 40)}…`);
}

const config = write('sweep.json', SWEEP);
const whole = path.join(dir, 'whole.json');
ok(['sweep', config, '--quiet', '--eigenvalues', '--out', whole]);
const wholeBytes = fs.readFileSync(whole);
const parts = [1, 2, 3].map((k) => path.join(dir, `part-${k}.json`));

test('shards 1/3, 2/3, 3/3 are disjoint partial documents, and merged they are the unsharded sweep byte for byte', () => {
  const indices = [];
  for (const [k, part] of parts.entries()) {
    ok(['sweep', config, '--quiet', '--eigenvalues', '--shard', `${k + 1}/3`, '--out', part]);
    const doc = JSON.parse(fs.readFileSync(part, 'utf8'));
    assert.deepEqual(Object.keys(doc), ['config', 'partial', 'runs']);
    assert.deepEqual(doc.partial.shard, { index: k + 1, count: 3 });
    assert.equal(doc.partial.runs_total, 12);
    assert.equal(doc.partial.record, 'eigenvalues');
    assert.equal(doc.partial.run_indices.length, doc.runs.length);
    assert.ok(doc.runs.length >= 2, `shard ${k + 1} holds ${doc.runs.length} runs`);
    indices.push(...doc.partial.run_indices);
  }
  assert.deepEqual(indices.sort((a, b) => a - b), [...Array(12).keys()], 'every run in exactly one shard');
  assert.deepEqual(Object.keys(JSON.parse(wholeBytes)), ['config', 'runs'], 'a complete sweep has no partial object');
  const merged = path.join(dir, 'merged.json');
  // Given in any order, with one part twice (identical duplicates are kept once).
  const r = ok(['merge', parts[2], parts[0], parts[1], parts[0], '--out', merged]);
  assert.match(r.stderr, /12 of 12 runs, \d+ duplicates kept once/);
  assertSameBytes(fs.readFileSync(merged), wholeBytes, 'merged shards vs unsharded sweep');
});

test('merge: a run that differs between parts is an error naming it; a missing run is listed with exit status 3', () => {
  const text = fs.readFileSync(parts[0], 'utf8');
  const doc = JSON.parse(text);
  // One number changed in the text (JSON.stringify would also rewrite 10.0 as 10, the same number).
  const loss = doc.runs[0].probes[0].train_loss;
  const bad = write('changed.json', text.replace(`"train_loss":${JSON.stringify(loss)}`, `"train_loss":${loss * 1.5}`));
  assert.notEqual(fs.readFileSync(bad, 'utf8'), text);
  const r = spiketail(['merge', parts[0], bad, parts[1], parts[2], '--out', path.join(dir, 'bad.json')]);
  assert.equal(r.status, 2, r.stderr);
  const i = doc.partial.run_indices[0];
  assert.match(r.stderr, new RegExp(`changed\\.json: run ${i} \\(.*\\) differs from the one in .*part-1\\.json \\(probes\\[0\\]\\.train_loss: `));
  assert.equal(r.stderr.trim().split('\n').length, 1, 'one run changed, one error');

  const partial = path.join(dir, 'partial.json');
  const m = spiketail(['merge', parts[0], parts[2], '--out', partial]);
  assert.equal(m.status, 3, m.stderr);
  const missing = JSON.parse(fs.readFileSync(parts[1], 'utf8')).partial.run_indices;
  assert.match(m.stderr, new RegExp(`${missing.length} runs missing:`));
  for (const k of missing) assert.match(m.stderr, new RegExp(`\\n  run ${k} \\(`));
  const written = JSON.parse(fs.readFileSync(partial, 'utf8'));
  assert.equal(written.partial.shard, null);
  assert.equal(written.runs.length, 12 - missing.length);
  assert.equal(spiketail(['merge', parts[0], parts[2], '--allow-missing', '--quiet', '--out', partial]).status, 0);

  // The merged partial document resumes: the missing runs are computed, the result is the whole sweep.
  ok(['sweep', config, '--quiet', '--eigenvalues', '--resume', '--out', partial]);
  assertSameBytes(fs.readFileSync(partial), wholeBytes, 'merged partial + --resume vs whole');
});

test('merge: a run in error in one part and finished in another keeps the finished copy, with a note, in either order', () => {
  // The part's first run made an error in its text (the file has a run a line), the others left as written.
  const text = fs.readFileSync(parts[0], 'utf8');
  const doc = JSON.parse(text);
  const i = doc.partial.run_indices[0];
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trimStart().startsWith('{"optimizer"'));
  const run = JSON.parse(lines[at].trim().replace(/,$/, ''));
  lines[at] = lines[at].replace(/\{.*\}/, JSON.stringify({ ...run, status: 'error', message: 'the run failed: std::bad_alloc', probes: [] }));
  const failed = write('failed.json', lines.join('\n'));
  assert.equal(JSON.parse(fs.readFileSync(failed, 'utf8')).runs[0].status, 'error');
  for (const order of [[failed, ...parts], [...parts, failed]]) {
    const out = path.join(dir, 'with-error.json');
    const r = spiketail(['merge', ...order, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`note: run ${i} \\(.*\\) ended in error in .*failed\\.json \\(the run failed: std::bad_alloc\\); kept the finished copy of .*part-1\\.json`));
    assertSameBytes(fs.readFileSync(out), wholeBytes, 'merged with a copy in error vs whole');
  }
  // Alone, the copy in error is the run's result (as the sweep wrote it); --resume runs it again.
  const alone = path.join(dir, 'alone.json');
  assert.equal(spiketail(['merge', failed, parts[1], parts[2], '--quiet', '--out', alone]).status, 0);
  assert.equal(JSON.parse(fs.readFileSync(alone, 'utf8')).runs[i].status, 'error');
  const r = ok(['sweep', config, '--eigenvalues', '--resume', '--out', alone]);
  assert.match(r.stderr, /11 runs kept, 1 to run/);
  assertSameBytes(fs.readFileSync(alone), wholeBytes, 'a run in error resumed vs whole');
});

test('merge and --resume refuse a document of another sweep or another record, naming it', () => {
  const other = write('other.json', { ...SWEEP, seed: 4 });
  const otherOut = path.join(dir, 'other-out.json');
  ok(['sweep', other, '--quiet', '--eigenvalues', '--shard', '1/3', '--out', otherOut]);
  const m = spiketail(['merge', parts[0], otherOut]);
  assert.equal(m.status, 2);
  assert.match(m.stderr, /other-out\.json: belongs to another sweep \(sweep_id [0-9a-f]{16}; .*part-1\.json's is [0-9a-f]{16}\)/);
  const r = spiketail(['sweep', config, '--quiet', '--eigenvalues', '--resume', '--out', otherOut]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--resume: .*other-out\.json: belongs to another sweep/);
  const plain = spiketail(['sweep', config, '--quiet', '--resume', '--out', parts[0]]);
  assert.equal(plain.status, 2);
  assert.match(plain.stderr, /recorded as "eigenvalues", not "default"/);
  assert.equal(spiketail(['sweep', config, '--resume']).status, 2, '--resume without --out is a usage error');
});

for (const signal of ['SIGTERM', 'SIGKILL']) {
  test(`a sweep killed by ${signal} mid-way and resumed equals the uninterrupted sweep`, async () => {
    const slow = write(`slow-${signal}.json`, SLOW);
    const out = path.join(dir, `slow-${signal}.out.json`);
    const child = spawn(cli, ['sweep', slow, '--quiet', '--out', out], { stdio: 'ignore', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    const done = exited(child);
    await waitForRuns(out, 3);
    child.kill(signal);
    assert.equal((await done).signal, signal);
    const kept = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.ok(kept.runs.length >= 3 && kept.runs.length < 16, `${kept.runs.length} of 16 runs kept`);
    assert.equal(kept.partial.runs_total, 16, 'a progress save carries the partial identity');
    const r = ok(['sweep', slow, '--resume', '--out', out]);
    assert.match(r.stderr, new RegExp(`${kept.runs.length} runs kept, ${16 - kept.runs.length} to run`));
    const uninterrupted = path.join(dir, `slow-${signal}.whole.json`);
    ok(['sweep', slow, '--quiet', '--out', uninterrupted]);
    assertSameBytes(fs.readFileSync(out), fs.readFileSync(uninterrupted), `resumed after ${signal} vs uninterrupted`);
    console.log(`# ${signal}: ${kept.runs.length} of 16 runs kept, the rest resumed`);
  });
}
