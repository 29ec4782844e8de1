// The guided tour (`view=tour`, `&stage=N` links one stage, `&autoplay=1` runs it at once): the study's
// findings in order (tour/stages.js), each loading its experiment and running it in one click (Run, or Next,
// which goes on to the next stage and runs it), with what to look for, a caption filled from the engine's
// findings of the run on screen (tour/captions.js) and annotations on its figures (plots/annotations.js).
// Single runs train on the tour's own worker (tour/runner.js) and draw with the single-run view's figures;
// sweeps use the sweep view's workers and figures (tour/sweeps.js).
import { el } from '../dom.js';
import { METHOD } from '../fields.js';
import { annotate } from '../plots/annotations.js';
import { presetConfig } from '../presets.js';
import { presetSpec, specToHash } from '../sweep/spec.js';
import { buildHash } from '../url.js';
import { renderCaption } from '../tour/captions.js';
import { TourRunner } from '../tour/runner.js';
import { STAGES } from '../tour/stages.js';
import { TourSweeps } from '../tour/sweeps.js';
import { runTable } from '../tour/table.js';
import { SingleView } from './single.js';

// The keys a tour link may have: its own and the page's (url.js).
const TOUR_KEYS = new Set(['view', 'stage', 'autoplay', 'embed', 'fig', 'hide']);
const SINGLE_FIGURES = ['esdLog', 'esdLin', 'ccdf', 'alpha', 'loss', 'align', 'singular', 'overlap', 'weights', 'vbeta'];

// The tour's copies of the single-run figures get ids of their own (the single-run view keeps its ids).
function renameFigure(figure) {
  const caption = figure.element.querySelector('figcaption');
  figure.element.id = `tour-${figure.element.id}`;
  caption.id = `tour-${caption.id}`;
  figure.canvas.setAttribute('aria-labelledby', caption.id);
  if (figure.tableElement) {  // the figure's data table, when it has one
    figure.tableElement.id = `tour-${figure.tableElement.id}`;
    figure.tableButton?.setAttribute('aria-controls', figure.tableElement.id);
  }
  delete figure.element.dataset.testid;  // esd-plot stays the single-run view's
}

// The settings of a stage's experiment, which its text quotes: the presets' configs (num_steps: the steps the
// stage takes), the sweep preset's spec, and the engine's heavy-tail line.
function setupOf(stage) {
  const runs = stage.runs?.map((r) => {
    const config = presetConfig(r.preset);
    return { ...config, num_steps: r.until ?? config.num_steps };
  });
  const spec = stage.sweep ? presetSpec(stage.sweep) : null;
  return { runs, sweep: spec && { ...spec, lastLr: spec.lrs.at(-1) }, heavy_tail_alpha: METHOD.heavy_tail_alpha };
}

