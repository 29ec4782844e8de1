// The controller: wires the URL state, the config form, the training worker and the views together.
// Data flows one way: form/URL -> config -> worker (wasm Session) -> probe records -> view.
import { Controls } from './controls.js';
import { Engine } from './engine.js';
import { FIELDS, defaultConfig, toFlat, toNested, unknownKeys } from './fields.js';
import { download } from './dom.js';
import { parseRun, runFileName, runToCsv, runToJson } from './io.js';
import { DEFAULT_PRESET, PRESETS, matchPreset, presetConfig } from './presets.js';
import { baseUrl, buildHash, embedCode, loadSession, parseHash, saveSession } from './state.js';
import { VIEW_TYPES, viewOrDefault } from './views/index.js';

const $ = (id) => document.getElementById(id);

const app = {
  config: null,            // the form's config (nested), the one in the URL
  view: 'single', embed: false, hide: [], autoplay: false,
  run: null,               // {config, status, message, probes} on screen
  figures: null,           // the worker's figure data for the latest probe on screen
  live: false,             // the run on screen is the worker's live session
  liveKey: '',             // config of the live session, without num_steps (see configKey)
  running: false,
  step: 0, status: 'ready', message: '',
  replayUntil: 0,          // replaying a restored/imported run: probes below this step are not redrawn
  parseErrors: [], engineErrors: [], notices: [],
  engineReady: false, engineFailed: '',
  lastHash: '',
};

// Settings that can change without restarting the run: raising num_steps continues it.
const configKey = (config) => JSON.stringify({ ...toFlat(config), num_steps: undefined });
const isDirty = () => app.live && configKey(app.config) !== app.liveKey;

// ---------- page skeleton ----------
const controls = new Controls($('config-form'), { onInput: onFieldInput });
const view = VIEW_TYPES.single.create($('views'));

