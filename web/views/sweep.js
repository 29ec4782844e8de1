// The sweep view (`view=sweep`): the study's learning-rate sweep and parameter studies (docs/method.md §7) on a pool
// of Web Workers, with progress, Cancel, figures against log10 η and per step, and JSON/CSV files in the
// CLI's sweep schema.
//
// Data flow: form -> spec -> sweep document -> Planner (engine's expandSweep: runs, order, errors) ->
// SweepPool (each run's config to its end in a worker) -> results[i] -> run grid + figures.
// Files -> Planner (engine's collectSweep: their runs on the grid, which are missing, another sweep refused)
// -> results; Resume runs only the missing ones (collectSweep again, on the sweep on screen).
// This file keeps the view's state (spec, workers, errors) and wires the parts together:
//   sweep/form.js     preset menu and form          sweep/runner.js   planner and pool, plan and sweep
//   sweep/bar.js      Start/Cancel, progress, ETA   sweep/files.js    export, import, the saved sweep
//   sweep/grid.js     the run grid                  sweep/figures.js  the figures
// app/navigation.js owns the URL: it calls load(hash) when the hash says view=sweep and reads hash() back.
import { el } from '../dom.js';
import { SweepBar, planSummary } from '../sweep/bar.js';
import { exportSweep, fileButtons, loadSavedSweep, saveSweep } from '../sweep/files.js';
import { SweepFigures } from '../sweep/figures.js';
import { SweepForm, errorLabel } from '../sweep/form.js';
import { RunGrid } from '../sweep/grid.js';
import { defaultWorkers } from '../sweep/pool.js';
import { documentRequest, parseSweepFile, planRuns, tally } from '../sweep/results.js';
import { SweepRunner } from '../sweep/runner.js';
import { BASE_FIELDS, DEFAULT_SWEEP_PRESET, canonicalJson, presetSpec, sameSpec, specFromDocument, specFromHash, specToDocument, specToHash } from '../sweep/spec.js';

// fig= names of an embedded sweep (views/index.js) -> the figures' element ids (sweep/figures.js).
export const SWEEP_FIGURES = Object.fromEntries([
  ...['alpha_hill', 'alpha_ks', 'sim_w_beta', 'kta', 'train_loss', 'test_loss'].map((k) => [k, `sweep-fig-${k}`]),
  ...['train_loss', 'test_loss', 'alpha_hill', 'sim_w_beta'].map((k) => [`step-${k}`, `sweep-fig-step-${k}`]),
]);
// hide= in the sweep view: its form's rows (the grid's keys and the base config's fields).
export const sweepHideable = () => ['optimizer', 'lr', 'repeat', 'vary', 'workers', ...BASE_FIELDS.map((f) => f.key)];

const PLAN_DELAY_MS = 150;   // after the last keystroke, the engine expands the form's sweep
const RENDER_MS = 250;       // redraw interval while the workers run
const CLOCK_MS = 500;        // the elapsed time and time left tick at this rate

export class SweepView {
  // openRun(config): show that run in the single-run view; onChange(): the spec changed (rewrite the URL).
  constructor(container, { openRun, onChange } = {}) {
    this.openRun = openRun;
    this.onChange = onChange;
    this.spec = null;
    this.workers = defaultWorkers();
    this.parseErrors = [];
    this.linkErrors = [];   // a link's errors no input shows (unknown keys, preset, page keys): Start waits for an edit
    this.notices = [];
    this.engineFailed = '';
    this.figuresTicket = 0;

    this.element = el('section', { className: 'view view-sweep layout', id: 'sweep-view', 'aria-label': 'Sweep' });
    container.append(this.element);
    const aside = el('aside', { className: 'controls sweep-controls', 'aria-label': 'Sweep settings' });
    this.form = new SweepForm(aside, { onInput: () => this.onFormInput(), onPreset: (spec) => this.setSpec(spec, { fromUser: true }) });
    const main = el('div', { className: 'views sweep-main' });
    this.bar = new SweepBar(main, { onStart: () => this.start(), onCancel: () => this.cancel() });
    this.errors = el('ul', { className: 'errors', 'data-testid': 'sweep-error', role: 'alert', hidden: true });
    main.append(this.errors);
    fileButtons(main, { onExport: (kind) => this.exportFile(kind), onImport: (files) => this.importFiles(files) });
    this.summary = el('p', { className: 'sweep-summary', 'data-testid': 'sweep-summary' });
    const runsBox = el('div', { className: 'sweep-runs' });
    this.runs = new RunGrid(runsBox, { onOpen: (index) => this.open(index) });
    const figures = el('div', { className: 'sweep-figure-sections' });
    main.append(this.summary, runsBox, figures);
    this.element.append(aside, main);
    this.figures = new SweepFigures(figures, { onOpen: (index) => this.open(index) });

    this.runner = new SweepRunner({
      onPlan: () => { this.renderErrors(); this.render(); },
      onProgress: () => this.schedule(),
      onResult: () => { this.dirtyFigures = true; this.schedule(); },
      onEnd: () => { clearInterval(this.clockTimer); this.save(); this.render(); },
      onFail: (message) => { this.engineFailed = message; this.renderErrors(); this.renderBar(); },
    });
  }

