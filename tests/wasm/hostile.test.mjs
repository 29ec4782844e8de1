// Hostile input to the wasm API (issue 9): every entry point checks its arguments and answers with a status or
// a thrown Error whose message names the argument, never a bare number (a C++ exception's address) and never
// a silent 0; a refused call allocates nothing, so thousands of them leave the heap as it was and a valid call
// still works. The regression cases of the campaign's findings, then a sweep of bad values over every entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule } from './module.mjs';

const M = await loadModule();
const SMALL = { n: 60, n_test: 30, d: 20, h: 30, num_steps: 5, seed: 7 };
const REPEATS = 2000;

// The linear memory's size (it never shrinks, so growth is what a leak shows) and the live emval handles.
const heapBytes = () => M.HEAP8.length;
const handles = () => M.count_emval_handles();

// A thrown JS Error (not a number), of the given class, whose message matches.
function throwsError(call, type, pattern) {
  let thrown;
  try {
    call();
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown !== undefined, 'expected a throw');
  assert.ok(thrown instanceof Error, `expected an Error, got ${typeof thrown} ${String(thrown)}`);
  if (type) assert.equal(thrown.name, type, thrown.message);
  if (pattern) assert.match(thrown.message, pattern);
  return thrown;
}

// Runs `refuse` (which asserts its own refusal) REPEATS times after a warm-up; the heap must not grow and no
// emval handle may be left behind.
function refusedRepeatedly(refuse, repeats = REPEATS) {
  refuse();  // the first call may set up what every later one reuses
  const heap0 = heapBytes(), handles0 = handles();
  for (let i = 0; i < repeats; i++) refuse();
  assert.equal(heapBytes(), heap0, `the heap grew by ${heapBytes() - heap0} bytes over ${repeats} refused calls`);
  assert.equal(handles(), handles0, 'emval handles leaked');
}

function validCallsStillWork() {
  const s = new M.Session(JSON.stringify(SMALL));
  assert.equal(s.ok(), true);
  const run = JSON.parse(s.runToEnd(false, null));
  s.delete();
  assert.equal(run.status, 'finished');
  assert.equal(run.probes.at(-1).step, SMALL.num_steps);
  const h = JSON.parse(M.histogram(new Float64Array([0, 1, 1, 2]), 2, 0, 2));
  assert.deepEqual(h.density, [0.25, 0.75]);
  assert.equal(JSON.parse(M.analyzeMatrix(new Float32Array([3, 0, 0, 4, 0, 0]), 3, 2)).ok, true);
  assert.equal(JSON.parse(M.expandSweep(JSON.stringify({ ...SMALL, repeat: 2 }))).runs.length, 2);
}

test('histogram: 1e9 bins is a RangeError naming bins, 2,000 of them leave the heap as it was', () => {
  const values = new Float64Array(1 << 16).map((_, i) => i);  // a copy of these would be 512 KB a call
  for (const bins of [1e9, 1e6 + 1, 0, -3, 2.5, Infinity])
    throwsError(() => M.histogram(values, bins, 0, 1), 'RangeError', /^histogram: bins must be an integer in 1\.\.1000000/);
  refusedRepeatedly(() => throwsError(() => M.histogram(values, 1e9, 0, 1), 'RangeError', /bins/));
  assert.equal(JSON.parse(M.histogram(values, 1e6, 0, 1)).density.length, 1e6, 'the cap itself is allowed');
  validCallsStillWork();
});