// ---------- views: single run | sweep ----------
// The sweep view is created when first shown, so its workers start only when someone opens it. It owns
// the URL while it is shown (its own keys: lists of optimisers and learning rates, vary.*, workers).
let sweepView = null;
const isSweepHash = (hash) => new URLSearchParams(String(hash || '').replace(/^#/, '')).get('view') === 'sweep';

function showView(name) {
  app.view = name;
  document.body.dataset.view = name;
  for (const tab of document.querySelectorAll('[data-view-tab]')) {
    if (tab.dataset.viewTab === name) tab.setAttribute('aria-current', 'page'); else tab.removeAttribute('aria-current');
  }
  if (name === 'sweep') {
    sweepView ??= VIEW_TYPES.sweep.create($('sweep-root'), { openRun: openSweepRun, onChange: writeHash });
    sweepView.show();
  } else sweepView?.hide();
}

// A sweep's run, recomputed here from its exact config with a probe at every step, so that its whole
// spectrum history shows (probing does not change the trajectory: the last probe is the sweep's).
function openSweepRun(config) {
  window.location.hash = buildHash({ config: { ...config, probe_every: 1 }, view: 'single', autoplay: true });
}

for (const tab of document.querySelectorAll('[data-view-tab]')) {
  tab.addEventListener('click', () => {
    if (tab.dataset.viewTab === app.view) return;
    saveSoon();  // a reload comes back to this view
    if (tab.dataset.viewTab === 'sweep') { loadFromHash('#view=sweep'); return; }  // the last sweep, or the default
    showView('single');
    writeHash();
    if (app.engineReady && !app.live && !app.run?.probes?.length) startRun();
  });
}
const engine = new Engine({
  ready: onEngineReady,
  engineError: onEngineError,
  invalid: onInvalid,
  started: onStarted,
  probe: onProbe,
  state: onState,
  error: (message) => {
    console.error(`spiketail worker: ${message}`);  // unexpected: make it visible to tests and devtools
    showNotice(`Engine error: ${message}`);
  },
});

for (const p of PRESETS) $('preset').append(new Option(p.label, p.id));
$('preset').append(new Option('Custom settings', ''));

// The settings column sticks below the run bar, whose height changes with the error list.
new ResizeObserver(([entry]) => {
  document.documentElement.style.setProperty('--sticky-h', `${Math.ceil(entry.target.offsetHeight)}px`);
}).observe($('sticky'));

// ---------- status, errors, banners ----------
function setStatus(text) { $('status').textContent = text; }

function showNotice(text) {
  app.notices = text ? [text] : [];
  renderErrors();
}

function renderErrors() {
  const errors = [...app.parseErrors, ...app.engineErrors];
  controls.markErrors(errors);
  const box = $('errors');
  box.replaceChildren();
  const items = [
    ...errors.map((e) => `${e.field && e.field !== 'memory' ? `${labelOf(e.field)}: ` : ''}${e.message}`),
    ...app.notices,
  ];
  for (const text of items) {
    const li = document.createElement('li');
    li.textContent = text;
    box.append(li);
  }
  box.hidden = items.length === 0;
}

function labelOf(key) {
  const f = FIELDS.find((x) => x.key === key);
  return f ? `${f.label} (${key})` : key;
}

function renderRunBar() {
  const total = app.config?.num_steps ?? 0;
  $('step-count').textContent = String(app.step);
  $('step-total').textContent = String(total);
  const play = $('play');
  play.textContent = app.running ? 'Pause' : 'Play';
  play.setAttribute('aria-pressed', String(app.running));
  const usable = app.engineReady;
  for (const id of ['play', 'step', 'reset']) $(id).disabled = !usable;
  const banner = $('banner');
  if (app.status === 'diverged') {
    // The engine's message usually says "diverged at step N: why"; do not say it twice.
    const why = app.message.replace(/^diverged at step \d+:?\s*/i, '');
    banner.textContent = `The run diverged at step ${app.step}${why ? ` (${why})` : ''}. ` +
      'The figures show the last good probe. Lower the learning rate, then Reset.';
    banner.hidden = false;
  } else banner.hidden = true;
  if (!app.engineReady) return;
  let text;
  if (app.running) text = app.replayUntil ? `Replaying… step ${app.step} of ${app.replayUntil}` : `Running… step ${app.step} of ${total}`;
  else if (!app.live && app.run?.probes?.length) {
    text = `Viewing a saved run (step ${app.step}). Play or Step replays it live from step 0 and continues.`;
  } else if (!app.live) text = 'Fix the marked settings to start a run.';
  else if (isDirty()) text = 'Settings changed: Play, Step or Reset starts over from step 0 with them.';
  else if (app.status === 'diverged') text = `Diverged at step ${app.step}.`;
  else if (app.step >= total) text = `Done: ${app.step} steps. Raise “Steps” to continue, or Reset.`;
  else if (app.step === 0) text = 'Ready: press Play, or Step for one optimiser step.';
  else text = `Paused at step ${app.step} of ${total}.`;
  setStatus(text);
}

// ---------- URL and storage ----------
function writeHash() {
  const hash = app.view === 'sweep' && sweepView ? sweepView.hash()
    : buildHash({ config: app.config, view: app.view, embed: app.embed, hide: app.hide, autoplay: false });
  app.lastHash = hash;
  if (window.location.hash !== hash) history.replaceState(null, '', hash);
}

let save_timer = 0;
function saveSoon() {
  clearTimeout(save_timer);
  save_timer = setTimeout(() => {
    saveSession({ state: { config: app.config, view: app.view }, run: app.run?.probes?.length ? app.run : null });
  }, 600);
}

function applyPageState() {
  document.body.classList.toggle('embed', app.embed);
  controls.hide(app.hide);
  $('open-full').href = baseUrl() + buildHash({ config: app.config, view: app.view });
  $('preset').value = matchPreset(app.config) ?? '';
  const preset = PRESETS.find((p) => p.id === $('preset').value);
  $('preset-about').textContent = preset ? preset.about : 'Your own settings.';
}

// ---------- running ----------
function readForm() {
  const { config, errors } = controls.read();
  app.parseErrors = errors;
  // Keep the last good value of a field being typed, so the URL always holds a whole config.
  app.config = toNested({ ...toFlat(app.config || defaultConfig()), ...toFlat(config) });
  return errors.length === 0;
}

// Starts a new session with the form's config; `then` is queued behind it in the worker.
function startRun(then = null, { keepRun = false } = {}) {
  if (!app.engineReady) return false;
  if (!readForm()) {
    renderErrors();
    controls.focus(app.parseErrors[0].field);
    return false;
  }
  if (!keepRun) { app.run = null; app.replayUntil = 0; app.figures = null; }
  app.engineErrors = [];
  app.notices = [];
  renderErrors();
  engine.init(app.config);
  if (then?.kind === 'play') engine.play(app.config.num_steps);
  if (then?.kind === 'step') engine.step(then.count);
  return true;
}

function onPlay() {
  if (app.running) { engine.pause(); return; }
  if (!readForm()) { renderErrors(); return; }
  const target = app.config.num_steps;
  if (!app.live || isDirty()) {
    const replay = !app.live && app.run?.probes?.length && configKey(app.run.config) === configKey(app.config);
    app.replayUntil = replay ? app.run.probes.at(-1).step : 0;
    startRun({ kind: 'play' }, { keepRun: replay });
    return;
  }
  if (app.status === 'diverged') { setStatus('The run diverged: Reset (after lowering η) to start again.'); return; }
  if (app.step >= target) { setStatus(`Already at ${target} steps: raise “Steps” to continue, or Reset.`); $('field-num_steps').focus(); return; }
  engine.play(target);
}

function onStep() {
  if (!readForm()) { renderErrors(); return; }
  if (!app.live || isDirty()) {
    const replay = !app.live && app.run?.probes?.length && configKey(app.run.config) === configKey(app.config);
    const from = replay ? app.run.probes.at(-1).step : 0;
    app.replayUntil = from;
    startRun({ kind: 'step', count: from + 1 }, { keepRun: replay });
    return;
  }
  if (app.status === 'diverged') return;
  engine.step(1);
}

function onReset() {
  if (app.running) engine.pause();
  startRun();
}

// ---------- engine events ----------
function onEngineReady(info) {
  app.engineReady = true;
  app.engineInfo = info;
  document.body.dataset.engine = info.version;
  // The form's defaults mirror docs/schema.md; say so loudly if the engine disagrees.
  const ours = toFlat(defaultConfig()), theirs = toFlat(info.defaults);
  const differ = Object.keys(ours).filter((k) => theirs[k] !== undefined && theirs[k] !== ours[k]);
  if (differ.length) console.warn(`spiketail: page defaults differ from the engine's for ${differ.join(', ')}`);
  if (app.run?.probes?.length && !app.live) {
    showSavedRun();
  } else if (app.view !== 'sweep' && startRun(app.autoplay ? { kind: 'play' } : null)) {  // else: when shown
    setStatus('Starting…');
  }
  renderRunBar();
}

function onEngineError(message) {
  app.engineFailed = message;
  app.engineReady = false;
  setStatus('');
  const box = $('engine-missing');
  box.hidden = false;
  $('engine-missing-detail').textContent = message;
  renderRunBar();
}

function onInvalid(errors) {
  app.live = false;
  app.running = false;
  app.replayUntil = 0;
  app.engineErrors = errors;
  renderErrors();
  const first = errors.find((e) => FIELDS.some((f) => f.key === e.field));
  if (first && !app.embed) controls.focus(first.field);
  renderRunBar();
}

function onStarted(config) {
  app.live = true;
  app.liveKey = configKey(app.config);
  app.step = 0;
  app.status = 'ready';
  app.message = '';
  const probes = app.replayUntil && app.run ? app.run.probes : [];
  app.run = { config: { ...config, num_steps: app.config.num_steps }, status: 'ready', message: '', probes };
  renderRunBar();
}

function onProbe(record, figures) {
  if (!app.live || !app.run) return;  // a step that was in flight when a file was imported
  const probes = app.run.probes;
  const i = probes.findIndex((p) => p.step === record.step);
  if (i >= 0) probes[i] = record; else { probes.push(record); probes.sort((a, b) => a.step - b.step); }
  if (app.replayUntil && record.step < app.replayUntil) return;
  app.replayUntil = 0;
  if (record.step === probes.at(-1).step) app.figures = figures;
  view.update(app.run, app.figures);
  saveSoon();
}

function onState(s) {
  if (!app.live) return;  // the worker's session is no longer the run on screen
  const was_running = app.running;
  app.step = s.step;
  app.status = s.status;
  app.message = s.message;
  app.running = s.running;
  if (app.run) {
    app.run.status = s.status === 'ready' && s.step >= app.config.num_steps ? 'finished' : s.status;
    app.run.message = s.message;
    app.run.config.num_steps = app.config.num_steps;
  }
  if (was_running && !s.running) saveSoon();
  renderRunBar();
}

// A run restored from storage or imported: show it, and ask the engine for its histograms.
async function showSavedRun() {
  const run = app.run;
  app.step = run.probes.at(-1)?.step ?? 0;
  app.status = run.status;
  app.message = run.message;
  app.live = false;
  view.update(run, null);
  renderRunBar();
  if (!app.engineReady) return;
  const record = [...run.probes].reverse().find((p) => p.eigenvalues?.length);
  if (!record || record !== run.probes.at(-1)) return;
  const initial = run.probes.find((p) => p.step === 0)?.eigenvalues;
  const config = { ...defaultConfig(), ...run.config };
  const figures = await engine.figures(config, record, initial);
  if (app.run === run && !app.live) {
    app.figures = figures;
    view.update(run, figures);
  }
}

// ---------- form ----------
let validate_timer = 0, restart_timer = 0;
function onFieldInput(key) {
  readForm();
  renderErrors();
  writeHash();
  applyPageState();
  saveSoon();
  if (key === 'num_steps' && app.run) {
    app.run.config.num_steps = app.config.num_steps;
    if (app.live && !app.running && !app.parseErrors.length) engine.setNumSteps(app.config.num_steps);
  }
  renderRunBar();
  clearTimeout(validate_timer);
  if (!app.engineReady) return;
  validate_timer = setTimeout(async () => {
    // The engine checks the rest of the form too (a field being typed keeps its last good value).
    const unparsed = new Set(app.parseErrors.map((e) => e.field));
    const errors = (await engine.validate(app.config)).filter((e) => !unparsed.has(e.field));
    app.engineErrors = errors;
    renderErrors();
    if (app.parseErrors.length) return;
    // At step 0 there is nothing to lose: show the new setting's initial spectrum at once.
    clearTimeout(restart_timer);
    if (!errors.length && isDirty() && app.step === 0 && !app.running) restart_timer = setTimeout(() => startRun(), 200);
  }, 250);
}

// ---------- toolbar ----------
$('preset').addEventListener('change', () => {
  const config = presetConfig($('preset').value);
  if (!config) return;
  app.config = config;
  controls.setConfig(config);
  app.parseErrors = [];
  writeHash();
  applyPageState();
  if (app.running) engine.pause();
  startRun();
  saveSoon();
});

$('play').addEventListener('click', onPlay);
$('step').addEventListener('click', onStep);
$('reset').addEventListener('click', onReset);

async function share(text, what) {
  const out = $('share-text');
  out.value = text;
  $('share').hidden = false;
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch { /* no clipboard permission (e.g. inside an iframe): the text is selected below */ }
  $('share-label').textContent = copied ? `${what} copied to the clipboard:` : `${what} (press Ctrl+C / ⌘C to copy):`;
  out.focus();
  out.select();
}

$('copy-link').addEventListener('click', () => {
  readForm();
  share(baseUrl() + buildHash({ config: app.config, view: app.view, hide: app.hide }), 'Link');
});
$('copy-embed').addEventListener('click', () => {
  readForm();
  share(embedCode(baseUrl() + buildHash({ config: app.config, view: app.view, embed: true, hide: app.hide })), 'Embed code');
});
$('export-json').addEventListener('click', () => {
  if (!app.run?.probes?.length) { showNotice('Nothing to export yet: run a step first.'); return; }
  download(new Blob([runToJson(app.run)], { type: 'application/json' }), runFileName(app.run, 'json'));
});
$('export-csv').addEventListener('click', () => {
  if (!app.run?.probes?.length) { showNotice('Nothing to export yet: run a step first.'); return; }
  download(new Blob([runToCsv(app.run)], { type: 'text/csv' }), runFileName(app.run, 'csv'));
});
$('import-file').addEventListener('change', async (e) => {
  const file = e.target.files?.[0];
  e.target.value = '';
  if (!file) return;
  importRun(await file.text(), file.name);
});

function importRun(text, name = 'file') {
  const { run, error } = parseRun(text);
  if (error && /sweep file/.test(error)) {  // a sweep document (ours or `spiketail sweep`'s): the sweep view opens it
    loadFromHash('#view=sweep');
    return sweepView.importText(text, name);
  }
  if (error) { showNotice(`Could not import ${name}: ${error}`); return false; }
  if (app.running) engine.pause();
  app.live = false;
  const unknown = unknownKeys(run.config);
  app.config = toNested({ ...toFlat(defaultConfig()), ...toFlat(run.config) });
  controls.setConfig(app.config);
  app.parseErrors = [];
  app.engineErrors = [];
  showNotice(unknown.length ? `Imported ${name}; ignored unknown settings: ${unknown.join(', ')}` : '');
  app.run = run;
  app.running = false;
  app.figures = null;
  app.replayUntil = 0;
  writeHash();
  applyPageState();
  showSavedRun();
  saveSoon();
  return true;
}

// ---------- keyboard ----------
document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || app.view === 'sweep') return;
  if (e.target.closest?.('input, select, textarea, [contenteditable]')) return;
  const action = { p: onPlay, s: onStep, r: onReset }[e.key];
  if (action && app.engineReady) { e.preventDefault(); action(); }
});