  // The runner's state, under the names the end-to-end tests read.
  get plan() { return this.runner.plan; }
  get sweep() { return this.runner.sweep; }
  get pool() { return this.runner.pool; }

  show() { this.element.hidden = false; this.render(); }
  hide() { this.element.hidden = true; }

  // ---------- URL and form ----------
  hash() {
    return specToHash(this.spec || presetSpec(DEFAULT_SWEEP_PRESET), { workers: this.workers });
  }

  // Sets the form from a '#view=sweep&…' hash; a bare '#view=sweep' brings back the last sweep (or the
  // default preset). The same spec again (e.g. Back from the single-run view) keeps what is on screen.
  // state: the page keys (url.js's parsePageState), whose errors are listed with the link's own.
  load(hash, state = { errors: [] }) {
    const parsed = specFromHash(hash);
    this.linkErrors = [...state.errors, ...parsed.errors];
    let spec = parsed.spec, workers = parsed.workers || this.workers;
    if (parsed.empty) {
      if (this.spec) { this.renderErrors(); this.renderBar(); return; }
      const saved = loadSavedSweep();
      const restored = saved?.hash ? specFromHash(saved.hash) : null;
      spec = restored && !restored.errors.length ? restored.spec : presetSpec(DEFAULT_SWEEP_PRESET);
      workers = restored?.workers || workers;
    }
    this.notices = [];
    this.workers = workers;
    if (Object.keys(parsed.raw).length) {
      // Values that do not parse stay in their inputs, as the link has them, and are reported from there.
      this.spec = spec;
      this.form.set(spec, this.workers);
      this.form.setText(parsed.raw);
      this.form.showPreset(spec);
      this.readForm();
      this.render();
      return;
    }
    if (sameSpec(spec, this.spec)) {
      this.form.set(this.spec, this.workers);
      this.parseErrors = [];
      this.renderErrors();
      this.renderBar();
      return;
    }
    this.setSpec(spec);
    this.restoreSaved();
  }

  setSpec(spec, { fromUser = false } = {}) {
    this.spec = spec;
    this.form.set(spec, this.workers);
    this.parseErrors = [];
    this.form.showPreset(spec);
    this.replan();
    if (fromUser) { this.linkErrors = []; this.onChange?.(); }
    this.render();
  }

  onFormInput() {
    this.linkErrors = [];  // the reader takes over from the link
    this.readForm();
    this.onChange?.();
  }

  // The form -> spec and parse errors; the engine plans the spec when only list entries fail to parse (it
  // then checks the other entries), not when a scalar does (its runs would be of another config).
  readForm() {
    const { spec, workers, errors } = this.form.read();
    this.parseErrors = errors;
    if (!errors.some((e) => e.field === 'workers')) this.workers = workers;
    if (errors.every((e) => e.field === 'workers' || /\[\d+\]$/.test(e.field))) {
      this.spec = spec;
      this.form.showPreset(spec);
      clearTimeout(this.planTimer);
      this.planTimer = setTimeout(() => this.replan(), PLAN_DELAY_MS);
    }
    this.renderErrors();
    this.renderBar();
  }

  // Embed mode (app/embed.js chose the figures): the form's rows named by hide= are hidden.
  setEmbed({ hide }) {
    this.form.hide(hide);
  }

  replan() {
    return this.runner.replan(specToDocument(this.spec));
  }