test('histogram and mpDensity: NaN or infinite parameters throw, naming the parameter', () => {
  const x = new Float64Array([1, 2, 3]);
  throwsError(() => M.histogram(x, NaN, 0, 1), 'TypeError', /bins .*got NaN/);
  throwsError(() => M.histogram(x, 10, NaN, 1), 'TypeError', /lo must be a finite number \(got NaN\)/);
  throwsError(() => M.histogram(x, 10, 0, Infinity), 'RangeError', /hi must be a finite number \(got Infinity\)/);
  throwsError(() => M.histogram(x, 10, -Infinity, 0), 'RangeError', /lo .*-Infinity/);
  throwsError(() => M.histogram([1, 2, 3], 10, 0, 1), 'TypeError', /values must be a typed array .*got an Array/);
  throwsError(() => M.histogram(null, 10, 0, 1), 'TypeError', /values .*got null/);
  throwsError(() => M.mpDensity(x, NaN, 100, 1), 'TypeError', /^mpDensity: rows must be a finite number > 0 \(got NaN\)/);
  throwsError(() => M.mpDensity(x, 200, Infinity, 1), 'RangeError', /cols .*Infinity/);
  throwsError(() => M.mpDensity(x, 200, 100, 0), 'RangeError', /variance must be a finite number > 0 \(got 0\)/);
  throwsError(() => M.mpDensity(x, 200, 100, -1), 'RangeError', /variance/);
  throwsError(() => M.mpDensity(new Float64Array([1, NaN]), 200, 100, 1), 'TypeError', /x\[1\] is NaN/);
  throwsError(() => M.mpDensity('1,2', 200, 100, 1), 'TypeError', /x must be a typed array .*got a string/);
  // Outside the support (infinities included) the density is 0, a value, not an error.
  assert.deepEqual([...M.mpDensity(new Float64Array([-Infinity, 0, Infinity]), 200, 100, 1)], [0, 0, 0]);
  refusedRepeatedly(() => throwsError(() => M.mpDensity(x, NaN, 100, 1), 'TypeError'));
  refusedRepeatedly(() => throwsError(() => M.histogram(x, 10, NaN, 1), 'TypeError'));
});

test('weightFigure takes no bin count: an argument is a BindingError, and the figure has 60 bins', () => {
  const s = new M.Session(JSON.stringify(SMALL));
  refusedRepeatedly(() => throwsError(() => s.weightFigure(1e9), null, /weightFigure called with 1 arguments, expected 0/));
  const f = JSON.parse(s.weightFigure());
  assert.equal(f.edges.length, 61);
  assert.equal(f.current.length, 60);
  s.delete();
});

test('expandSweep: repeat 1e9, 1e7 and 2^31-1 are refused before expanding, with a message, and the module lives on', () => {
  for (const repeat of [1e9, 1e7, 2 ** 31 - 1]) {
    const t0 = performance.now();
    const out = JSON.parse(M.expandSweep(JSON.stringify({ ...SMALL, repeat })));
    assert.ok(performance.now() - t0 < 1000, 'refused at once, not after expanding');
    assert.equal(out.ok, false);
    assert.deepEqual(out.runs, []);
    assert.equal(out.errors[0].field, 'repeat');
    assert.match(out.errors[0].message, /runs/);
  }
  // 10^6 learning rates: refused at once too.
  const lrs = Array.from({ length: 1e6 }, (_, i) => 1e-3 * (i + 1));
  const t0 = performance.now();
  const many = JSON.parse(M.expandSweep(JSON.stringify({ ...SMALL, lr: lrs })));
  console.log(`# 10^6 learning rates refused in ${Math.round(performance.now() - t0)} ms: ${many.errors[0].field}: ${many.errors[0].message}`);
  assert.equal(many.ok, false);
  assert.deepEqual(many.runs, []);
  const doc = JSON.stringify({ ...SMALL, repeat: 1e9 });
  refusedRepeatedly(() => assert.equal(JSON.parse(M.expandSweep(doc)).ok, false));
  throwsError(() => M.expandSweep({ repeat: 2 }), 'TypeError', /^expandSweep: sweepJson must be a string of JSON \(got an Object\)/);
  validCallsStillWork();
});

