// The single-run controller: the page's state and the life of a run. Data flows one way:
// form/URL -> config -> worker (wasm Session) -> probe records -> view; the worker's events update the
// state, and the run bar (status.js) shows it.
//
// Provides page.isDirty, readForm, startRun, showSavedRun, onFieldInput and engineHandlers (for the
// Engine); uses page.engine, view, controls and the status, session and navigation modules' functions.
import { CONFIG_SCHEMA, FIELDS, defaultConfig, toFlat, toNested } from '../fields.js';

// The page's state. window.spiketail.app exposes it to the end-to-end tests (read-only by convention).
export function createApp() {
  return {
    config: null,            // the form's config (nested), the one in the URL
    view: 'single', embed: false, hide: [], figs: [], autoplay: false,
    run: null,               // {config, status, message, probes} on screen
    figures: null,           // the worker's figure data for the latest probe on screen
    live: false,             // the run on screen is the worker's live session
    liveKey: '',             // config of the live session, without num_steps (see configKey)
    running: false,
    step: 0, status: 'ready', message: '',
    replayUntil: 0,          // replaying a restored/imported run: probes below this step are not redrawn
    parseErrors: [], engineErrors: [], notices: [],
    linkErrors: [],          // a link's errors that no input shows (unknown keys, preset, page keys): block runs
    linkHeld: false,         // the link had errors: the address is left as given until the reader changes something
    starting: false,         // a new session was asked for and has not answered yet
    extended: 0,             // Step past the end raised num_steps from this many (0: it did not)
    engineReady: false, engineInfo: null,
    lastHash: '',
    pinLink: null,           // a link's pin= overrides, pinned once the engine is ready (app/compare.js)
  };
}

// Settings that can change without restarting the run: raising num_steps continues it.
export const configKey = (config) => JSON.stringify({ ...toFlat(config), num_steps: undefined });

const VALIDATE_DELAY_MS = 250;  // after the last keystroke, the engine checks the whole form
const RESTART_DELAY_MS = 200;   // then, at step 0, the run restarts with the new setting