  // ---------- running ----------
  async start() {
    if (this.runner.active) return;
    if (this.linkErrors.length) { this.renderErrors(); return; }
    if (this.parseErrors.length) { this.renderErrors(); this.form.focus(this.parseErrors[0].field); return; }
    const plan = await this.runner.planning;
    if (!plan?.ok) { this.renderErrors(); if (plan?.errors?.[0]) this.form.focus(plan.errors[0].field); return; }
    this.notices = [];
    if (this.resumable()) {
      if (!await this.resume(plan)) return;
    } else if (!await this.runner.start(plan, this.workers)) {
      return;
    }
    clearInterval(this.clockTimer);
    this.clockTimer = setInterval(() => this.renderBar(), CLOCK_MS);
    this.renderErrors();
    this.render();
  }

  // The form still describes the sweep on screen, and runs of it have not finished or failed (a cancelled sweep,
  // an imported part, a worker that died): Start resumes it rather than starting afresh. Failed runs are rerun,
  // as collectSweep's rerun_errors and `spiketail sweep --resume` have them.
  resumable() {
    const s = this.sweep;
    return !!s && !this.runner.active && s.results.some((r) => !r || r.status === 'error') && !this.settingsChanged();
  }

  settingsChanged() {
    return !!this.sweep && canonicalJson(this.sweep.plan.doc) !== canonicalJson(specToDocument(this.spec));
  }

  // The engine decides what is missing: the sweep on screen as a document (sweepDocument), collected against the
  // form's sweep (collectSweep: another sweep, or probes recorded otherwise than the page does, are refused);
  // runs in error count as missing, as `spiketail sweep --resume` has them. Only the missing ones run.
  async resume(plan) {
    const s = this.sweep;
    const made = await this.runner.planner.sweepDocument(documentRequest(s));
    const { collected, results } = made.ok
      ? await this.runner.collect({ sweep: plan.config, record: 'default', rerun_errors: true,
        documents: [{ name: s.source === 'run' ? 'the sweep on screen' : s.source, document: made.document }] })
      : { collected: made, results: null };
    if (!collected.ok || this.runner.active) {
      this.notices = collected.ok ? [] : ['Cannot resume: ' + collected.errors.map((e) => `${e.field}: ${e.message}`).join('; ') +
        '. Change a setting to start a new sweep.'];
      this.renderErrors();
      return false;
    }
    return this.runner.resume(s.plan, this.workers, results, collected.missing);
  }
  cancel() {
    if (!this.runner.cancel()) return;
    clearInterval(this.clockTimer);
    this.save();
    this.render();
  }

  open(index) {
    const run = this.sweep?.plan.runs[index];
    if (run) this.openRun?.(run.config);
  }

  // ---------- files and the saved sweep ----------
  async exportFile(kind) {
    if (!this.sweep || !tally(this.sweep).done) { this.notices = ['Nothing to export yet: start the sweep first.']; this.renderErrors(); return; }
    const error = await exportSweep(this.sweep, kind, this.runner.planner);
    if (error) { this.notices = [`Could not export: ${error}`]; this.renderErrors(); }
  }

  // A sweep document (this page's or the CLI's): as importFiles.
  importText(text, name = 'file') {
    return this.importFiles([{ text, name }]);
  }

  // Sweep documents of one sweep (this page's exports or `spiketail sweep`'s, whole or in parts: shards,
  // progress saves, partial exports): the engine puts their runs on its grid (collectSweep, with merge's
  // checks: a file of another sweep than the first, or a run that differs between files, is refused, naming
  // it); the sweep's config goes into the form, and Start resumes it, running only the missing runs.
  async importFiles(files) {
    const label = files.map((f) => f.name).join(', ');
    const documents = [];
    for (const { text, name } of files) {
      const { doc, error } = parseSweepFile(text);
      if (error) { this.notices = [`Could not import ${name}: ${error}`]; this.renderErrors(); return false; }
      documents.push({ name, document: doc });
    }
    const { collected, plan, results } = await this.runner.collect({ documents });
    if (!collected.ok) {
      this.notices = [`Could not import ${label}: ` + collected.errors.map((e) => `${e.field}: ${e.message}`).join('; ')];
      this.renderErrors();
      return false;
    }
    if (this.runner.active) this.cancel();
    this.linkErrors = [];
    const spec = specFromDocument(collected.config);
    this.spec = spec;
    this.form.set(spec, this.workers);
    this.parseErrors = [];
    this.form.showPreset(spec);
    this.runner.adopt({ ...plan, doc: specToDocument(spec) });
    this.runner.show(this.plan, results, label, collected.record);
    const t = tally(this.sweep);
    const missing = collected.missing.length;
    this.notices = [`Imported ${label}: ${t.done} of ${t.total} runs` +
      (missing ? `; ${missing} missing: Resume sweep runs only those` : '') +
      (collected.duplicates ? `; ${collected.duplicates} runs were in more than one file (kept once)` : ''), ...collected.notes];
    this.dirtyFigures = true;
    this.onChange?.();
    this.save();
    this.renderErrors();
    this.render();
    return true;
  }