test('analyzeMatrix: a matrix above the memory cap is refused from its shape, before anything is copied', () => {
  // 20000 x 20000 needs ~10 GB: refused with the cap in the message, whatever the array holds.
  const small = new Float32Array(4);
  const out = JSON.parse(M.analyzeMatrix(small, 20000, 20000));
  assert.equal(out.ok, false);
  assert.match(out.error, /20000 x 20000 matrix needs about [\d.]+ GB to analyse, above the cap of 2\.00 GB/);
  // Just above the cap: 16400 x 16400 needs 8 x 16400² bytes (W and its Gram in float) + the reduction's work
  // = 2.18 GB. (The analysis needs about twice the matrix, so a matrix whose analysis is over the cap is itself
  // over 1 GB: the shape alone is refused here, before the length is compared.)
  assert.equal(JSON.parse(M.analyzeMatrix(small, 16400, 16400)).ok, false);
  refusedRepeatedly(() => assert.equal(JSON.parse(M.analyzeMatrix(small, 16400, 16400)).ok, false));
  refusedRepeatedly(() => assert.equal(JSON.parse(M.analyzeMatrix(small, 20000, 20000)).ok, false));
  // Shapes that are not counts throw.
  throwsError(() => M.analyzeMatrix(small, NaN, 2), 'TypeError', /^analyzeMatrix: rows must be an integer/);
  throwsError(() => M.analyzeMatrix(small, 2, -2), 'RangeError', /cols must be an integer in 1\.\.2147483647 \(got -2\)/);
  throwsError(() => M.analyzeMatrix(small, 2, 1.5), 'RangeError', /cols/);
  throwsError(() => M.analyzeMatrix([1, 2, 3, 4], 2, 2), 'TypeError', /values must be a typed array/);
  refusedRepeatedly(() => throwsError(() => M.analyzeMatrix(small, 2, -2), 'RangeError'));
  // Data that does not fit the shape, or is not finite, stays a status.
  assert.equal(JSON.parse(M.analyzeMatrix(new Float32Array(3), 2, 2)).ok, false);
  assert.match(JSON.parse(M.analyzeMatrix(new Float32Array([1, NaN, 0, 1]), 2, 2)).error, /non-finite/);
  validCallsStillWork();
});

test('analyzeMatrix returns the spectral fields only: no step, lr, losses, kta or sim_w_beta', () => {
  const out = JSON.parse(M.analyzeMatrix(new Float32Array([3, 0, 0, 4, 0, 0]), 3, 2));
  assert.equal(out.ok, true);
  for (const training of ['step', 'lr', 'train_loss', 'test_loss', 'kta', 'sim_w_beta'])
    assert.ok(!(training in out), `${training} must not be in the answer`);
  for (const spectral of ['alpha_hill', 'spectral_norm', 'frobenius_norm', 'stable_rank', 'num_spikes', 'mp_upper', 'eigenvalues'])
    assert.ok(spectral in out, `${spectral} is missing`);
  assert.equal(out.spectral_norm, 16);
  assert.equal(out.frobenius_norm, 25);
});

test('step: negative, NaN or fractional k throws; k beyond the budget takes the rest; 1e10 is not 1,410,065,408 steps', () => {
  const s = new M.Session(JSON.stringify(SMALL));
  throwsError(() => s.step(-1), 'RangeError', /^Session\.step: k must be an integer >= 0 \(got -1\)/);
  throwsError(() => s.step(NaN), 'TypeError', /k .*got NaN/);
  throwsError(() => s.step('three'), 'TypeError', /k .*got NaN/);
  throwsError(() => s.step(1.5), 'RangeError', /got 1\.5/);
  throwsError(() => s.step(-Infinity), 'RangeError', /got -Infinity/);
  assert.equal(s.stepCount(), 0, 'a refused step takes none');
  assert.equal(s.step(0), 0);
  assert.equal(s.step(2), 2);
  assert.equal(s.step(20), 3, 'the rest of the 5-step budget');
  assert.equal(s.stepCount(), 5);
  assert.equal(s.status(), 'finished');
  assert.equal(s.step(1e10), 0, 'a finished run takes none');
  assert.equal(s.step(Number.MAX_SAFE_INTEGER), 0);
  refusedRepeatedly(() => throwsError(() => s.step(-1), 'RangeError'));
  // The page's Step past the end (web/worker.js): raise the budget by one, then tick.
  s.setNumSteps(s.stepCount() + 1);
  assert.equal(s.canAdvance(), true);
  assert.deepEqual(s.advance(), { stepped: true, probed: true });
  assert.equal(s.stepCount(), 6);
  s.setNumSteps(8);
  assert.equal(s.step(1e10), 2);
  assert.equal(s.stepCount(), 8);
  s.delete();
});

