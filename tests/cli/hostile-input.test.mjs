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

test('YAML: a recursive alias is refused, not a SIGSEGV', () => {
  refused(['run', write('recursive-list.yml', 'a: &a [*a]\n')], [/recursive-list\.yml: a: anchors .*aliases .*line 1, column 4/]);
  refused(['run', write('recursive-map.yml', '&a {x: *a}\n')], [/yaml: anchors .*line 1/]);
});

test('YAML: a "billion laughs" document is refused, not std::bad_alloc', () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']])
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  refused(['run', write('laughs.yml', lines.join('\n') + '\n')], [/anchors .*line 1, column 4/]);
});

test('YAML: a 50 MB list under an unknown key is refused at once on its size', () => {
  const file = path.join(dir, 'big.yml');
  fs.writeFileSync(file, 'unknown_key:\n' + '- 1\n'.repeat(13_000_000));
  const start = Date.now();
  refused(['run', file], [/big\.yml: .*4194304 bytes \(4 MiB\)/]);
  assert.ok(Date.now() - start < 5000, 'refused within 5 s');
  fs.rmSync(file);
  // Within the size, the node count: 300,000 list items.
  refused(['run', write('many.yml', 'unknown_key:\n' + '- 1\n'.repeat(300_000))], [/yaml: more than 100000 nodes/]);
});

test('YAML: a second document is refused, not ignored', () => {
  refused(['run', write('two.yml', 'n: 100\n---\nn: 200\n')], [/yaml: a second YAML document .*line 2, column 1/]);
});

test('YAML: a duplicate key is refused naming the key and both positions', () => {
  refused(['run', write('dup.yml', 'n: -1\nd: 10\nn: 200\n')],
    [/dup\.yml: n: duplicate key: at line 1, column 1 and again at line 3, column 1/]);
  refused(['run', write('dup-kwargs.yml', 'lr_scheduler_cls: StepLR\nlr_scheduler_kwargs:\n  step_size: 1\n  step_size: 2\n')],
    [/lr_scheduler_kwargs\.step_size: duplicate key: at line 3, column 3 and again at line 4, column 3/]);
});

test('YAML: num_epochs that overflows the steps is refused naming num_epochs', () => {
  refused(['run', write('epochs.yml', 'num_epochs: 9223372036854775807\nn: 2000\nbatch_size: 1\n')],
    [/num_epochs: .*more than the 2147483647 steps a run can take/]);
  refused(['run', write('epochs2.yml', 'num_epochs: 1073741824\nn: 2000\nbatch_size: 1000\n')], [/num_epochs: /]);
});

test('YAML: repeat 0 or -1 given to run is refused, not ignored', () => {
  for (const value of ['0', '-1']) refused(['run', write(`repeat${value}.yml`, `repeat: ${value}\n`)], [/repeat: .*>= 1/]);
  refused(['sweep', write('repeat-sweep.yml', 'repeat: 0\nlr: [1, 2]\n')], [/repeat: /]);
});

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
  refused(['run', '/dev/zero'], [/\/dev\/zero: .*4 MiB/]);
});

test('an empty config or a directory is refused, not run with the defaults', () => {
  const empty = /CONFIG is empty; `spiketail run` without CONFIG runs the study's defaults/;
  refused(['run', '/dev/null'], [/\/dev\/null: /, empty]);
  refused(['run', '-'], [/-: /, empty], { input: '' });
  refused(['run', write('blank.json', ' \n\t\n')], [empty]);
  refused(['run', write('blank.yml', '\n\n')], [empty]);
  refused(['sweep', write('empty-sweep.json', '')], [empty]);
  refused(['run', write('comments.yml', '# nothing but a comment\n')], [/config: the YAML document has no keys/]);
  const sub = path.join(dir, 'a-directory');
  fs.mkdirSync(sub);
  refused(['run', sub], [/a-directory: is a directory/]);
  refused(['sweep', sub], [/a-directory: is a directory/]);
});

test('sweeps: repeat 1e9 or 2^31-1 is refused with a message, not std::bad_alloc', () => {
  refused(['sweep', write('repeat-1e9.json', '{"repeat": 1000000000}')],
    [/repeat: the sweep has 1000000000 runs .*more than the limit of 100000 runs/]);
  refused(['sweep', write('repeat-max.json', '{"repeat": 2147483647, "lr": [1, 10]}')], [/repeat: the sweep has 4294967294 runs/]);
  refused(['sweep', write('repeat-yaml.yml', 'repeat: 1000000000\nnum_epochs: 1\n')], [/repeat: .*limit of 100000 runs/]);
});

test('sweeps: 10^6 learning rates or vary values are refused at once', () => {
  const million = JSON.stringify(Array(1_000_000).fill(0.5));
  const start = Date.now();
  refused(['sweep', write('lrs.json', `{"lr": ${million}}`)], [/lr: lists 1000000 entries, more than the limit of 10000/]);
  refused(['sweep', write('values.json', `{"vary": {"reg_lambda": ${million}}}`)], [/vary\.reg_lambda: lists 1000000 entries/]);
  refused(['sweep', write('lrs-repeat.json', `{"lr": ${JSON.stringify(Array(10_000).fill(0.5))}, "repeat": 11}`)],
    [/lr: the sweep has 110000 runs/]);
  assert.ok(Date.now() - start < 10000, 'refused within 10 s');
});

test('sweeps: --max-runs N sets the limit of runs, within 1 ... 10,000,000', () => {
  const tiny = { n: 8, n_test: 4, d: 4, h: 4, top_k: 2, num_steps: 1, repeat: 3 };
  const file = write('tiny-sweep.json', JSON.stringify(tiny));
  refused(['sweep', file, '--max-runs', '2'], [/repeat: the sweep has 3 runs .*more than the limit of 2 runs/]);
  const result = spiketail(['sweep', file, '--max-runs', '3']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).runs.length, 3);
  for (const value of ['0', '-1', '10000001', '1e5', 'many'])
    refused(['sweep', file, `--max-runs=${value}`], [/--max-runs.*needs an integer from 1 to 10000000/]);
  refused(['run', write('tiny-run.json', '{"n": 8}'), '--max-runs', '5'], [/--max-runs/]);
});