  save() {
    if (this.sweep) saveSweep(this.hash(), this.sweep);
  }

  // The saved sweep comes back when it is the sweep in the form (a reload, or the same link again).
  async restoreSaved() {
    const saved = loadSavedSweep();
    if (!saved?.document || this.sweep) return;
    const spec = specFromDocument(saved.document.config);
    if (!sameSpec(spec, this.spec)) return;
    const plan = await this.runner.planning;
    if (!plan?.ok || !sameSpec(spec, this.spec) || this.sweep) return;
    const { collected, results } = await this.runner.collect({ sweep: plan.config, documents: [{ name: 'saved', document: saved.document }] });
    if (!collected.ok || !sameSpec(spec, this.spec) || this.sweep) return;  // a copy of another version: left alone
    this.runner.show(plan, results, 'saved', collected.record);
    this.dirtyFigures = true;
    this.render();
  }

  // ---------- drawing ----------
  // Redraws at most every RENDER_MS while the workers run (progress at a few Hz is plenty, and the page's
  // thread then leaves the cores to the workers), at the next frame otherwise.
  schedule() {
    if (this.frame) return;
    const run = () => { this.frame = 0; this.render(); };
    this.frame = this.runner.active ? setTimeout(run, RENDER_MS) : requestAnimationFrame(run);
  }

  render() {
    if (this.element.hidden) return;
    this.renderBar();
    this.summary.textContent = planSummary(this.plan);
    this.runs.update(this.sweep || (this.plan?.ok ? { plan: this.plan, results: [], running: new Map() } : null));
    const shown = this.sweep || this.plan;
    if (this.dirtyFigures || this.figuresFor !== shown) {
      this.dirtyFigures = false;
      this.figuresFor = shown;
      this.drawFigures(this.sweep || (this.plan?.ok ? { plan: this.plan, results: this.plan.runs.map(() => null) } : null));
    }
  }

  // The figures draw the engine's statistics of the runs (summarizeSweep, in the planner's worker); a
  // newer request supersedes one still in flight.
  async drawFigures(sweep) {
    const ticket = ++this.figuresTicket;
    const summary = sweep ? await this.runner.planner.summarize(planRuns(sweep)) : null;
    if (ticket === this.figuresTicket) this.figures.update(sweep, summary);
  }

  renderErrors() {
    // The engine's errors for entries the page already reports as not parsing are left out (said once).
    const unparsed = new Set(this.parseErrors.map((e) => e.field));
    const planErrors = this.plan && !this.plan.ok ? this.plan.errors.filter((e) => !unparsed.has(e.field)) : [];
    const errors = [...this.parseErrors, ...planErrors];
    this.form.markErrors(errors);
    const items = [...this.linkErrors.map((e) => `The link’s ${e.field}: ${e.message}`),
      ...errors.map((e) => `${errorLabel(e.field)}: ${e.message}`), ...this.notices];
    if (this.engineFailed) items.unshift(`The engine could not be loaded: ${this.engineFailed}`);
    this.errors.replaceChildren(...items.map((text) => el('li', { text })));
    this.errors.hidden = !items.length;
    this.errors.classList.toggle('notice-only', !errors.length && !this.linkErrors.length && !this.engineFailed);
  }

  renderBar() {
    const running = this.runner.active;
    const planOk = !!this.plan?.ok && !this.parseErrors.length && !this.linkErrors.length;
    this.form.setDisabled(running);
    this.bar.update({
      sweep: this.sweep, running, planOk, planned: !!this.plan, engineFailed: this.engineFailed, linkErrors: this.linkErrors.length,
      settingsChanged: () => this.settingsChanged(), resumable: planOk && this.resumable(),
    });
  }
}