test('setNumSteps: negative, NaN, fractional or beyond int32 throws, naming n; the budget is unchanged', () => {
  const s = new M.Session(JSON.stringify(SMALL));
  throwsError(() => s.setNumSteps(-5), 'RangeError', /^Session\.setNumSteps: n must be an integer in 0\.\.2147483647 \(got -5\)/);
  throwsError(() => s.setNumSteps(NaN), 'TypeError', /got NaN/);
  throwsError(() => s.setNumSteps(2.5), 'RangeError', /got 2\.5/);
  throwsError(() => s.setNumSteps(2 ** 31), 'RangeError', /got 2147483648/);
  throwsError(() => s.setNumSteps(1e10), 'RangeError', /got 10000000000/);
  assert.equal(JSON.parse(s.config()).num_steps, SMALL.num_steps);
  refusedRepeatedly(() => throwsError(() => s.setNumSteps(-5), 'RangeError'));
  s.setNumSteps(0);
  assert.equal(s.status(), 'finished');
  assert.equal(JSON.parse(s.config()).num_steps, 0);
  s.delete();
});

test('a refused Session: step and setNumSteps throw naming the refusal; the rest answers empty', () => {
  const s = new M.Session(JSON.stringify({ ...SMALL, n: 0 }));
  assert.equal(s.ok(), false);
  throwsError(() => s.step(1), 'Error', /^Session\.step: the session's config was refused \(n: must be an integer >= 1/);
  throwsError(() => s.setNumSteps(3), 'Error', /refused/);
  assert.equal(s.status(), 'error');
  assert.equal(s.runToEnd(false, null), '{}');
  assert.deepEqual(s.advance(), { stepped: false, probed: false });
  s.delete();
  const notText = new M.Session(42);
  assert.equal(notText.ok(), false);
  assert.match(notText.error(), /"field":"json".*must be a string of JSON \(got a number\)/);
  notText.delete();
});

test('a Session above the memory cap is refused by the engine itself, and allocates nothing', () => {
  const huge = JSON.stringify({ n: 200000, d: 5000, h: 5000 });
  const refuse = () => {
    const s = new M.Session(huge);
    assert.equal(s.ok(), false);
    const errors = JSON.parse(s.error());
    assert.equal(errors[0].field, 'memory');
    assert.match(errors[0].message, /above the cap of 2\.00 GB/);
    s.delete();
  };
  refusedRepeatedly(refuse);
  validCallsStillWork();
});

test('estimateMemory: an invalid config throws with its errors; a valid one above the cap is still estimated', () => {
  const err = throwsError(() => M.estimateMemory(JSON.stringify({ n: -1, lr: 0 })), 'Error',
    /^estimateMemory: the config is invalid: n: must be an integer >= 1 \(got -1\); lr: /);
  assert.deepEqual(err.errors.map((e) => e.field), ['n', 'lr']);
  throwsError(() => M.estimateMemory('{not json'), 'Error', /the config is invalid: json: /);
  throwsError(() => M.estimateMemory(7), 'TypeError', /configJson must be a string of JSON \(got a number\)/);
  const defaults = M.estimateMemory('{}');
  assert.notEqual(M.estimateMemory(JSON.stringify({ n: 100 })), defaults);
  const huge = M.estimateMemory(JSON.stringify({ n: 200000, d: 5000, h: 5000 }));
  assert.ok(huge > M.maxMemoryBytes(), 'a config refused only for its memory is still estimated');
  // A 64 KB invalid config each time: a leak of the argument's copy would be 128 MB over the loop.
  const padded = JSON.stringify({ n: -1, pad: 'x'.repeat(1 << 16) });
  refusedRepeatedly(() => throwsError(() => M.estimateMemory(padded), 'Error', /n: must be/));
});

test('web/worker.js check(): validateConfig first, estimateMemory only for a valid config', () => {
  // The worker's sequence, on a config refused for a field and one refused for its memory.
  for (const config of [{ ...SMALL, n: -1 }, { n: 200000, d: 5000, h: 5000 }]) {
    const v = JSON.parse(M.validateConfig(JSON.stringify(config)));
    assert.equal(v.ok, false);
    assert.ok(v.errors.length > 0);
  }
  const v = JSON.parse(M.validateConfig(JSON.stringify(SMALL)));
  assert.equal(v.ok, true);
  assert.ok(M.estimateMemory(JSON.stringify(SMALL)) < M.maxMemoryBytes());
});

test('runToEnd: onTick must be a function or null', () => {
  const s = new M.Session(JSON.stringify(SMALL));
  throwsError(() => s.runToEnd(false, 5), 'TypeError', /^Session\.runToEnd: onTick must be a function or null \(got a number\)/);
  assert.equal(s.stepCount(), 0, 'refused before running');
  const steps = [];
  const run = JSON.parse(s.runToEnd(false, (step) => steps.push(step)));
  assert.equal(run.status, 'finished');
  assert.deepEqual(steps, [0, 1, 2, 3, 4, 5]);
  s.delete();
});

test('runToEnd: a throwing onTick stops the run after that tick, reaches the caller, and breaks nothing', () => {
  const s = new M.Session(JSON.stringify({ ...SMALL, num_steps: 100 }));
  const stop = new Error('stop here');
  assert.throws(() => s.runToEnd(false, (step) => { if (step === 3) throw stop; }), (err) => err === stop);
  assert.equal(s.stepCount(), 3, 'stopped after the tick that threw');
  assert.equal(JSON.parse(s.lastRecord(false)).step, 3, 'the record of the last tick, which onTick may read');
  throwsError(() => s.runToEnd(false, () => { throw 'a string'; }), 'Error', /^Session\.runToEnd: onTick threw a string/);
  assert.equal(s.stepCount(), 4);
  // Thousands of throws (before, each left the wasm stack pointer behind and a handle: the module broke).
  const big = new M.Session(JSON.stringify({ n: 10, n_test: 5, d: 4, h: 4, top_k: 2, num_steps: 1e6, probe_every: 1e6 }));
  refusedRepeatedly(() => assert.throws(() => big.runToEnd(false, () => { throw stop; }), (err) => err === stop), 20000);
  big.delete();
  const run = JSON.parse(s.runToEnd(false, null));
  assert.equal(run.status, 'finished');
  assert.equal(run.probes.at(-1).step, 100);
  s.delete();
  validCallsStillWork();
});

test('documents that are not strings throw a TypeError naming the argument', () => {
  throwsError(() => M.validateConfig({ n: 5 }), 'TypeError', /^validateConfig: configJson must be a string of JSON \(got an Object\)/);
  throwsError(() => M.summarizeSweep([]), 'TypeError', /^summarizeSweep: runsJson .*got an Array/);
  throwsError(() => M.runFindings({}), 'TypeError', /^runFindings: runsJson .*got an Object/);
  throwsError(() => M.sweepFindings(null), 'TypeError', /^sweepFindings: runsJson .*got null/);
  throwsError(() => M.formatDocument(undefined), 'TypeError', /^formatDocument: json .*got undefined/);
  throwsError(() => M.esdFigureOf('{}', null, new Float64Array(0)), 'TypeError', /^esdFigureOf: recordJson .*got null/);
  throwsError(() => M.esdFigureOf('{}', '{}', [1, 2]), 'TypeError', /^esdFigureOf: initialEigenvalues must be a typed array/);
  refusedRepeatedly(() => throwsError(() => M.esdFigureOf('{}', '{}', [1, 2]), 'TypeError'));
  // Nesting that would overflow the stack when written out is refused first; the readers do not recurse.
  const deep = '['.repeat(1e5) + ']'.repeat(1e5);
  refusedRepeatedly(() => throwsError(() => M.formatDocument(deep), 'RangeError', /^formatDocument: json nests deeper than 64 levels/), 200);
  assert.ok(Array.isArray(JSON.parse(M.summarizeSweep(deep)).groups));
  assert.equal(JSON.parse(M.esdFigureOf(deep, deep, new Float64Array(0))).dropped, 0);
  const nested = [[[[[1]]]], { a: [{ b: [2] }] }];
  assert.deepEqual(JSON.parse(M.formatDocument(JSON.stringify(nested))), nested);
  // Text that is not JSON is not an error of the call: a status or an empty answer, as documented.
  assert.equal(M.formatDocument('{oops'), '');
  assert.equal(JSON.parse(M.validateConfig('{oops')).ok, false);
  assert.equal(JSON.parse(M.summarizeSweep('{oops')).groups.length, 0);
  assert.deepEqual(JSON.parse(M.runFindings('{oops')), { runs: [], versus_first: [] });
  assert.deepEqual(JSON.parse(M.sweepFindings('{oops')).curves, []);
  assert.equal(JSON.parse(M.runFindings(deep)).runs.length, 1);
  assert.equal(JSON.parse(M.esdFigureOf('{oops', '[', new Float64Array(0))).dropped, 0);
});

test('ESD ranges: an end that is NaN, infinite or not below the other is refused, naming it', () => {
  throwsError(() => M.growEsdRange(new Float64Array([10]), NaN, 0), 'TypeError', /^growEsdRange: logLo must be a finite number \(got NaN\)/);
  throwsError(() => M.growEsdRange([10], 1, 0), 'TypeError', /^growEsdRange: eigenvalues must be a typed array/);
  throwsError(() => M.esdFigureIn('{}', '{}', new Float64Array(0), 3, 3), 'RangeError', /^esdFigureIn: logLo must be below logHi \(got 3 and 3\)/);
  throwsError(() => M.esdFigureIn('{}', '{}', new Float64Array(0), -Infinity, 3), 'RangeError', /^esdFigureIn: logLo must be a finite number/);
  const s = new M.Session(JSON.stringify(SMALL));
  throwsError(() => s.widenEsdRange(2, 1), 'RangeError', /^Session.widenEsdRange: logLo must be below logHi/);
  s.delete();
  // Valid calls: a range grows in quarter decades, and a figure is binned over it.
  assert.deepEqual(Array.from(M.growEsdRange(new Float64Array([20, 5000]), 1, 0)), [1.25, 3.75]);
  assert.deepEqual(Array.from(M.growEsdRange(new Float64Array([1e-9]), 1, 0)), []);
  const record = JSON.stringify({ eigenvalues: Array.from({ length: 50 }, (_, i) => 100 + 10 * i) });
  assert.deepEqual(JSON.parse(M.esdFigureIn('{"h": 60, "d": 50}', record, new Float64Array(0), 0, 4)).range.log, [0, 4]);
  validCallsStillWork();
});

test('a config or sweep longer than the core\'s 4 MiB is refused as a status before it is copied into the heap', () => {
  const long = JSON.stringify({ n: 100, pad: 'x'.repeat(5 << 20) });
  const tooLong = /^the document is \d+ characters long, more than the limit of 4194304 bytes \(4 MiB\)/;
  refusedRepeatedly(() => {
    const v = JSON.parse(M.validateConfig(long));
    assert.equal(v.ok, false);
    assert.equal(v.errors[0].field, 'json');
    assert.match(v.errors[0].message, tooLong);
  });
  refusedRepeatedly(() => {
    const out = JSON.parse(M.expandSweep(long));
    assert.equal(out.ok, false);
    assert.deepEqual(out.runs, []);
    assert.match(out.errors[0].message, tooLong);
  });
  refusedRepeatedly(() => {
    const s = new M.Session(long);
    assert.equal(s.ok(), false);
    assert.match(JSON.parse(s.error())[0].message, tooLong);
    s.delete();
  });
  refusedRepeatedly(() => throwsError(() => M.estimateMemory(long), 'Error', /estimateMemory: the config is invalid: json: the document is/));
  // 20,000 learning rates fit in 4 MiB: refused by the sweep's list cap instead, before the entries are read.
  const lrs = JSON.parse(M.expandSweep(JSON.stringify({ ...SMALL, lr: Array.from({ length: 20000 }, (_, i) => 1e-3 * (i + 1)) })));
  assert.equal(lrs.ok, false);
  assert.equal(lrs.errors[0].field, 'lr');
  assert.match(lrs.errors[0].message, /20000 entries, more than the limit/);
});

// Every entry point with every kind of bad value: each call returns, or throws an Error with a message.
// A bare number thrown (a C++ exception pointer), an abort, or an Error without a message fails.
test('no entry point throws a bare number, aborts, or fails without a message', () => {
  const numbers = [NaN, -1, 0, 0.5, 1e10, -Infinity, Infinity, 2 ** 31, -(2 ** 31)];
  const others = [undefined, null, '', 'x', '{', '[]', '{"n": 1e999}', '{"repeat": 1e9}', {}, [], [1, 2], true,
    new Float64Array(3), new Float32Array(4), new Int8Array(2), new DataView(new ArrayBuffer(8)), new BigInt64Array(2), () => 1];
  const values = [...numbers, ...others];
  const session = new M.Session(JSON.stringify(SMALL));
  const calls = {
    'Session': (a) => { const s = new M.Session(a); s.ok(); s.error(); s.delete(); },
    'step': (a) => session.step(a),
    'setNumSteps': (a) => session.setNumSteps(a),
    'probe': (a) => session.probe(a),
    'lastRecord': (a) => session.lastRecord(a),
    'validateConfig': (a) => M.validateConfig(a),
    'estimateMemory': (a) => M.estimateMemory(a),
    'analyzeMatrix.values': (a) => M.analyzeMatrix(a, 2, 2),
    'analyzeMatrix.rows': (a) => M.analyzeMatrix(new Float32Array(4), a, 2),
    'histogram.values': (a) => M.histogram(a, 10, 0, 1),
    'histogram.bins': (a) => M.histogram(new Float64Array(4), a, 0, 1),
    'histogram.lo': (a) => M.histogram(new Float64Array(4), 10, a, 1),
    'mpDensity.x': (a) => M.mpDensity(a, 200, 100, 1),
    'mpDensity.variance': (a) => M.mpDensity(new Float64Array(4), 200, 100, a),
    'esdFigureOf.config': (a) => M.esdFigureOf(a, '{}', new Float64Array(0)),
    'esdFigureOf.initial': (a) => M.esdFigureOf('{}', '{}', a),
    'esdFigureIn.lo': (a) => M.esdFigureIn('{}', '{}', new Float64Array(0), a, 4),
    'esdFigureIn.initial': (a) => M.esdFigureIn('{}', '{}', a, 1, 4),
    'growEsdRange.values': (a) => M.growEsdRange(a, 1, 0),
    'growEsdRange.hi': (a) => M.growEsdRange(new Float64Array([10, 100]), 1, a),
    'widenEsdRange': (a) => session.widenEsdRange(a, 5),
    'summarizeSweep': (a) => M.summarizeSweep(a),
    'runFindings': (a) => M.runFindings(a),
    'sweepFindings': (a) => M.sweepFindings(a),
    'formatDocument': (a) => M.formatDocument(a),
    'expandSweep': (a) => M.expandSweep(a),
    'collectSweep': (a) => M.collectSweep(a),
    'sweepDocument': (a) => M.sweepDocument(a),
  };
  let returned = 0, thrown = 0;
  for (const [name, call] of Object.entries(calls))
    for (const value of values) {
      if (name === 'setNumSteps') session.setNumSteps(SMALL.num_steps);
      try {
        call(value);
        returned++;
      } catch (err) {
        thrown++;
        const what = `${name}(${typeof value === 'bigint' ? value : String(value)})`;
        assert.ok(err instanceof Error, `${what} threw ${typeof err} ${String(err)}, not an Error`);
        assert.ok(err.message.length > 10, `${what}: the message "${err.message}" says nothing`);
      }
    }
  console.log(`# ${returned + thrown} hostile calls: ${returned} answered, ${thrown} threw an Error with a message`);
  session.delete();
  validCallsStillWork();
});
