// The sweep's figures, as the study draws them (docs/method.md §7):
//   - against log10 η, for each optimiser (GD, Adam; and each value of a varied setting): the last probe's
//     train loss, test loss, KTA, sim(W, β*), PL_Alpha_Hill and PL_Alpha_KS, mean ± std over repeats,
//     with each repeat as a small dot;
//   - per step, one curve per value of the varied setting (mean ± std over repeats): train and test loss,
//     PL_Alpha_Hill and sim(W, β*).
// Every mean, standard deviation and the choice of runs that count are the engine's (summarizeSweep: one
// group per optimiser, η and value); this file arranges them into series. Diverged and failed runs are left
// out of the means and named under each figure. Clicking a point opens its run (a mean: the lowest finished
// repeat) through onOpen(index of the run in the plan).
import { METHOD } from '../fields.js';
import { BandChart } from '../plots/band.js';
import { PALETTE as C } from '../plots/figure.js';
import { formatNumber } from '../plots/scale.js';
import { optimizerName, paramSymbol, runLabel } from './results.js';

const LR_METRICS = [
  { key: 'alpha_hill', title: 'PL_Alpha_Hill at the last step', yLabel: 'α Hill (x_min = median)', ref: METHOD.heavy_tail_alpha,
    description: 'Power-law exponent of the ESD’s tail: ≈ 2.5 for the random (MP) bulk, below 2 once the tail is heavy.' },
  { key: 'alpha_ks', title: 'PL_Alpha_KS at the last step', yLabel: 'α KS', ref: METHOD.heavy_tail_alpha,
    description: 'The same exponent with x_min chosen by the Kolmogorov–Smirnov distance (WeightWatcher’s default).' },
  { key: 'sim_w_beta', title: 'sim(W, β*) at the last step', yLabel: '|⟨v₁, β*⟩|',
    description: 'Alignment of W’s top right singular vector with the teacher direction: feature learning.' },
  { key: 'kta', title: 'Kernel–target alignment at the last step', yLabel: 'KTA',
    description: 'How well the hidden layer’s features line up with the labels.' },
  { key: 'train_loss', title: 'Train loss at the last step', yLabel: 'MSE (probe set)', loss: true,
    description: 'Error of the last layer refit by ridge regression on the probe set.' },
  { key: 'test_loss', title: 'Test loss at the last step', yLabel: 'MSE (test set)', loss: true,
    description: 'The refit’s error on held-out data.' },
];

const STEP_METRICS = [
  { key: 'train_loss', title: 'Train loss per step', yLabel: 'MSE (probe set)', loss: true },
  { key: 'test_loss', title: 'Test loss per step', yLabel: 'MSE (test set)', loss: true },
  { key: 'alpha_hill', title: 'PL_Alpha_Hill per step', yLabel: 'α Hill', ref: METHOD.heavy_tail_alpha },
  { key: 'sim_w_beta', title: 'sim(W, β*) per step', yLabel: '|⟨v₁, β*⟩|' },
];

const OPT_COLORS = { gd: C.blue, adam: C.red };
const SERIES_COLORS = [C.blue, C.red, C.green, C.orange, C.purple, C.sky, C.black, C.grey];
const LOSS_LOG_SPREAD = 30;  // a loss axis turns logarithmic when its values span more than this factor

const finiteValues = (xs) => xs.filter((v) => v !== null && v !== undefined && Number.isFinite(v));

// Band limits; on a log axis the lower edge is kept above zero (a std larger than the mean).
function band(stats, log) {
  return {
    lo: stats.map((s) => (s ? (log ? Math.max(s.mean - s.std, s.mean / 10) : s.mean - s.std) : null)),
    hi: stats.map((s) => (s ? s.mean + s.std : null)),
  };
}

function lossAxisLog(values) {
  const v = finiteValues(values).filter((x) => x > 0);
  return v.length > 1 && Math.max(...v) / Math.min(...v) > LOSS_LOG_SPREAD;
}

