// The tour's sweeps: a stored sweep file shown at once (nothing trained: its runs are placed on the engine's
// expansion of its config, as the sweep view imports a file), or a sweep preset run live on the sweep view's
// workers (sweep/runner.js), drawn with the sweep view's figures (sweep/figures.js) and their statistics
// (summarizeSweep). Also finds where a curve's point is drawn, for the annotations.
import { SweepFigures } from '../sweep/figures.js';
import { defaultWorkers } from '../sweep/pool.js';
import { optimizerName, parseSweepFile, planRuns } from '../sweep/results.js';
import { SweepRunner } from '../sweep/runner.js';
import { presetSpec, specFromDocument, specToDocument } from '../sweep/spec.js';

export class TourSweeps {
  // onProgress(sweep): runs finished meanwhile; onFail(message).
  constructor(container, { onProgress, onFail }) {
    this.container = container;
    this.onProgress = onProgress;
    this.figures = new SweepFigures(container, { onOpen: null });
    this.sweep = null;
    this.done = null;
    this.generation = 0;  // run() calls and cancels so far: a run whose plan arrives after a cancel does not start
    this.runner = new SweepRunner({
      onPlan: () => {},
      onProgress: () => {},
      onResult: () => this.onProgress?.(this.runner.sweep),
      onEnd: () => { this.done?.(this.runner.sweep); this.done = null; },
      onFail: (message) => onFail?.(message),
    });
  }

  // The charts of `keys` only (the stage's figures), in both sections.
  showCharts(keys) {
    for (const { m, chart } of [...this.figures.lrCharts, ...this.figures.stepCharts]) chart.element.hidden = !keys.includes(m.key);
  }

  // A stored sweep document (a `spiketail sweep` file) at `url`: its runs on the engine's grid, nothing run.
  async loadFile(url) {
    this.runner.cancel();
    const response = await fetch(url);
    if (!response.ok) throw new Error(`cannot load ${url}: ${response.status}`);
    const { doc, error } = parseSweepFile(await response.text());
    if (error) throw new Error(`${url}: ${error}`);
    const { collected, plan, results } = await this.runner.collect({ documents: [{ name: url, document: doc }] });
    if (!collected.ok) throw new Error(collected.errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.runner.adopt({ ...plan, doc: specToDocument(specFromDocument(collected.config)) });
    this.runner.show(this.runner.plan, results, 'stored');
    this.sweep = this.runner.sweep;
    return this.sweep;
  }

  // Runs the sweep preset `id` on the workers; resolves with the finished sweep (or null if cancelled).
  async run(id) {
    this.runner.cancel();
    // A cancel() while the plan is on its way (the reader left the stage) must stop this run before it starts.
    const generation = ++this.generation;
    const plan = await this.runner.replan(specToDocument(presetSpec(id)));
    if (generation !== this.generation) return null;
    if (!plan?.ok) throw new Error(plan?.errors?.map((e) => `${e.field}: ${e.message}`).join('; ') || 'the sweep could not be planned');
    const finished = new Promise((resolve) => { this.done = resolve; });
    if (!await this.runner.start(plan, defaultWorkers())) { this.done = null; return null; }  // cancelled meanwhile
    this.sweep = this.runner.sweep;
    return finished;
  }

  cancel() {
    ++this.generation;
    if (this.runner.cancel()) { this.done?.(null); this.done = null; }
  }

  get running() { return this.runner.active; }

  runs(sweep = this.sweep) { return planRuns(sweep); }

  async draw(sweep = this.sweep) {
    const summary = sweep ? await this.runner.planner.summarize(planRuns(sweep)) : null;
    this.figures.update(sweep, summary);
  }

  chart(key, section) {
    return this.figures[section].find((c) => c.m.key === key)?.chart;
  }

  // Where the mean of `optimizer` at η = lr is drawn on the figure of `key` against log10 η: {x, y} in its units.
  pointOf(key, optimizer, lr) {
    const chart = this.chart(key, 'lrCharts');
    const runs = this.sweep?.plan.runs || [];
    const series = chart?.data.series.find((s) => s.type === 'linepoints' && s.label.startsWith(optimizerName(optimizer)));
    const i = series ? series.items.findIndex((item) => item && runs[item.index]?.lr === lr) : -1;
    return i < 0 ? null : { x: series.x[i], y: series.y[i] };
  }

  // The last point of the per-step curve of the study's value `value` on the figure of `key`.
  stepPointOf(key, value) {
    const chart = this.chart(key, 'stepCharts');
    const runs = this.sweep?.plan.runs || [];
    const series = chart?.data.series.find((s) => s.type === 'linepoints' && runs[s.items?.[0]?.index]?.value === value);
    return series?.x.length ? { x: series.x.at(-1), y: series.y.at(-1) } : null;
  }

  figureByKey(key) {
    return this.chart(key, 'lrCharts')?.element.closest('section')?.hidden === false
      ? this.chart(key, 'lrCharts') : this.chart(key, 'stepCharts');
  }
}