export class TourView {
  // onChange(): the stage changed (rewrite the URL).
  constructor(container, { onChange } = {}) {
    this.onChange = onChange;
    this.index = 0;
    this.ticket = 0;
    this.linkErrors = [];
    this.state = { stage: 1, running: false, runs: null, findings: null, sweepSource: null, error: '' };

    this.element = el('section', { className: 'view view-tour', id: 'tour-view', 'aria-label': 'Guided tour', 'data-testid': 'tour' });
    container.append(this.element);
    const head = el('header', { className: 'tour-head' },
      el('h2', { text: 'A guided tour of the study' }),
      el('p', { className: 'hint', text: `${STAGES.length} stages, from a random matrix to a heavy tail and why. Each runs a small ` +
        'experiment in your browser in a few seconds; every number in the captions is the engine’s, from the run on screen.' }));
    this.nav = el('ol', { className: 'tour-nav' });
    this.navButtons = STAGES.map((stage, i) => {
      const b = el('button', { type: 'button', text: `${i + 1}. ${stage.title}` });
      b.addEventListener('click', () => this.go(i, { run: true }));
      this.nav.append(el('li', {}, b));
      return b;
    });
    head.append(this.nav);
    this.articles = STAGES.map((stage, i) => this.article(stage, i));
    const stages = el('div', { className: 'tour-stages' }, ...this.articles);

    this.runButton = el('button', { type: 'button', className: 'primary', 'data-testid': 'tour-run', text: 'Run' });
    this.runButton.addEventListener('click', () => this.run());
    this.prevButton = el('button', { type: 'button', 'data-testid': 'tour-prev', text: '← Previous' });
    this.prevButton.addEventListener('click', () => this.go(this.index - 1, { run: true }));
    this.nextButton = el('button', { type: 'button', 'data-testid': 'tour-next', text: 'Next →' });
    this.nextButton.addEventListener('click', () => this.go(this.index + 1, { run: true }));
    this.status = el('span', { className: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': 'tour-status' });
    const bar = el('div', { className: 'runbar tour-bar', role: 'toolbar', 'aria-label': 'Tour' },
      this.prevButton, this.runButton, this.nextButton, this.status);

    const figures = el('div', { className: 'tour-figures' });
    this.single = new SingleView(figures);
    for (const name of SINGLE_FIGURES) renameFigure(this.single[name]);
    this.sweepBox = el('div', { className: 'tour-sweep' });
    figures.append(this.sweepBox);
    this.element.append(head, stages, bar, figures);

    this.runner = new TourRunner({
      onProbe: (index, run, figs) => this.single.update(run, figs),
      onFail: (message) => this.fail(message),
    });
    this.sweeps = null;  // created with the first sweep stage (its workers start then)
  }

  article(stage, i) {
    const a = el('article', { className: 'tour-stage', 'data-testid': 'tour-stage', 'data-stage': String(i + 1), hidden: true },
      el('h3', { text: `${i + 1}. ${stage.title}` }),
      ...stage.text.map((parts) => renderCaption(parts, setupOf(stage), { className: 'tour-text', testid: null })),
      this.scaleNote(stage));
    a.captionBox = el('div', { className: 'tour-caption-box', 'aria-live': 'polite' });
    a.tableBox = el('div', { className: 'tour-table' });
    a.append(a.captionBox, a.tableBox);
    return a;
  }

  // "Scaled down" and a link to the full-size experiment; the sizes are the presets' own.
  scaleNote(stage) {
    const study = presetConfig('study');
    const small = stage.runs ? presetConfig(stage.runs[0].preset) : presetSpec(stage.sweep).base;
    const href = stage.full.sweep ? specToHash(presetSpec(stage.full.sweep)) : buildHash({ config: presetConfig(stage.full.preset), view: 'single' });
    return el('p', { className: 'tour-scale' },
      `Scaled down to n = ${small.n}, d = ${small.d}, h = ${small.h} so that it runs in seconds; the study uses ` +
      `n = ${study.n}, d = ${study.d}, h = ${study.h}: `,
      el('a', { href, text: stage.full.sweep ? 'open the full-size sweep' : 'open the full-size run' }), '.');
  }

  get stage() { return STAGES[this.index]; }

  show() { this.element.hidden = false; }
  hide() { this.element.hidden = true; this.cancel(); }

  hash() { return `#view=tour&stage=${this.index + 1}`; }

  // '#view=tour&stage=N[&autoplay=1]' (app/navigation.js parses the page keys into `state`). A link's errors,
  // each naming its key, stay listed and run nothing (linkErrors: the page keeps the address as given).
  load(hash, state = { errors: [], autoplay: false }) {
    const params = new URLSearchParams(String(hash || '').replace(/^#/, ''));
    const errors = [...(state.errors || [])];
    for (const key of new Set(params.keys())) {
      if (!TOUR_KEYS.has(key)) errors.push({ field: key, message: 'is not a key of a tour link (view, stage, autoplay, embed, fig, hide)' });
    }
    const texts = params.getAll('stage');
    const n = texts.length ? Number(texts.at(-1)) : 1;
    const valid = Number.isInteger(n) && n >= 1 && n <= STAGES.length;
    if (texts.length > 1) errors.push({ field: 'stage', message: `is given ${texts.length} times in the link; give it once` });
    if (!valid) errors.push({ field: 'stage', message: `must be a whole number from 1 to ${STAGES.length} (link has “${texts.at(-1)}”)` });
    this.linkErrors = errors;
    this.go(valid ? n - 1 : 0, { run: !!state.autoplay && !errors.length, force: true, notify: false });
    if (errors.length) this.setStatus(errors.map((e) => `The link’s ${e.field}: ${e.message}`).join('; ') + '. Showing stage ' + (this.index + 1) + '.', true);
  }

  // Shows stage i (and runs it when asked). The previous stage's runs stop.
  go(i, { run = false, force = false, notify = true } = {}) {
    if (i < 0 || i >= STAGES.length) return;
    if (i === this.index && !force && !run) return;
    this.cancel();
    this.runButton.disabled = false;  // a run of the stage left behind no longer holds it
    this.index = i;
    this.state = { stage: i + 1, running: false, runs: null, findings: null, sweepSource: null, error: '' };
    this.articles.forEach((a, k) => { a.hidden = k !== i; });
    this.navButtons.forEach((b, k) => (k === i ? b.setAttribute('aria-current', 'step') : b.removeAttribute('aria-current')));
    this.prevButton.disabled = i === 0;
    this.nextButton.disabled = i === STAGES.length - 1;
    this.nextButton.textContent = i < STAGES.length - 1 ? `Next: ${STAGES[i + 1].title} →` : 'Next →';
    const stage = this.stage;
    this.runButton.textContent = stage.kind === 'sweep-file' ? 'Recompute live' : 'Run';
    this.articles[i].captionBox.replaceChildren(el('p', { className: 'tour-caption pending', text:
      stage.kind === 'sweep-file' ? 'Loading the stored sweep…' : 'Press Run: the caption fills in from the run.' }));
    this.articles[i].tableBox.replaceChildren();
    this.layout(stage);
    this.setStatus('');
    if (notify) { this.linkErrors = []; this.onChange?.(); }  // the reader's own move: the URL follows
    if (stage.kind === 'sweep-file') this.openStored();  // at once, from the file: nothing to run
    else if (run) this.run();
  }

  // Which figures the stage shows.
  layout(stage) {
    const single = stage.kind === 'runs';
    for (const name of SINGLE_FIGURES) {
      const figure = this.single[name];
      figure.element.hidden = !single || !stage.figures.includes(name);
      annotate(figure, []);
    }
    this.single.readout.element.hidden = !single;
    this.single.readout.element.parentElement.classList.toggle('compact', !stage.figures.includes('esdLog'));
    this.single.clear();
    this.sweepBox.hidden = single;
    if (!single) {
      this.sweeps ??= new TourSweeps(this.sweepBox, {
        onProgress: (sweep) => { this.sweeps.draw(sweep); this.setStatus(this.sweepProgress(sweep)); },
        onFail: (message) => this.fail(message),
      });
      this.sweeps.showCharts(stage.figures);
      this.sweeps.draw(null);
      for (const { chart } of [...this.sweeps.figures.lrCharts, ...this.sweeps.figures.stepCharts]) annotate(chart, []);
    }
  }

  cancel() {
    this.ticket++;
    this.runner.cancel();
    this.sweeps?.cancel();
    this.state.running = false;
  }

  async run() {
    const stage = this.stage, ticket = ++this.ticket;
    if (this.linkErrors.length) { this.linkErrors = []; this.onChange?.(); }  // the reader takes over from the link
    this.state.running = true;
    this.runButton.disabled = true;
    try {
      if (stage.kind === 'runs') await this.runSingles(stage, ticket);
      else await this.runSweep(stage, ticket);
    } catch (err) {
      if (ticket === this.ticket) this.fail(err.message || String(err));
    } finally {
      if (ticket === this.ticket) { this.state.running = false; this.runButton.disabled = false; }
    }
  }

  async runSingles(stage, ticket) {
    const jobs = stage.runs.map((r) => {
      const config = presetConfig(r.preset);
      return { config, until: r.until ?? config.num_steps };  // the preset's own config: its link reproduces it
    });
    this.setStatus(`Running ${jobs.length > 1 ? `${jobs.length} runs` : 'the run'}…`);
    const runs = await this.runner.runAll(jobs);
    if (!runs || ticket !== this.ticket) return;
    const findings = await this.runner.runFindings(runs);
    if (ticket !== this.ticket) return;
    this.state.runs = runs;
    this.explain(stage, findings, {});
    this.showRun(stage.show ?? runs.length - 1);
    const diverged = runs.find((r) => r.status === 'diverged');
    this.setStatus(diverged ? `A run diverged: ${diverged.message}` : 'Done.', !!diverged);
  }

  // Run i of the stage on the figures, with its annotations (and pressed in the run table).
  showRun(i) {
    const stage = this.stage, run = this.state.runs[i], findings = this.state.findings;
    this.state.shown = i;
    this.single.update(run, run.figures);
    this.annotate(stage, stage.annotations(this.state.facts, { run, shown: i }));
    if (stage.table) this.articles[this.index].tableBox.replaceChildren(runTable(this.state.runs, findings, { shown: i, onShow: (k) => this.showRun(k) }));
  }

  async openStored() {
    const stage = this.stage, ticket = this.ticket;
    try {
      const sweep = await this.sweeps.loadFile(new URL(`../${stage.file}`, import.meta.url).href);
      if (ticket !== this.ticket) return;
      this.state.sweepSource = 'stored';
      await this.showSweep(stage, sweep, ticket);
      this.setStatus('Opened from the stored file (made with spiketail sweep); nothing was trained.');
    } catch (err) {
      if (ticket === this.ticket) this.fail(err.message || String(err));
    }
  }

  async runSweep(stage, ticket) {
    this.setStatus('Starting the workers…');
    const sweep = await this.sweeps.run(stage.sweep);
    if (!sweep || ticket !== this.ticket) return;
    this.state.sweepSource = 'live';
    await this.showSweep(stage, sweep, ticket);
    this.setStatus(`Done: ${this.sweepProgress(sweep)}.`);
  }

  async showSweep(stage, sweep, ticket) {
    await this.sweeps.draw(sweep);
    const findings = await this.runner.sweepFindings(this.sweeps.runs(sweep));
    if (ticket !== this.ticket) return;
    this.explain(stage, findings, {
      pointOf: (key, o, lr) => this.sweeps.pointOf(key, o, lr),
      stepPointOf: (key, value) => this.sweeps.stepPointOf(key, value),
    });
  }

  sweepProgress(sweep) {
    const done = sweep.results.filter(Boolean).length;
    return `${done} of ${sweep.results.length} runs finished`;
  }

  // The caption and the annotations, from the engine's findings.
  explain(stage, findings, context) {
    const facts = stage.facts ? stage.facts(findings) : findings;
    this.state.findings = findings;
    this.state.facts = facts;
    this.articles[this.index].captionBox.replaceChildren(renderCaption(stage.caption(facts), facts));
    if (stage.kind !== 'runs') this.annotate(stage, stage.annotations(facts, context));
  }

  annotate(stage, notes) {
    for (const [name, items] of Object.entries(notes)) {
      const figure = stage.kind === 'runs' ? this.single[name] : this.sweeps.figureByKey(name);
      if (figure) annotate(figure, items);
    }
  }

  setStatus(text, error = false) {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
  }

  fail(message) {
    this.state.error = message;
    console.error(`spiketail tour: ${message}`);
    this.setStatus(`Could not run this stage: ${message}`, true);
  }
}