export class SweepFigures {
  // onOpen(index): open plan run `index` in the single-run view.
  constructor(container, { onOpen }) {
    this.onOpen = onOpen;
    const section = (title, note) => {
      const wrap = document.createElement('section');
      wrap.className = 'sweep-figures';
      const h = document.createElement('h2');
      h.textContent = title;
      const p = document.createElement('p');
      p.className = 'hint';
      p.textContent = note;
      const grid = document.createElement('div');
      grid.className = 'figures';
      wrap.append(h, p, grid);
      container.append(wrap);
      return { wrap, grid };
    };
    const open = (item) => this.onOpen?.(item.index);
    this.lrSection = section('Against the learning rate',
      'Mean ± standard deviation over repeats (band), each repeat a dot. Click a point to open that run in the single-run view.');
    this.lrCharts = LR_METRICS.map((m) => ({ m, chart: new BandChart(this.lrSection.grid, {
      id: `sweep-fig-${m.key}`, testid: `sweep-plot-${m.key}`, filename: `sweep-${m.key}`, height: 260,
      title: m.title, description: m.description, xLabel: 'log₁₀ η', yLabel: m.yLabel, xName: 'log₁₀ η', yName: m.yLabel,
      onOpen: open,
    }) }));
    this.stepSection = section('Per step',
      'One curve per value (mean ± std over repeats). Click a point to open that value’s run in the single-run view.');
    this.stepCharts = STEP_METRICS.map((m) => ({ m, chart: new BandChart(this.stepSection.grid, {
      id: `sweep-fig-step-${m.key}`, testid: `sweep-plot-step-${m.key}`, filename: `sweep-step-${m.key}`, height: 260,
      title: m.title, xLabel: 'step', yLabel: m.yLabel, xName: 'step', yName: m.yLabel, xInteger: true,
      onOpen: open,
    }) }));
  }

  // sweep: {plan, results} (results.js), or null; summary: the engine's SweepSummary of its runs.
  update(sweep, summary) {
    const runs = sweep?.plan?.runs || [];
    const lrs = [...new Set(runs.map((r) => r.lr))];
    const varies = runs.some((r) => r.param);
    this.lrSection.wrap.hidden = lrs.length < 2;
    this.stepSection.wrap.hidden = !(varies || lrs.length < 2);
    if (!sweep || !summary) return;
    if (!this.lrSection.wrap.hidden) this.updateLr(sweep, summary);
    if (!this.stepSection.wrap.hidden) this.updateSteps(sweep, summary);
  }

  // The engine's groups drawn as one curve: same key (e.g. optimiser and value), in the engine's order.
  curves(summary, keyOf) {
    const curves = new Map();
    for (const group of summary.groups) {
      const key = keyOf(group);
      if (!curves.has(key)) curves.set(key, []);
      curves.get(key).push(group);
    }
    return [...curves.values()];
  }

  // Runs that are left out, for the note under each figure: "GD η = 3000: 5 of 5 diverged".
  leftOutNote(sweep, summary) {
    const bad = new Map();
    for (const group of summary.groups) {
      for (const i of group.left_out) {
        const r = sweep.results[i];
        if (!r) continue;  // not run yet
        const key = `${runLabel(sweep.plan.runs[i], { repeat: false })}: ${r.status}`;
        bad.set(key, (bad.get(key) || 0) + 1);
      }
    }
    if (!bad.size) return '';
    const repeats = sweep.plan.doc?.repeat ?? 1;
    return 'Left out: ' + [...bad].map(([k, n]) => `${k}${repeats > 1 ? ` (${n} of ${repeats})` : ''}`).join('; ');
  }