export function installController(page) {
  const { app, controls } = page;

  page.isDirty = () => app.live && configKey(app.config) !== app.liveKey;

  page.readForm = () => {
    const { config, errors } = controls.read();
    app.parseErrors = errors;
    // Keep the last good value of a field being typed, so the URL always holds a whole config.
    app.config = toNested({ ...toFlat(app.config || defaultConfig()), ...toFlat(config) });
    return errors.length === 0;
  };

  // Starts a new session with the form's config; `then` ({kind: 'play'} or {kind: 'step', count}) is
  // queued behind it in the worker. keepRun: the probes on screen stay (a saved run being replayed).
  page.startRun = (then = null, { keepRun = false } = {}) => {
    if (!app.engineReady) return false;
    if (!page.readForm()) {
      page.renderErrors();
      page.renderRunBar();
      if (!app.embed) controls.focus(app.parseErrors[0].field);
      return false;
    }
    if (app.linkErrors.length) { page.renderErrors(); page.renderRunBar(); return false; }
    if (!keepRun) { app.run = null; app.replayUntil = 0; app.figures = null; page.view.resetAxes(); }
    app.engineErrors = [];
    app.notices = [];
    page.renderErrors();
    app.starting = true;
    app.extended = 0;
    page.engine.init(app.config);
    if (then?.kind === 'play') page.engine.play(app.config.num_steps);
    if (then?.kind === 'step') page.engine.step(then.count);
    return true;
  };

  // A run restored from storage or imported: show it, and ask the engine for its histograms.
  page.showSavedRun = async () => {
    const run = app.run;
    app.step = run.probes.at(-1)?.step ?? 0;
    app.status = run.status;
    app.message = run.message;
    app.live = false;
    page.view.resetAxes();
    page.view.update(run, null, page.pinnedForView());
    page.renderRunBar();
    if (!app.engineReady) return;
    const record = [...run.probes].reverse().find((p) => p.eigenvalues?.length);
    if (!record || record !== run.probes.at(-1)) return;
    const initial = run.probes.find((p) => p.step === 0)?.eigenvalues;
    const config = { ...defaultConfig(), ...run.config };
    const figures = await page.engine.figures(config, record, initial);
    if (app.run === run && !app.live) {
      app.figures = figures;
      page.view.update(run, figures, page.pinnedForView());
    }
  };

  let validateTimer = 0, restartTimer = 0;
  page.onFieldInput = (key) => {
    // The reader takes over from the link: its errors go, and the address follows the form again.
    app.linkErrors = [];
    app.linkHeld = false;
    page.readForm();
    page.renderErrors();
    page.writeHash();
    page.applyPageState();
    page.saveSoon();
    if (key === 'num_steps') app.extended = 0;
    if (key === 'num_steps' && app.run) {
      app.run.config.num_steps = app.config.num_steps;
      if (app.live && !app.running && !app.parseErrors.length) page.engine.setNumSteps(app.config.num_steps);
    }
    page.renderRunBar();
    clearTimeout(validateTimer);
    if (!app.engineReady) return;
    validateTimer = setTimeout(async () => {
      // The engine checks the rest of the form too (a field being typed keeps its last good value).
      const unparsed = new Set(app.parseErrors.map((e) => e.field));
      const errors = (await page.engine.validate(app.config)).filter((e) => !unparsed.has(e.field));
      app.engineErrors = errors;
      page.renderErrors();
      page.renderRunBar();  // Play and Step follow the engine's verdict
      if (app.parseErrors.length) return;
      // At step 0 there is nothing to lose: show the new setting's initial spectrum at once.
      clearTimeout(restartTimer);
      if (!errors.length && page.isDirty() && app.step === 0 && !app.running) restartTimer = setTimeout(() => page.startRun(), RESTART_DELAY_MS);
    }, VALIDATE_DELAY_MS);
  };

  // ---------- the worker's events (engine.js) ----------
  page.engineHandlers = {
    ready(info) {
      app.engineReady = true;
      app.engineInfo = info;
      document.body.dataset.engine = info.version;
      page.showEngineInfo(info);
      // The form was built from the schema shipped beside the engine (config-schema.js); a different engine
      // behind it (a stale cache, a hand-copied dist/) would take other fields: say so loudly.
      if (JSON.stringify(info.schema) !== JSON.stringify(CONFIG_SCHEMA)) {
        console.error('spiketail: the engine\'s config schema differs from the one this page was built with; rebuild the page');
      }
      // A link's pinned run first: the worker computes it before the live run starts, on shared bins.
      if (app.pinLink) { page.pinFromLink(app.pinLink); app.pinLink = null; }
      if (app.run?.probes?.length && !app.live) {
        page.showSavedRun();
      } else if (app.view === 'single' && page.startRun(app.autoplay ? { kind: 'play' } : null)) {  // else: when shown
        page.setStatus('Starting…');
      }
      page.renderRunBar();
    },

    engineError(message) {
      app.engineReady = false;
      page.setStatus('');
      page.showEngineMissing(message);
      page.renderRunBar();
    },

    invalid(errors) {
      app.starting = false;
      app.live = false;
      app.running = false;
      app.replayUntil = 0;
      app.engineErrors = errors;
      page.renderErrors();
      const first = errors.find((e) => FIELDS.some((f) => f.key === e.field));
      if (first && !app.embed) controls.focus(first.field);
      page.renderRunBar();
    },

    started(config) {
      app.starting = false;
      app.live = true;
      app.liveKey = configKey(app.config);
      app.step = 0;
      app.status = 'ready';
      app.message = '';
      const probes = app.replayUntil && app.run ? app.run.probes : [];
      app.run = { config: { ...config, num_steps: app.config.num_steps }, status: 'ready', message: '', probes };
      page.renderRunBar();
    },

    probe(record, figures) {
      if (!app.live || !app.run) return;  // a step that was in flight when a file was imported
      const probes = app.run.probes;
      const i = probes.findIndex((p) => p.step === record.step);
      if (i >= 0) probes[i] = record; else { probes.push(record); probes.sort((a, b) => a.step - b.step); }
      if (app.replayUntil && record.step < app.replayUntil) return;
      app.replayUntil = 0;
      if (record.step === probes.at(-1).step) {
        app.figures = figures;
        app.pinnedFigure = figures.pinned ?? null;
      }
      page.view.update(app.run, app.figures, page.pinnedForView());
      page.renderCompare();
      page.saveSoon();
    },

    state(s) {
      if (!app.live) return;  // the worker's session is no longer the run on screen
      const wasRunning = app.running;
      app.step = s.step;
      app.status = s.status;
      app.message = s.message;
      app.running = s.running;
      if (app.run) {
        app.run.status = s.status === 'ready' && s.step >= app.config.num_steps ? 'finished' : s.status;
        app.run.message = s.message;
        app.run.config.num_steps = app.config.num_steps;
      }
      if (wasRunning && !s.running) page.saveSoon();
      page.renderRunBar();
    },

    error(message) {
      console.error(`spiketail worker: ${message}`);  // unexpected: make it visible to tests and devtools
      page.showNotice(`Engine error: ${message}`);
    },
  };
}
