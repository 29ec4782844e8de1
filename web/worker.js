// The training loop, off the page's thread. The ONLY module that loads the wasm engine (spiketail.mjs).
//
// page -> worker                                   worker -> page
//   {type:'init', config}   new Session, probe 0     {type:'ready', version, defaults, maxMemory} | {type:'engine-error', message}
//   {type:'step', count}    exactly count steps      {type:'invalid', errors: [{field, message}]}
//   {type:'play', until}    step until `until`       {type:'started', config}
//   {type:'pause'}          stop after this step     {type:'probe', record, figures}
//   {type:'reset'}          same config, step 0      {type:'state', step, status, message, running}
//   {type:'num-steps', count}  raise/lower num_steps of the live run
//   {type:'validate', id, config}                    {type:'validation', id, errors}
//   {type:'figures', id, config, record, initial}    {type:'figures', id, figures}  (for imported runs)
//   {type:'expand-sweep', id, sweep}                 {type:'expanded', id, ok, errors, runs, base, memory}
//   {type:'run', id, config}  one whole sweep run    {type:'run-step', id, step} per step, then
//                                                    {type:'run-done', id, status, message, probes, ms}
//
// Steps are taken one at a time with a yield to the event loop in between, so pause/reset answer
// within one step. Probes: at every step where session.probeDue() (step 0, multiples of probe_every,
// num_steps) and at the end of a Play. Arrays are copies (see wasm/spiketail.d.ts): transferred, not shared.

let engine = null;       // the SpiketailModule
let session = null;      // the live Session
let session_json = '';   // its config as given
let run_token = 0;       // bumped by every command that stops a running Play
let last_probed = -1;

const ESD_FLOOR = 1e-5;   // eigenvalues at or below are numerical zeros (docs/method.md §6); left out of log plots
const MP_POINTS = 400;
const WEIGHT_BINS = 60;

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

const engine_ready = (async () => {
  try {
    const { default: createSpiketail } = await import('./spiketail.mjs');
    engine = await createSpiketail();
    post({
      type: 'ready',
      version: engine.version(),
      defaults: JSON.parse(engine.defaultConfig()),
      maxMemory: engine.maxMemoryBytes(),
    });
  } catch (err) {
    post({ type: 'engine-error', message: String(err?.message || err) });
  }
})();

// Validation and the memory check, before anything is allocated. Returns [{field, message}].
function check(config_json) {
  const v = JSON.parse(engine.validateConfig(config_json));
  if (!v.ok) return v.errors?.length ? v.errors : [{ field: '', message: 'invalid config' }];
  const need = engine.estimateMemory(config_json), limit = engine.maxMemoryBytes();
  if (need > limit) {
    const mb = (b) => `${Math.round(b / 2 ** 20)} MB`;
    return [{ field: 'memory', message: `this run needs about ${mb(need)}, more than the ${mb(limit)} a browser tab can give it: lower n, d or h` }];
  }
  return [];
}

function state(running = false) {
  return {
    type: 'state',
    step: session ? session.stepCount() : 0,
    status: session ? session.status() : 'ready',
    message: session ? session.message() : '',
    running,
  };
}

function positive(values, floor = ESD_FLOOR) {
  const out = [];
  for (const v of values) if (Number.isFinite(v) && v > floor) out.push(v);
  return out;
}

function min_max(...arrays) {
  let lo = Infinity, hi = -Infinity;
  for (const a of arrays) for (const v of a) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return [lo, hi];
}

function bins_for(count) {
  return Math.max(20, Math.min(80, Math.round(2 * Math.sqrt(count))));
}

