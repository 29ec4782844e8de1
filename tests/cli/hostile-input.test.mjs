// Hostile input to the CLI's parsers (issue 9): every bad config is refused with exit status 2 and one stderr
// line that names the field or the position — never a crash (a signal), a hang (each call has a timeout), an
// exit status other than 2, or a run of the defaults. The parser functions themselves are tested in
// tests/core/test_hostile_input.cpp; here the whole command, from the file to the exit status.
//
// SPIKETAIL_CLI overrides the binary (default build/spiketail, built by scripts/build-native.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.SPIKETAIL_CLI ? path.resolve(process.env.SPIKETAIL_CLI) : path.join(root, 'build/spiketail');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiketail-hostile-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const k_timeout_ms = 20000;  // every refusal below takes well under a second

function write(name, text) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

// Runs the CLI; fails on a timeout (a hang) or a signal (a crash).
function spiketail(args, { input } = {}) {
  const result = spawnSync(cli, [...args, '--quiet'], {
    input: input ?? '', encoding: 'utf8', timeout: k_timeout_ms, maxBuffer: 64 << 20,
  });
  assert.ok(!(result.error && result.error.code === 'ETIMEDOUT'), `spiketail ${args.join(' ')}: no answer within ${k_timeout_ms} ms`);
  assert.equal(result.error, undefined, `spiketail ${args.join(' ')}: ${result.error}`);
  assert.equal(result.signal, null, `spiketail ${args.join(' ')} was killed by ${result.signal}: ${result.stderr}`);
  return result;
}

// Exit status 2, nothing on stdout, one line on stderr that matches every pattern.
function refused(args, patterns, options) {
  const result = spiketail(args, options);
  assert.equal(result.status, 2, `spiketail ${args.join(' ')}: exit ${result.status}, stderr: ${result.stderr}`);
  assert.equal(result.stdout, '', 'a refused config writes no document');
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got: ${result.stderr}`);
  for (const pattern of patterns) assert.match(lines[0], pattern);
  return lines[0];
}

test('JSON: a duplicate key is refused naming the key and both positions, at any level', () => {
  refused(['run', write('dup.json', '{"n": -1, "n": 200}')], [/dup\.json: n: duplicate key: at line 1, column 2 and again at line 1, column 11/]);
  refused(['run', write('dup-scheduler.json', '{"lr_scheduler": {"step_size": 1,\n "step_size": 2}}')],
    [/lr_scheduler\.step_size: duplicate key: at line 1, column 19 and again at line 2, column 2/]);
  refused(['sweep', write('dup-vary.json', '{"vary": {"n": [500], "n": [2000]}}')], [/vary\.n: duplicate key/]);
  // A config given on stdin goes the same way.
  refused(['run', '-'], [/-: n: duplicate key/], { input: '{"n": 1, "n": 2}' });
});

test('JSON: a number beyond double\'s range names its field', () => {
  refused(['run', write('overflow.json', '{"lr": 1e999}')], [/overflow\.json: lr: number overflow: 1e999 .*line 1, column 8/]);
  refused(['sweep', write('overflow-list.json', '{"lr": [1, -1e999]}')], [/lr\[1\]: number overflow/]);
  refused(['sweep', write('overflow-vary.json', '{"vary": {"reg_lambda": [1e400]}}')], [/vary\.reg_lambda\[0\]: number overflow/]);
});

test('JSON: nesting and size are bounded', () => {
  refused(['run', write('deep.json', '['.repeat(100000) + ']'.repeat(100000))], [/json: nested deeper than 64/]);
  refused(['run', write('deep-key.json', '{"n": ' + '['.repeat(1000) + ']'.repeat(1000) + '}')], [/: n: nested deeper than 64/]);
});