window.addEventListener('hashchange', () => {
  if (window.location.hash === app.lastHash) return;
  const sweep = isSweepHash(window.location.hash);
  loadFromHash(window.location.hash);
  if (!sweep && app.engineReady) { if (app.running) engine.pause(); startRun(app.autoplay ? { kind: 'play' } : null); }
});

// ---------- start ----------
function loadFromHash(hash) {
  if (isSweepHash(hash)) {
    showView('sweep');
    sweepView.load(hash);
    writeHash();
    return true;
  }
  const parsed = parseHash(hash);
  // Missing keys take the study's defaults (docs/schema.md), as in the CLI.
  app.config = toNested({ ...toFlat(defaultConfig()), ...toFlat(parsed.config) });
  showView(viewOrDefault(parsed.view));
  app.embed = parsed.embed;
  app.hide = parsed.hide;
  app.autoplay = parsed.autoplay;
  app.parseErrors = parsed.errors.filter((e) => FIELDS.some((f) => f.key === e.field));
  app.notices = parsed.errors.filter((e) => !FIELDS.some((f) => f.key === e.field)).map((e) => e.message);
  if (parsed.view !== app.view) app.notices.push(`The “${parsed.view}” view is not available yet; showing the single run.`);
  controls.setConfig(app.config);
  writeHash();
  applyPageState();
  renderErrors();
  return parsed.present;
}

function boot() {
  const saved = loadSession();
  const link = window.location.hash.length > 1 ? window.location.hash : '';
  const from_link = link && !isSweepHash(link) && loadFromHash(link);
  if (!from_link) {
    loadFromHash(buildHash({ config: saved?.state?.config ?? presetConfig(DEFAULT_PRESET), view: 'single' }));
  }
  // The last run comes back when it is the experiment on screen (a reload, or the same link again).
  if (saved?.run?.probes?.length && configKey(saved.run.config) === configKey(app.config)) app.run = saved.run;
  // On a phone the settings would push the figures a screen down: start with them folded.
  if (window.matchMedia('(max-width: 760px)').matches) $('settings').open = false;
  view.update(app.run, null);
  if (app.run) showSavedRun();
  setStatus('Loading the engine…');
  renderRunBar();
  // A sweep link, or a reload of the page left on the sweep view.
  if (isSweepHash(link) || (!link && saved?.state?.view === 'sweep')) loadFromHash(link || '#view=sweep');
}

boot();

// For the end-to-end tests and the curious: the page's state, read-only by convention.
window.spiketail = { app, importRun, get sweep() { return sweepView; } };
