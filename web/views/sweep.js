// The sweep view (`view=sweep`): the study's learning-rate sweep and parameter studies (docs/method.md §7) on a pool
// of Web Workers, with progress, Cancel, figures against log10 η and per step, and JSON/CSV files in the
// CLI's sweep schema.
//
// Data flow: form -> spec -> sweep document -> Planner (engine's expandSweep: runs, order, errors) ->
// SweepPool (each run's config to its end in a worker) -> results[i] -> run grid + figures.
// main.js owns the URL: it calls load(hash) when the hash says view=sweep and reads hash() back.
import { SweepFigures } from '../sweep/figures.js';
import { SweepForm } from '../sweep/form.js';
import { RunGrid } from '../sweep/grid.js';
import { Planner, SweepPool, defaultWorkers, poolSize } from '../sweep/pool.js';
import { fileName, parseSweepFile, placeResults, tally, toCsv, toDocument, toJson } from '../sweep/results.js';
import { DEFAULT_SWEEP_PRESET, SWEEP_PRESETS, canonicalJson, matchSweepPreset, presetSpec, sameSpec, specFromDocument, specFromHash, specToDocument, specToHash } from '../sweep/spec.js';
import { createStore, download, el } from '../dom.js';
import { FIELD_BY_KEY } from '../fields.js';

const STORAGE_KEY = 'spiketail.sweep.v1';
const PLAN_DELAY_MS = 150;
const RENDER_MS = 250;

