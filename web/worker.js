// @ts-check: type-checked against wasm/spiketail.d.mts by `npm run typecheck` (tsconfig.json).
// The training loop, off the page's thread. The ONLY module that loads the wasm engine (spiketail.mjs).
//
// page -> worker                                   worker -> page
//   {type:'init', config}   new Session, probe 0     {type:'ready', version, schema, maxMemory, build, threads}
//                                                    | {type:'engine-error', message}   (build: 'threads' | 'single')
//   {type:'step', count}    exactly count steps      {type:'invalid', errors: [{field, message}]}
//   {type:'play', until}    step until `until`       {type:'started', config}
//   {type:'pause'}          stop after this step     {type:'probe', record, figures}
//   {type:'reset'}          same config, step 0      {type:'state', step, status, message, running}
//   {type:'num-steps', count}  raise/lower num_steps of the live run
//   {type:'validate', id, config}                    {type:'validation', id, errors}
//   {type:'figures', id, config, record, initial}    {type:'figures', id, figures}  (for imported runs)
//   {type:'expand-sweep', id, sweep}                 {type:'expanded', id, ok, errors, runs, config, memory}
//   {type:'run-pool-size', id, requested, runs, bytesPerRun}  {type:'run-pool-size', id, size} (the sweep's workers)
//   {type:'summarize-sweep', id, runs}               {type:'summary', id, summary}  (mean ± std over repeats)
//   {type:'format-document', id, document}           {type:'formatted', id, text}   (laid out as the CLI's files)
//   {type:'collect-sweep', id, request}              {type:'collected', id, ok, errors, notes, entries, missing, …}
//                                                    (sweep files onto one grid: Import, Resume)
//   {type:'sweep-document', id, request}             {type:'sweep-document', id, ok, errors, document} (Export)
//   {type:'run-findings', id, runs}                  {type:'findings', id, findings} (what runs show: the tour)
//   {type:'sweep-findings', id, runs}                {type:'findings', id, findings} (what a sweep shows)
//   {type:'run', id, config}  one whole sweep run    {type:'run-step', id, step} per step, then
//                                                    {type:'run-done', id, status, message, probes, ms}
//   the "Analyze weights" commands (model files):   analyze/worker-model.js
//   {type:'pin', id, run}   pin a run to compare     {type:'pinned', id, run | null, error}, then the live
//                           (run.probes with eigenvalues, or only run.config: computed here to its end)
//   {type:'unpin'}                                   run's last probe again (its figures now with / without
//                                                    figures.pinned: the pinned run's ESD at that step)
//
// The run's schedule (when to step, when to probe, when to stop) is the engine's: Session.advance() is one
// tick of it, and this file only calls it, one tick at a time with a yield to the event loop in between, so
// pause/reset answer within one step. Every number and figure comes from the engine (esdFigure,
// weightFigure, esdFigureOf); this file moves them. Arrays are copies (wasm/spiketail.d.mts): transferred.

// The "Analyze weights" commands, handled by analyze/worker-model.js, which is loaded with the first of them:
// a worker of the other views starts exactly as before.
const MODEL_COMMANDS = new Set(['model-formats', 'model-index', 'analyze-layer', 'layer-figure', 'analyze-document', 'layer-pool-size']);
let modelModule = null;

/** @type {import('./spiketail.mjs').SpiketailModule | null} */
let engine = null;
/** @type {import('./spiketail.mjs').Session | null} */
let session = null;      // the live Session
let sessionJson = '';    // its config as given
let runToken = 0;        // bumped by every command that stops a running Play
// The pinned run: {configJson, probes (detail records), initial (its step-0 eigenvalues), range [lo, hi]}.
// The live session's ESD range is widened to its range, so both runs' histograms share their bins.
let pinned = null;

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

// Which module: the threaded one (spiketail-threads.mjs, docs/web.md) when the page asked for it (web/engine.js:
// the single-run view's and the tour's worker, `?threads` in this worker's URL; the pools' workers never, one
// run per core already) and the page is cross-origin isolated (SharedArrayBuffer; docs/hosting.md); on
// navigator.hardwareConcurrency threads, at most the engine's max_threads. Otherwise, or when it fails to
// load, the single-thread module, as before.
async function loadEngine() {
  if (new URL(self.location.href).searchParams.has('threads') && self.crossOriginIsolated) {
    try {
      const schemaModule = './config-schema.js';  // written by scripts/build-web.mjs beside this file
      const { METHOD } = await import(schemaModule);
      const threads = Math.min(navigator.hardwareConcurrency || 1, METHOD.max_threads);
      if (threads > 1) {
        const { default: createThreaded } = await import('./spiketail-threads.mjs');
        const threaded = await createThreaded({ helperThreads: threads - 1 });
        threaded.setThreads(threads);
        return { module: threaded, build: 'threads' };
      }
    } catch (err) {
      console.warn(`spiketail: the threaded engine did not load (${err?.message || err}); using the single-thread one`);
    }
  }
  const { default: createSpiketail } = await import('./spiketail.mjs');
  return { module: await createSpiketail(), build: 'single' };
}

