// `spiketail --out`: devices and symlinks survive, files are replaced whole, inputs are never overwritten,
// write errors are reported. The first test is the regression test for `npm test` replacing /dev/null.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.SPIKETAIL_CLI || path.join(root, 'build/spiketail');
const tiny = { n: 40, n_test: 20, d: 10, h: 15, num_steps: 2, top_k: 4 };

function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiketail-out-'));
  const config = path.join(dir, 'tiny.json');
  fs.writeFileSync(config, JSON.stringify(tiny));
  return { dir, config };
}

function run(args, options = {}) {
  return spawnSync(cli, args, { encoding: 'utf8', ...options });
}

const leftovers = (dir) => fs.readdirSync(dir).filter((f) => f.includes('.part'));

test('--out /dev/null writes through the device and leaves it a character device', () => {
  const { config } = scratch();
  for (const command of [['run', config], ['sweep', config]]) {
    const r = run([...command, '--quiet', '--out', '/dev/null']);
    assert.equal(r.status, 0, r.stderr);
    const info = fs.lstatSync('/dev/null');
    assert.ok(info.isCharacterDevice(), '/dev/null is no longer a character device');
  }
  assert.equal(fs.readFileSync('/dev/null').length, 0, 'reading /dev/null returns data');
});

test('--out through a symlink writes its target and keeps the link', () => {
  const { dir, config } = scratch();
  const target = path.join(dir, 'target.json'), link = path.join(dir, 'link.json');
  fs.writeFileSync(target, 'old');
  fs.symlinkSync('target.json', link);  // relative, as users make them
  const r = run(['run', config, '--quiet', '--out', link]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the symlink was replaced');
  assert.equal(JSON.parse(fs.readFileSync(target, 'utf8')).status, 'finished');
  // A link to a device is written through as well.
  const devLink = path.join(dir, 'null-link');
  fs.symlinkSync('/dev/null', devLink);
  assert.equal(run(['run', config, '--quiet', '--out', devLink]).status, 0);
  assert.ok(fs.lstatSync(devLink).isSymbolicLink());
  assert.ok(fs.lstatSync('/dev/null').isCharacterDevice());
  // A dangling link creates its target.
  const dangling = path.join(dir, 'dangling');
  fs.symlinkSync('created.json', dangling);
  assert.equal(run(['run', config, '--quiet', '--out', dangling]).status, 0);
  assert.ok(fs.lstatSync(dangling).isSymbolicLink());
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'created.json'), 'utf8')).status, 'finished');
  assert.deepEqual(leftovers(dir), []);
});

test('--out to a FIFO writes through it', () => {
  const { dir, config } = scratch();
  const fifo = path.join(dir, 'fifo');
  if (spawnSync('mkfifo', [fifo]).status !== 0) return;  // no mkfifo: nothing to test here
  // The shell reads the FIFO into a file while the CLI writes it.
  const r = spawnSync('sh', ['-c', `cat "${fifo}" > "${dir}/read.json" & "${cli}" run "${config}" --quiet --out "${fifo}"; s=$?; wait; exit $s`],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fs.lstatSync(fifo).isFIFO());
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'read.json'), 'utf8')).status, 'finished');
});

test('a regular file is replaced whole, keeps its permissions, and leaves no temporary', () => {
  const { dir, config } = scratch();
  const out = path.join(dir, 'out.json');
  fs.writeFileSync(out, 'previous');
  fs.chmodSync(out, 0o640);
  assert.equal(run(['run', config, '--quiet', '--out', out]).status, 0);
  assert.equal(fs.statSync(out).mode & 0o777, 0o640);
  assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).probes.length, tiny.num_steps + 1);  // probe_every 1: steps 0, 1, 2
  assert.deepEqual(leftovers(dir), []);
});

test('--out naming the config itself is refused and the config is kept', () => {
  const { config } = scratch();
  const before = fs.readFileSync(config, 'utf8');
  const r = run(['run', config, '--quiet', '--out', config]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /is the input/);
  assert.equal(fs.readFileSync(config, 'utf8'), before);
});

test('a directory or a missing folder at --out is an output error (exit 1) naming the path', () => {
  const { dir, config } = scratch();
  let r = run(['run', config, '--quiet', '--out', dir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot write .*: it is a directory/);
  r = run(['run', config, '--quiet', '--out', path.join(dir, 'no/such/dir/out.json')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot write .*no\/such\/dir/);
});

test('stdout on a full device is an output error, not a silent exit 0', { skip: !fs.existsSync('/dev/full') }, () => {
  const { config } = scratch();
  const full = fs.openSync('/dev/full', 'w');
  try {
    const r = spawnSync(cli, ['run', config, '--quiet'], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot write stdout/);
  } finally {
    fs.closeSync(full);
  }
  const r = spawnSync(cli, ['run', config, '--quiet', '--out', '/dev/full'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.ok(fs.lstatSync('/dev/full').isCharacterDevice());
});