// Histograms and the MP curve for one probe, on common bins for the current and the initial ESD.
// All formulas are the engine's (histogram, mpDensity); the page only changes variable λ -> log10 λ.
function figures_for(config, record, eigenvalues, initial) {
  const cur = positive(eigenvalues), init = positive(initial || []);
  const figures = { dropped: eigenvalues.length - cur.length };
  if (!cur.length) return figures;
  const bins = bins_for(cur.length);
  const log_cur = Float64Array.from(cur, Math.log10), log_init = Float64Array.from(init, Math.log10);
  let [lo, hi] = min_max(log_cur, log_init);
  if (hi - lo < 1e-6) { lo -= 0.5; hi += 0.5; }
  figures.log_hist = JSON.parse(engine.histogram(log_cur, bins, lo, hi));
  if (init.length) figures.log_hist_init = JSON.parse(engine.histogram(log_init, bins, lo, hi));
  const lin_lo = 0, lin_hi = min_max(cur, init)[1];
  figures.lin_hist = JSON.parse(engine.histogram(Float64Array.from(cur), bins * 2, lin_lo, lin_hi));
  if (init.length) figures.lin_hist_init = JSON.parse(engine.histogram(Float64Array.from(init), bins * 2, lin_lo, lin_hi));
  // MP law of W0 (h × d, i.i.d. N(0, 1)) on a grid inside its support.
  const lower = record.mp_lower, upper = record.mp_upper;
  if (Number.isFinite(lower) && Number.isFinite(upper) && upper > lower) {
    const x = new Float64Array(MP_POINTS);
    for (let i = 0; i < MP_POINTS; i++) x[i] = lower + (upper - lower) * ((i + 0.5) / MP_POINTS);
    const p = engine.mpDensity(x, config.h, config.d, 1);
    const log_density = Float64Array.from(p, (v, i) => v * x[i] * Math.LN10);  // p(log10 λ) = p(λ) λ ln 10
    figures.mp = { x: Array.from(x), density: Array.from(p), log_x: Array.from(x, Math.log10), log_density: Array.from(log_density) };
  }
  return figures;
}

function probe_now() {
  const record = JSON.parse(session.probe(true));
  last_probed = record.step;
  const config = JSON.parse(session.config());
  const eigenvalues = session.eigenvalues();
  const initial = session.initialEigenvalues();
  const figures = figures_for(config, record, eigenvalues, initial);
  figures.eigenvalues = eigenvalues;
  figures.initial_eigenvalues = initial;
  figures.update_singular_values = session.updateSingularValues();
  figures.v_beta_overlap = session.vBetaOverlap();
  figures.weights = JSON.parse(session.weightHistogram(WEIGHT_BINS));
  post({ type: 'probe', record, figures },
    [eigenvalues.buffer, initial.buffer, figures.update_singular_values.buffer, figures.v_beta_overlap.buffer]);
}

function start(config) {
  const json = JSON.stringify(config);
  // The old run ends here even when the new config is refused, so a queued play/step cannot continue it.
  if (session) { session.delete(); session = null; }
  session_json = '';
  const errors = check(json);
  if (errors.length) { post({ type: 'invalid', errors }); return false; }
  const s = new engine.Session(json);
  if (!s.ok()) {
    let errs;
    try { errs = JSON.parse(s.error()); } catch { errs = [{ field: '', message: s.error() }]; }
    s.delete();
    post({ type: 'invalid', errors: errs });
    return false;
  }
  session = s;
  session_json = json;
  last_probed = -1;
  post({ type: 'started', config: JSON.parse(session.config()) });
  if (session.probeDue()) probe_now();
  post(state());
  return true;
}

const stopped = () => ['diverged', 'error'].includes(session.status());

// One optimiser step, then a probe if the schedule (or the end of a Play) asks for it.
function step_once(until) {
  const taken = session.step(1);
  const step = session.stepCount();
  // A diverged session has no new measurements (its probe() repeats the last good record).
  if (step !== last_probed && !stopped() && (session.probeDue() || step === until)) probe_now();
  return taken;
}

// Raising num_steps continues a run; the session's schedule (probeDue, status) follows it when the engine
// offers setNumSteps (older builds without it still run, with the schedule of the first num_steps).
function set_num_steps(n) {
  if (session && Number.isInteger(n) && n >= 0 && typeof session.setNumSteps === 'function') session.setNumSteps(n);
}

async function play(until) {
  set_num_steps(until);
  const token = ++run_token;
  post(state(true));
  while (token === run_token && session.stepCount() < until && !stopped()) {
    if (step_once(until) === 0) break;
    post(state(true));
    await tick();  // let pause/reset/step messages in
  }
  if (token === run_token) post(state(false));
}