function clock(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

// The last sweep on screen (its hash, and its document when it fits), so that it survives a reload.
const saved = createStore(STORAGE_KEY);

// Labels for error lists: "Learning rates η (lr[1])", "Training samples n (n)".
const SWEEP_LABELS = { optimizer: 'Optimisers', lr: 'Learning rates η', repeat: 'Repeats', vary: 'Varied values', workers: 'Workers' };
function labelOf(field) {
  const f = String(field || '');
  const root = f.replace(/\[\d+\]$/, '').replace(/^vary\..*/, 'vary');
  const label = SWEEP_LABELS[root] || FIELD_BY_KEY.get(root)?.label;
  return label ? `${label} (${f})` : f;
}

export class SweepView {
  // openRun(config): show that run in the single-run view; onChange(): the spec changed (rewrite the URL).
  constructor(container, { openRun, onChange } = {}) {
    this.openRun = openRun;
    this.onChange = onChange;
    this.spec = null;
    this.workers = defaultWorkers();
    this.plan = null;           // the engine's expansion of this.spec: {doc, ok, errors, runs, base, memory}
    this.sweep = null;          // on screen: {plan, results, running: Map(index -> step), started, ended, cancelled, source}
    this.parseErrors = [];
    this.notices = [];
    this.engineFailed = '';

    this.element = el('section', { className: 'view view-sweep layout' });
    this.element.id = 'sweep-view';
    this.element.setAttribute('aria-label', 'Sweep');
    container.append(this.element);
    this.build();

    this.planner = new Planner({ onFail: (message) => { this.engineFailed = message; this.renderErrors(); this.renderBar(); } });
    this.pool = new SweepPool({
      onStart: (i) => { this.sweep?.running.set(i, 0); this.schedule(); },
      onStep: (i, step) => { if (this.sweep?.running.has(i)) this.sweep.running.set(i, step); this.schedule(); },
      onResult: (i, result) => this.onResult(i, result),
      onDone: () => this.onDone(),
    });
  }

  // ---------- DOM ----------
  build() {
    const aside = el('aside', { className: 'controls sweep-controls' });
    aside.setAttribute('aria-label', 'Sweep settings');
    const preset = el('div', { className: 'preset' });
    const label = el('label', { text: 'Sweep' });
    label.htmlFor = 'sweep-preset';
    this.presetSelect = el('select');
    this.presetSelect.id = 'sweep-preset';
    for (const p of SWEEP_PRESETS) this.presetSelect.append(new Option(p.label, p.id));
    this.presetSelect.append(new Option('Custom sweep', ''));
    this.presetAbout = el('p', { className: 'hint' });
    preset.append(label, this.presetSelect);
    const formEl = el('form');
    formEl.id = 'sweep-form';
    formEl.noValidate = true;
    aside.append(preset, this.presetAbout, formEl);
    this.form = new SweepForm(formEl, { onInput: () => this.onFormInput() });
    this.presetSelect.addEventListener('change', () => {
      const spec = presetSpec(this.presetSelect.value);
      if (spec) this.setSpec(spec, { fromUser: true });
    });

    const main = el('div', { className: 'views sweep-main' });
    const bar = el('div', { className: 'sweep-bar runbar' });
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Sweep');
    this.startButton = el('button', { className: 'primary', text: 'Start sweep' });
    this.startButton.type = 'button';
    this.startButton.dataset.testid = 'sweep-start';
    this.cancelButton = el('button', { text: 'Cancel' });
    this.cancelButton.type = 'button';
    this.cancelButton.dataset.testid = 'sweep-cancel';
    this.cancelButton.title = 'Stop every worker now; finished runs stay on screen';
    this.progress = el('progress');
    this.progress.max = 1;
    this.progress.value = 0;
    this.progress.setAttribute('aria-label', 'Runs done');
    this.counter = el('span', { className: 'counter' });
    this.counter.dataset.testid = 'sweep-progress';
    this.status = el('span', { className: 'status' });
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    bar.append(this.startButton, this.cancelButton, this.progress, this.counter, this.status);

    this.errors = el('ul', { className: 'errors' });
    this.errors.dataset.testid = 'sweep-error';
    this.errors.setAttribute('role', 'alert');
    this.errors.hidden = true;

    const files = el('div', { className: 'buttons sweep-files' });
    const button = (text, title, onClick, testid) => {
      const b = el('button', { text: text });
      b.type = 'button';
      b.title = title;
      b.dataset.testid = testid;
      b.addEventListener('click', onClick);
      files.append(b);
      return b;
    };
    button('Export JSON', 'Download the sweep in the CLI’s schema (docs/schema.md): its config and every finished run with its probes', () => this.exportFile('json'), 'sweep-export-json');
    button('Export CSV', 'Download one row per run and probe', () => this.exportFile('csv'), 'sweep-export-csv');
    const importLabel = el('label', { className: 'button', text: 'Import JSON' });
    importLabel.htmlFor = 'sweep-import-file';
    importLabel.title = 'Open a sweep file written by this page or by `spiketail sweep`';
    this.importInput = el('input', { className: 'visually-hidden' });
    this.importInput.type = 'file';
    this.importInput.id = 'sweep-import-file';
    this.importInput.accept = '.json,application/json';
    this.importInput.addEventListener('change', async () => {
      const file = this.importInput.files?.[0];
      this.importInput.value = '';
      if (file) this.importText(await file.text(), file.name);
    });
    files.append(importLabel, this.importInput);

    this.summary = el('p', { className: 'sweep-summary' });
    this.summary.dataset.testid = 'sweep-summary';
    const runsBox = el('div', { className: 'sweep-runs' });
    this.runs = new RunGrid(runsBox, { onOpen: (index) => this.open(index) });
    const figures = el('div', { className: 'sweep-figure-sections' });
    main.append(bar, this.errors, files, this.summary, runsBox, figures);
    this.element.append(aside, main);
    this.figures = new SweepFigures(figures, { onOpen: (index) => this.open(index) });

    this.startButton.addEventListener('click', () => this.start());
    this.cancelButton.addEventListener('click', () => this.cancel());
  }

  show() { this.element.hidden = false; this.render(); }
  hide() { this.element.hidden = true; }

  // ---------- URL and form ----------
  hash() {
    return specToHash(this.spec || presetSpec(DEFAULT_SWEEP_PRESET), { workers: this.workers });
  }

  // Sets the form from a '#view=sweep&…' hash; a bare '#view=sweep' brings back the last sweep (or the
  // default preset). The same spec again (e.g. Back from the single-run view) keeps what is on screen.
  load(hash) {
    const parsed = specFromHash(hash);
    let spec = parsed.spec, workers = parsed.workers || this.workers;
    if (parsed.empty) {
      if (this.spec) return;
      const saved = this.saved();
      const restored = saved?.hash ? specFromHash(saved.hash) : null;
      spec = restored && !restored.errors.length ? restored.spec : presetSpec(DEFAULT_SWEEP_PRESET);
      workers = restored?.workers || workers;
    }
    this.notices = parsed.errors.map((e) => `${labelOf(e.field)}: ${e.message}`);
    this.workers = workers;
    if (sameSpec(spec, this.spec)) {
      this.form.set(this.spec, this.workers);
      this.renderErrors();
      return;
    }
    this.setSpec(spec);
    this.restoreSaved();
  }

  setSpec(spec, { fromUser = false } = {}) {
    this.spec = spec;
    this.form.set(spec, this.workers);
    this.parseErrors = [];
    this.syncPreset();
    this.replan();
    if (fromUser) this.onChange?.();
    this.render();
  }

  syncPreset() {
    const id = matchSweepPreset(this.spec);
    this.presetSelect.value = id ?? '';
    this.presetAbout.textContent = SWEEP_PRESETS.find((p) => p.id === id)?.about ?? 'Your own sweep.';
  }

  onFormInput() {
    const { spec, workers, errors } = this.form.read();
    this.parseErrors = errors;
    if (workers >= 1) this.workers = workers;
    if (!errors.some((e) => e.field !== 'workers')) {
      this.spec = spec;
      this.syncPreset();
      this.onChange?.();
      clearTimeout(this.planTimer);
      this.planTimer = setTimeout(() => this.replan(), PLAN_DELAY_MS);
    }
    this.renderErrors();
    this.renderBar();
  }

  // Asks the engine to expand (and validate) the form's sweep; the latest request wins.
  replan() {
    const doc = specToDocument(this.spec);
    const ticket = (this.planTicket = (this.planTicket || 0) + 1);
    this.planning = this.planner.expand(doc).then((plan) => {
      if (ticket !== this.planTicket) return this.planning;
      this.plan = { ...plan, doc };
      this.renderErrors();
      this.render();
      return this.plan;
    });
    return this.planning;
  }

  // ---------- running ----------
  async start() {
    if (this.pool.active) return;
    if (this.parseErrors.length) { this.renderErrors(); this.form.focus(this.parseErrors[0].field); return; }
    const plan = await this.planning;
    if (!plan?.ok) { this.renderErrors(); if (plan?.errors?.[0]) this.form.focus(plan.errors[0].field); return; }
    this.notices = [];
    const size = poolSize(this.workers, plan.runs.length, plan.memory);
    this.sweep = { plan, results: plan.runs.map(() => null), running: new Map(), started: performance.now(), ended: 0,
      cancelled: false, source: 'run', workers: size };
    this.pool.start(plan.runs.map((r) => r.config), plan.runs.map((_, i) => i), size);
    clearInterval(this.clockTimer);
    this.clockTimer = setInterval(() => this.renderBar(), 500);
    this.renderErrors();
    this.render();
  }

  cancel() {
    if (!this.pool.active || !this.sweep) return;
    this.pool.cancel();
    this.sweep.running.clear();
    this.sweep.cancelled = true;
    this.finishClock();
    this.save();
    this.render();
  }

  onResult(i, result) {
    if (!this.sweep) return;
    this.sweep.results[i] = result;
    this.sweep.running.delete(i);
    this.dirtyFigures = true;
    this.schedule();
  }

  onDone() {
    this.finishClock();
    this.save();
    this.render();
  }

  finishClock() {
    clearInterval(this.clockTimer);
    if (this.sweep) this.sweep.ended = performance.now();
  }

  open(index) {
    const run = this.sweep?.plan.runs[index];
    if (run) this.openRun?.(run.config);
  }

  // ---------- files ----------
  exportFile(kind) {
    if (!this.sweep || !tally(this.sweep).done) { this.notices = ['Nothing to export yet: start the sweep first.']; this.renderErrors(); return; }
    if (kind === 'json') download(new Blob([toJson(this.sweep)], { type: 'application/json' }), fileName(this.sweep, 'json'));
    else download(new Blob([toCsv(this.sweep)], { type: 'text/csv' }), fileName(this.sweep, 'csv'));
  }

  // A sweep document (this page's or the CLI's): its config goes into the form, its runs onto the grid
  // that the engine expands from that config.
  async importText(text, name = 'file') {
    const { doc, error } = parseSweepFile(text);
    if (error) { this.notices = [`Could not import ${name}: ${error}`]; this.renderErrors(); return false; }
    const spec = specFromDocument(doc.config);
    const plan = await this.planner.expand(specToDocument(spec));
    if (!plan.ok) {
      this.notices = [`Could not import ${name}: ` + plan.errors.map((e) => `${e.field}: ${e.message}`).join('; ')];
      this.renderErrors();
      return false;
    }
    if (this.pool.active) this.cancel();
    const { results, unmatched } = placeResults(plan.runs, doc.runs);
    this.spec = spec;
    this.form.set(spec, this.workers);
    this.parseErrors = [];
    this.syncPreset();
    this.plan = { ...plan, doc: specToDocument(spec) };
    this.planTicket = (this.planTicket || 0) + 1;
    this.planning = Promise.resolve(this.plan);
    this.sweep = { plan: this.plan, results, running: new Map(), started: 0, ended: 0, cancelled: false, source: name };
    const t = tally(this.sweep);
    this.notices = [`Imported ${name}: ${t.done} of ${t.total} runs` + (unmatched ? `; ${unmatched} runs of the file are not in its grid and were ignored` : '')];
    this.dirtyFigures = true;
    this.onChange?.();
    this.save();
    this.renderErrors();
    this.render();
    return true;
  }

  // ---------- saved sweep (localStorage): the last sweep on screen survives a reload ----------
  saved() {
    return saved.load();
  }

  save() {
    if (!this.sweep) return;
    const record = { hash: this.hash(), document: toDocument(this.sweep), source: this.sweep.source };
    saved.save(record, { hash: record.hash });
  }

  async restoreSaved() {
    const saved = this.saved();
    if (!saved?.document || this.sweep) return;
    const spec = specFromDocument(saved.document.config);
    if (!sameSpec(spec, this.spec)) return;
    const plan = await this.planning;
    if (!plan?.ok || !sameSpec(spec, this.spec) || this.sweep) return;
    const { results } = placeResults(plan.runs, saved.document.runs);
    this.sweep = { plan, results, running: new Map(), started: 0, ended: 0, cancelled: false, source: 'saved' };
    this.dirtyFigures = true;
    this.render();
  }

  // ---------- drawing ----------
  // Redraws at most every RENDER_MS while the workers run (progress at a few Hz is plenty, and the page's
  // thread then leaves the cores to the workers), at the next frame otherwise.
  schedule() {
    if (this.frame) return;
    const run = () => { this.frame = 0; this.render(); };
    this.frame = this.pool.active ? setTimeout(run, RENDER_MS) : requestAnimationFrame(run);
  }

  render() {
    if (this.element.hidden) return;
    this.renderBar();
    this.renderSummary();
    this.runs.update(this.sweep || (this.plan?.ok ? { plan: this.plan, results: [], running: new Map() } : null));
    const shown = this.sweep || this.plan;
    if (this.dirtyFigures || this.figuresFor !== shown) {
      this.dirtyFigures = false;
      this.figuresFor = shown;
      this.figures.update(this.sweep || (this.plan?.ok ? { plan: this.plan, results: this.plan.runs.map(() => null) } : null));
    }
  }

  renderErrors() {
    const errors = [...this.parseErrors, ...(this.plan && !this.plan.ok ? this.plan.errors : [])];
    this.form.markErrors(errors);
    const items = [...errors.map((e) => `${labelOf(e.field)}: ${e.message}`), ...this.notices];
    if (this.engineFailed) items.unshift(`The engine could not be loaded: ${this.engineFailed}`);
    this.errors.replaceChildren(...items.map((t) => el('li', { text: t })));
    this.errors.hidden = !items.length;
    this.errors.classList.toggle('notice-only', !errors.length && !this.engineFailed);
  }

  renderBar() {
    const running = this.pool.active;
    const planOk = !!this.plan?.ok && !this.parseErrors.length;
    this.startButton.disabled = running || !planOk || !!this.engineFailed;
    this.cancelButton.disabled = !running;
    this.form.setDisabled(running);
    this.presetSelect.disabled = running;
    const s = this.sweep;
    if (!s) {
      this.progress.value = 0;
      this.counter.textContent = '';
      this.status.textContent = this.engineFailed ? '' : planOk ? 'Ready: press Start sweep.' : this.plan ? 'Fix the marked settings to start.' : 'Loading the engine…';
      return;
    }
    const t = tally(s);
    this.progress.max = Math.max(1, t.total);
    this.progress.value = t.done;
    this.counter.textContent = `${t.done} / ${t.total} runs`;
    this.counter.dataset.done = String(t.done);
    const failed = [t.diverged && `${t.diverged} diverged`, t.error && `${t.error} failed`].filter(Boolean).join(', ');
    const now = s.ended || performance.now();
    if (running) {
      // Time left from the steps done so far (runs in flight count their steps), at the rate so far.
      const steps = s.plan.runs.map((r) => Math.max(1, r.config.num_steps));
      const total = steps.reduce((a, b) => a + b, 0);
      let done = 0;
      s.results.forEach((r, i) => { if (r) done += steps[i]; });
      for (const [, step] of s.running) done += step;
      const elapsed = now - s.started;
      const left = done > 0 ? (elapsed * (total - done)) / done : NaN;
      this.status.textContent = `${s.workers} worker${s.workers > 1 ? 's' : ''} · ${clock(elapsed)} elapsed` +
        (Number.isFinite(left) && done > 0 ? ` · about ${clock(left)} left` : '') + (failed ? ` · ${failed}` : '');
    } else if (s.source === 'run') {
      const took = clock(s.ended - s.started);
      this.status.textContent = (s.cancelled ? `Cancelled after ${took}; the finished runs stay.` : `Done in ${took}.`) +
        (failed ? ` ${failed}.` : '') + (canonicalJson(s.plan.doc) === canonicalJson(specToDocument(this.spec)) ? '' : ' Settings changed: Start runs the new sweep.');
    } else {
      this.status.textContent = `${s.source === 'saved' ? 'The last sweep (saved in this browser)' : `Imported from ${s.source}`}.` + (failed ? ` ${failed}.` : '');
    }
  }

  renderSummary() {
    const p = this.plan;
    if (!p?.ok) { this.summary.textContent = ''; return; }
    const d = p.doc;
    const parts = [`${d.optimizer.length} optimiser${d.optimizer.length > 1 ? 's' : ''}`, `${d.lr.length} learning rate${d.lr.length > 1 ? 's' : ''}`];
    if (d.vary) { const [k, v] = Object.entries(d.vary)[0]; parts.push(`${v.length} values of ${k}`); }
    parts.push(`${d.repeat} repeat${d.repeat > 1 ? 's' : ''}`);
    const b = p.base;
    const mb = Math.round((p.memory || 0) / 2 ** 20);
    this.summary.textContent = `${p.runs.length} runs = ${parts.join(' × ')}; ${b.num_steps} steps each at n = ${b.n}, d = ${b.d}, h = ${b.h}` +
      (mb ? ` (about ${mb} MB per worker)` : '') + '.';
  }
}