const engineReady = (async () => {
  try {
    const { module, build } = await loadEngine();
    engine = module;
    post({
      type: 'ready',
      version: engine.version(),
      schema: JSON.parse(engine.configSchema()),
      maxMemory: engine.maxMemoryBytes(),
      build,
      threads: engine.threads(),
    });
  } catch (err) {
    post({ type: 'engine-error', message: String(err?.message || err) });
  }
})();

// Validation and the memory check, before anything is allocated. Returns [{field, message}].
function check(configJson) {
  const v = JSON.parse(engine.validateConfig(configJson));
  if (!v.ok) return v.errors?.length ? v.errors : [{ field: '', message: 'invalid config' }];
  const need = engine.estimateMemory(configJson), limit = engine.maxMemoryBytes();
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

// The last probe of the live session and its figures, as the engine computes them.
function postProbe() {
  const record = JSON.parse(session.lastRecord(true));
  const esd = JSON.parse(session.esdFigure());
  const figures = {
    esd,
    weights: JSON.parse(session.weightFigure()),
    eigenvalues: session.eigenvalues(),
    initialEigenvalues: session.initialEigenvalues(),
    updateSingularValues: session.updateSingularValues(),
    vBetaOverlap: session.vBetaOverlap(),
    pinned: pinnedFigure(record.step, esd.range?.log),
  };
  post({ type: 'probe', record, figures }, [figures.eigenvalues.buffer, figures.initialEigenvalues.buffer,
    figures.updateSingularValues.buffer, figures.vBetaOverlap.buffer]);
}

// The pinned run's ESD figure at `step` (its latest probe at or before it), on the live figure's bins.
function pinnedFigure(step, range) {
  if (!pinned || !range) return null;
  const at = pinned.probes.filter((p) => p.step <= step && p.eigenvalues?.length).at(-1)
    ?? pinned.probes.find((p) => p.eigenvalues?.length);
  if (!at) return null;
  const esd = JSON.parse(engine.esdFigureIn(pinned.configJson, JSON.stringify(at), pinned.initial, range[0], range[1]));
  return { esd, step: at.step };
}

// Pins a run: its probes as given, or computed here from its config (a link with pin=), with eigenvalues.
function pin(run) {
  let probes = run?.probes, config = run?.config, status = run?.status, message = run?.message;
  if (!probes?.length) {
    const json = JSON.stringify(config);
    const errors = check(json);
    if (errors.length) return { error: errors.map((e) => `${e.field}: ${e.message}`).join('; ') };
    const s = new engine.Session(json);
    try {
      if (!s.ok()) return { error: s.error() };
      ({ config, status, message, probes } = JSON.parse(s.runToEnd(true, null)));
    } finally {
      s.delete();
    }
  }
  const initial = Float64Array.from(probes.find((p) => p.step === 0)?.eigenvalues || []);
  let range = [1, 0];  // empty: growEsdRange takes lo >= hi as "nothing yet"
  for (const p of probes) {
    if (!p.eigenvalues?.length) continue;
    const grown = engine.growEsdRange(Float64Array.from(p.eigenvalues), range[0], range[1]);
    if (grown.length === 2) range = [grown[0], grown[1]];
  }
  pinned = { configJson: JSON.stringify(config), probes, initial, range: range[0] < range[1] ? range : null };
  if (session && pinned.range) session.widenEsdRange(pinned.range[0], pinned.range[1]);
  return { run: { config, status, message, probes } };
}

// One tick of the engine's schedule; posts the probe when it took one. Returns whether anything happened.
function advance() {
  const t = session.advance();
  if (t.probed) postProbe();
  return t.stepped || t.probed;
}

function start(config) {
  const json = JSON.stringify(config);
  // The old run ends here even when the new config is refused, so a queued play/step cannot continue it.
  if (session) { session.delete(); session = null; }
  sessionJson = '';
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
  sessionJson = json;
  if (pinned?.range) session.widenEsdRange(pinned.range[0], pinned.range[1]);
  post({ type: 'started', config: JSON.parse(session.config()) });
  advance();  // the schedule's first tick: the probe of step 0
  post(state());
  return true;
}

// Raising num_steps continues a run; the session's schedule follows it.
function setNumSteps(n) {
  if (session && Number.isInteger(n) && n >= 0) session.setNumSteps(n);
}

async function play(until) {
  setNumSteps(until);
  const token = ++runToken;
  post(state(true));
  while (token === runToken && session.canAdvance()) {
    if (!advance()) break;
    post(state(true));
    await tick();  // let pause/reset/step messages in
  }
  if (token === runToken) post(state(false));
}

// A sweep run (web/sweep/pool.js): one config from step 0 to its end, through the engine's runToEnd, as
// `spiketail sweep` runs it. It does not touch the live session and does not yield: a pool worker runs
// nothing else, and Cancel terminates the worker. Probes are the CLI's default records (scalars only).
function runToEnd(id, config) {
  const t0 = performance.now();
  const done = (status, message, probes = []) =>
    post({ type: 'run-done', id, status, message, probes, ms: performance.now() - t0 });
  const json = JSON.stringify(config);
  const errors = check(json);
  if (errors.length) { done('error', errors.map((e) => `${e.field}: ${e.message}`).join('; ')); return; }
  const s = new engine.Session(json);
  try {
    if (!s.ok()) { done('error', s.error()); return; }
    const run = JSON.parse(s.runToEnd(false, (step) => post({ type: 'run-step', id, step })));
    done(run.status, run.message, run.probes);
  } finally {
    s.delete();
  }
}

self.onmessage = async (event) => {
  const msg = event.data;
  await engineReady;
  if (!engine) { post({ type: 'engine-error', message: 'the engine is not loaded' }); return; }
  if (MODEL_COMMANDS.has(msg.type)) {
    modelModule ??= import('./analyze/worker-model.js');
    await (await modelModule).handleModelCommand(engine, msg, post);
    return;
  }
  try {
    switch (msg.type) {
      case 'validate':
        post({ type: 'validation', id: msg.id, errors: check(JSON.stringify(msg.config)) });
        break;
      case 'init':
        runToken++;
        start(msg.config);
        break;
      case 'reset':
        runToken++;
        if (sessionJson) start(JSON.parse(sessionJson));
        break;
      case 'pause':
        runToken++;
        if (session) post(state(false));
        break;
      case 'step':
        runToken++;
        if (!session) break;
        for (let i = 0; i < (msg.count || 1); i++) {
          if (!session.canAdvance()) setNumSteps(session.stepCount() + 1);  // Step goes past num_steps
          if (!advance()) break;
        }
        post(state(false));
        break;
      case 'num-steps':
        setNumSteps(msg.count);
        if (session) post(state(false));
        break;
      case 'play':
        if (session) await play(msg.until);
        break;
      case 'figures': {
        const esd = JSON.parse(engine.esdFigureOf(JSON.stringify(msg.config), JSON.stringify(msg.record),
          Float64Array.from(msg.initial || [])));
        post({ type: 'figures', id: msg.id, figures: { esd } });
        break;
      }
      case 'expand-sweep':
        post({ type: 'expanded', id: msg.id, ...JSON.parse(engine.expandSweep(JSON.stringify(msg.sweep))) });
        break;
      case 'run-pool-size':
        post({ type: 'run-pool-size', id: msg.id, size: engine.runPoolSize(msg.requested, msg.runs, msg.bytesPerRun) });
        break;
      case 'summarize-sweep':
        post({ type: 'summary', id: msg.id, summary: JSON.parse(engine.summarizeSweep(JSON.stringify(msg.runs))) });
        break;
      case 'format-document':
        post({ type: 'formatted', id: msg.id, text: engine.formatDocument(JSON.stringify(msg.document)) });
        break;
      case 'collect-sweep':
        post({ type: 'collected', id: msg.id, ...JSON.parse(engine.collectSweep(JSON.stringify(msg.request))) });
        break;
      case 'sweep-document':
        post({ type: 'sweep-document', id: msg.id, ...JSON.parse(engine.sweepDocument(JSON.stringify(msg.request))) });
        break;
      case 'run-findings':
        post({ type: 'findings', id: msg.id, findings: JSON.parse(engine.runFindings(JSON.stringify(msg.runs))) });
        break;
      case 'sweep-findings':
        post({ type: 'findings', id: msg.id, findings: JSON.parse(engine.sweepFindings(JSON.stringify(msg.runs))) });
        break;
      case 'pin': {
        const result = pin(msg.run);
        post({ type: 'pinned', id: msg.id, run: result.run ?? null, error: result.error ?? '' });
        if (session && session.lastRecord(false) !== '{}') postProbe();
        break;
      }
      case 'unpin':
        pinned = null;
        if (session && session.lastRecord(false) !== '{}') postProbe();
        break;
      case 'run':
        try {
          runToEnd(msg.id, msg.config);
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