// A sweep run (web/sweep/pool.js): one config from step 0 to its end, as `spiketail sweep` runs it
// (cli/main.cpp run_session: probe at step 0 and whenever due, stop on divergence). It does not touch the
// live session and does not yield: a pool worker runs nothing else, and Cancel terminates the worker.
// Probes are the CLI's default records (scalars only, no eigenvalues).
function run_to_end(id, config) {
  const t0 = performance.now();
  const done = (status, message, probes = []) =>
    post({ type: 'run-done', id, status, message, probes, ms: performance.now() - t0 });
  const json = JSON.stringify(config);
  const errors = check(json);
  if (errors.length) { done('error', errors.map((e) => `${e.field}: ${e.message}`).join('; ')); return; }
  const s = new engine.Session(json);
  try {
    if (!s.ok()) { done('error', s.error()); return; }
    const probes = [];
    if (s.probeDue()) probes.push(JSON.parse(s.probe(false)));
    while (s.stepCount() < config.num_steps && s.status() !== 'diverged') {
      if (s.step(1) === 0) break;
      if (s.status() !== 'diverged' && s.probeDue()) probes.push(JSON.parse(s.probe(false)));
      post({ type: 'run-step', id, step: s.stepCount() });
    }
    done(s.status(), s.message(), probes);
  } finally {
    s.delete();
  }
}

// The sweep's runs as the engine expands them, and its resolved base config: the sweep document's
// "config" is that base with the lists put back (as cli/main.cpp writes it, via sweep_spec_to_json_value).
function expand_sweep(sweep) {
  const out = JSON.parse(engine.expandSweep(JSON.stringify(sweep)));
  if (out.ok) {
    const base = { ...sweep, optimizer: out.runs[0].config.optimizer, lr: out.runs[0].config.lr };
    delete base.repeat;
    delete base.vary;
    out.base = JSON.parse(engine.validateConfig(JSON.stringify(base))).config;
    // The largest run's memory, so that the page can size its pool of workers.
    out.memory = Math.max(...out.runs.map((r) => engine.estimateMemory(JSON.stringify(r.config))));
  }
  return out;
}

self.onmessage = async (event) => {
  const msg = event.data;
  await engine_ready;
  if (!engine) { post({ type: 'engine-error', message: 'the engine is not loaded' }); return; }
  try {
    switch (msg.type) {
      case 'validate':
        post({ type: 'validation', id: msg.id, errors: check(JSON.stringify(msg.config)) });
        break;
      case 'init':
        run_token++;
        start(msg.config);
        break;
      case 'reset':
        run_token++;
        if (session_json) start(JSON.parse(session_json));
        break;
      case 'pause':
        run_token++;
        if (session) post(state(false));
        break;
      case 'step':
        run_token++;
        if (!session) break;
        for (let i = 0; i < (msg.count || 1) && !stopped(); i++) {
          if (step_once(-1) === 0) break;
        }
        post(state(false));
        break;
      case 'num-steps':
        set_num_steps(msg.count);
        if (session && !msg.quiet) post(state(false));
        break;
      case 'play':
        if (session) await play(msg.until);
        break;
      case 'figures': {
        const figures = figures_for(msg.config, msg.record, msg.record.eigenvalues || [], msg.initial || []);
        post({ type: 'figures', id: msg.id, figures });
        break;
      }
      case 'expand-sweep':
        post({ type: 'expanded', id: msg.id, ...expand_sweep(msg.sweep) });
        break;
      case 'run':
        try {
          run_to_end(msg.id, msg.config);
        } catch (err) {  // e.g. the wasm heap could not grow: this run failed, the pool goes on
          post({ type: 'run-done', id: msg.id, status: 'error', message: `the run failed: ${err?.message || err}`, probes: [], ms: 0 });
        }
        break;
      default:
        post({ type: 'error', message: `unknown command ${msg.type}` });
    }
  } catch (err) {
    post({ type: 'error', message: String(err?.message || err) });
  }
};