  updateLr(sweep, summary) {
    const varies = sweep.plan.runs.some((r) => r.param);
    const curves = this.curves(summary, (g) => JSON.stringify([g.optimizer, g.value]));
    const colorOf = (first, k) => (varies ? SERIES_COLORS[k % SERIES_COLORS.length] : OPT_COLORS[first.optimizer] || SERIES_COLORS[k]);
    const note = this.leftOutNote(sweep, summary);
    const allLrs = sweep.plan.runs.map((r) => Math.log10(r.lr));
    const xDomain = [Math.min(...allLrs) - 0.25, Math.max(...allLrs) + 0.25];
    const firstOf = (group) => (group.finished.length ? { index: group.finished[0], run: sweep.plan.runs[group.finished[0]] } : null);
    for (const { m, chart } of this.lrCharts) {
      const series = [];
      let values = [];
      const drawn = curves.map((groups, k) => {
        const first = groups[0];
        const name = optimizerName(first.optimizer) + (varies ? `, ${paramSymbol(first.param)} = ${first.value}` : '');
        const byLr = [...groups].sort((a, b) => a.lr - b.lr);
        const x = byLr.map((g) => Math.log10(g.lr));
        const dots = { x: [], y: [], items: [] };
        const stats = byLr.map((g) => {
          for (const i of g.finished) {
            dots.x.push(Math.log10(g.lr));
            dots.y.push(sweep.results[i].probes.at(-1)[m.key]);
            dots.items.push({ index: i, label: runLabel(sweep.plan.runs[i]) });
          }
          const s = g.last[m.key];
          return s && { ...s, first: firstOf(g) };
        });
        values = values.concat(stats.map((s) => s?.mean), dots.y);
        return { name, color: colorOf(first, k), x, stats, dots };
      });
      const log = m.loss && lossAxisLog(values);
      chart.options.yLog = log;
      for (const { name, color, x, stats, dots } of drawn) {
        const repeats = sweep.plan.doc?.repeat ?? 1;
        if (repeats > 1) series.push({ type: 'band', x, ...band(stats, log), color });
        series.push({
          type: 'linepoints', label: repeats > 1 ? `${name} (mean ± std)` : name, color, x, y: stats.map((s) => s?.mean ?? null),
          width: 2, radius: 3.2,
          items: stats.map((s) => (s ? { index: s.first.index } : null)),
          format: (xv, yv, i) => {
            const s = stats[i];
            return `${name}, η = ${formatNumber(10 ** xv)}: ${formatNumber(yv)}${s.count > 1 ? ` ± ${formatNumber(s.std, 2)} (${s.count} repeats)` : ''}` +
              ` — click: open repeat ${s.first.run.repeat}`;
          },
        });
        if (repeats > 1) {
          series.push({ type: 'points', label: `${name} repeats`, legend: false, color, x: dots.x, y: dots.y, radius: 1.7, items: dots.items,
            format: (xv, yv, i) => `${dots.items[i].label}: ${formatNumber(yv)} — click to open` });
        }
      }
      if (m.ref) series.push({ type: 'line', label: `α = ${m.ref}`, color: C.grey, dash: [4, 4], width: 1, x: xDomain, y: [m.ref, m.ref], pick: false, ignoreForDomain: true });
      chart.setNote(note);
      chart.setData({ xDomain, series, empty: 'No finished runs yet' });
    }
  }

  updateSteps(sweep, summary) {
    const runs = sweep.plan.runs;
    const many = (f) => new Set(runs.map(f)).size > 1;
    const parts = { value: runs.some((r) => r.param), optimizer: many((r) => r.optimizer), lr: many((r) => r.lr) };
    const note = this.leftOutNote(sweep, summary);
    for (const { m, chart } of this.stepCharts) {
      const series = [];
      let values = [];
      const drawn = summary.groups.map((g, k) => {
        const name = [
          parts.value && `${paramSymbol(g.param)} = ${g.value}`,
          parts.optimizer && optimizerName(g.optimizer),
          parts.lr && `η = ${g.lr}`,
        ].filter(Boolean).join(', ') || runLabel(runs[g.runs[0]], { repeat: false });
        const stats = g.per_step[m.key];
        values = values.concat(stats.map((s) => s?.mean));
        const first = g.finished.length ? { index: g.finished[0], run: runs[g.finished[0]] } : null;
        return { name, color: SERIES_COLORS[k % SERIES_COLORS.length], steps: g.steps, stats, first };
      });
      const log = m.loss && lossAxisLog(values);
      chart.options.yLog = log;
      const repeats = sweep.plan.doc?.repeat ?? 1;
      let last = 1;
      for (const { name, color, steps, stats, first } of drawn) {
        if (!steps.length) continue;
        last = Math.max(last, steps.at(-1));
        if (repeats > 1) series.push({ type: 'band', x: steps, ...band(stats, log), color, alpha: 0.13 });
        series.push({
          type: 'linepoints', label: name, color, x: steps, y: stats.map((s) => s?.mean ?? null), width: 2, radius: 2.4,
          items: steps.map(() => ({ index: first.index })),
          format: (xv, yv, i) => `${name}, step ${xv}: ${formatNumber(yv)}${stats[i].count > 1 ? ` ± ${formatNumber(stats[i].std, 2)} (${stats[i].count} repeats)` : ''}` +
            ` — click: open repeat ${first.run.repeat}`,
        });
      }
      if (m.ref) series.push({ type: 'line', label: `α = ${m.ref}`, color: C.grey, dash: [4, 4], width: 1, x: [0, last], y: [m.ref, m.ref], pick: false, ignoreForDomain: true });
      chart.setNote(note);
      chart.setData({ xDomain: [0, last], series, empty: 'No finished runs yet' });
    }
  }
}
