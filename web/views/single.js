// The single-run view: the readout and every figure of one run, redrawn at each probe.
//
// view.update(run, figures): run = {config, status, message, probes}; figures = the engine's figure data for
// the probe on screen (figures.esd: core/io/figures_json.hpp; arrays; see worker.js), or null while none is
// available. Every curve, histogram and CCDF is computed by the engine; this file only arranges them into series.
import { PALETTE } from '../plots/figure.js';
import { HeatmapGrid } from '../plots/heatmap.js';
import { XYChart } from '../plots/xy.js';
import { formatNumber } from '../plots/scale.js';
import { METHOD } from '../fields.js';
import { Readout } from '../readout.js';

const C = PALETTE;
const HEAVY = METHOD.heavy_tail_alpha;  // the reference line of the α figure: below it the tail is very heavy

function stepSeries(hist, label, color, extra = {}) {
  return hist ? { type: 'step', label, color, x: hist.edges, y: hist.density, ...extra } : null;
}

export class SingleView {
  constructor(container) {
    this.element = document.createElement('section');
    this.element.className = 'view view-single';
    this.element.setAttribute('aria-label', 'Single run');
    container.append(this.element);

    this.banner = document.createElement('p');
    this.banner.className = 'view-note';
    this.banner.hidden = true;
    this.element.append(this.banner);

    // The ESD and the numbers side by side at the top: what the page is about, visible without scrolling.
    const hero = document.createElement('div');
    hero.className = 'hero';
    const grid = document.createElement('div');
    grid.className = 'figures';
    this.element.append(hero, grid);

    const fig = (Kind, options) => new Kind(grid, options);
    this.esdLog = new XYChart(hero, {
      id: 'fig-esd-log', testid: 'esd-plot', filename: 'esd-log', height: 400,
      title: 'Spectrum of WᵀW over log₁₀ λ',
      description: 'Histogram of the eigenvalues now and at initialisation, the Marchenko–Pastur law of a random W, and the fitted power-law tail from x_min.',
      xLabel: 'log₁₀ λ  (λ: eigenvalue of WᵀW)', yLabel: 'density', yLog: true, xName: 'log₁₀ λ', yName: 'density',
    });
    this.readout = new Readout(hero);
    this.esdLin = fig(XYChart, {
      id: 'fig-esd-lin', filename: 'esd-linear', height: 300,
      title: 'Spectrum of WᵀW over λ',
      description: 'The same eigenvalues on a linear axis: the bulk, and outliers (spikes) beyond the MP edge.',
      xLabel: 'λ', yLabel: 'density', yZero: true, xName: 'λ', yName: 'density',
    });
    this.ccdf = fig(XYChart, {
      id: 'fig-ccdf', filename: 'tail-ccdf', height: 300,
      title: 'Tail: fraction of eigenvalues ≥ λ (log–log)',
      description: 'A power law p(λ) ∝ λ^−α is a straight line of slope 1−α here; the lines are the fits from their x_min.',
      xLabel: 'λ', yLabel: 'P(Λ ≥ λ)', xLog: true, yLog: true, xName: 'λ', yName: 'P(Λ ≥ λ)',
    });
    this.alpha = fig(XYChart, {
      id: 'fig-alpha', filename: 'alpha', title: 'Power-law exponent α per step',
      description: 'Smaller α = heavier tail. A random (MP) matrix gives a large α; trained layers often fall to 2–4, or below 2.',
      xLabel: 'step', yLabel: 'α', xName: 'step', yName: 'α', xInteger: true,
    });
    this.loss = fig(XYChart, {
      id: 'fig-loss', filename: 'loss', title: 'Train and test loss per step',
      description: 'Mean squared error of the last layer refit by ridge regression on the current features.',
      xLabel: 'step', yLabel: 'MSE', xName: 'step', yName: 'MSE', xInteger: true,
    });
    this.align = fig(XYChart, {
      id: 'fig-align', filename: 'kta-sim', title: 'Feature learning: KTA and sim(W, β*) per step',
      description: 'Both rise when the hidden layer picks up the teacher direction β*.',
      xLabel: 'step', yLabel: 'value (0–1)', xName: 'step', yName: 'value', xInteger: true,
    });
    this.singular = fig(XYChart, {
      id: 'fig-singular', filename: 'singular-values', title: 'Singular values of W and of the last update M',
      description: 'Sorted largest first. An update dominated by one value is near rank one: the spike.',
      xLabel: 'index (largest first)', yLabel: 'singular value', xLog: true, yLog: true, xName: 'index', yName: 'σ',
    });
    this.overlap = fig(HeatmapGrid, {
      id: 'fig-overlap', filename: 'overlaps', height: 250,
      title: 'Overlaps of the top-k singular vectors of W and of the update M',
      description: 'Entry (i, j) = ⟨wᵢ, mⱼ⟩²: left vectors (U) and right vectors (V) of W before (t−1) and after (t) the step.',
      rowLabel: 'W vector i', colLabel: 'M vector j',
    });
    this.weights = fig(XYChart, {
      id: 'fig-weights', filename: 'weight-entries', title: 'Entries of W: initial and now',
      description: 'Histogram of the individual weights W_ij.',
      xLabel: 'W_ij', yLabel: 'density', yLog: true, xName: 'W_ij', yName: 'density',
    });
    this.vbeta = fig(XYChart, {
      id: 'fig-vbeta', filename: 'v-beta-overlap', title: 'Alignment of each right singular vector with β*',
      description: '|⟨vᵢ, β*⟩| for the singular vectors of W, largest singular value first.',
      xLabel: 'index i (largest σ first)', yLabel: '|⟨vᵢ, β*⟩|', xLog: true, xName: 'i', yName: '|⟨vᵢ, β*⟩|',
    });
    this.figures = [this.esdLog, this.esdLin, this.ccdf, this.alpha, this.loss, this.align,
      this.singular, this.overlap, this.weights, this.vbeta];
  }

  setBanner(text) {
    this.banner.textContent = text || '';
    this.banner.hidden = !text;
  }

  update(run, figures) {
    const probes = run?.probes || [];
    const record = probes.at(-1) || null;
    this.readout.update(record);
    this.updateHistory(probes);
    this.updateSpectrum(run, record, figures);
    this.updateUpdate(record, figures);
  }

  updateHistory(probes) {
    const steps = probes.map((p) => p.step);
    const col = (k) => probes.map((p) => (p[k] === null || p[k] === undefined ? null : p[k]));
    const last = steps.at(-1) ?? 0;
    const xDomain = [0, Math.max(1, last)];
    this.alpha.setData({
      xDomain,
      series: [
        { type: 'linepoints', label: 'α Hill (x_min = median)', color: C.blue, x: steps, y: col('alpha_hill') },
        { type: 'linepoints', label: 'α KS (x_min by KS distance)', color: C.red, x: steps, y: col('alpha_ks') },
        { type: 'line', label: `α = ${HEAVY}`, color: C.grey, dash: [4, 4], width: 1, x: xDomain, y: [HEAVY, HEAVY], pick: false, ignoreForDomain: true },
      ],
    });
    const losses = [...col('train_loss'), ...col('test_loss')].filter((v) => v > 0);
    const spread = losses.length ? Math.max(...losses) / Math.min(...losses) : 1;
    this.loss.options.yLog = spread > 30;  // a diverging run spans decades
    this.loss.setData({
      xDomain,
      series: [
        { type: 'linepoints', label: 'train (probe set)', color: C.blue, x: steps, y: col('train_loss') },
        { type: 'linepoints', label: 'test', color: C.orange, x: steps, y: col('test_loss') },
      ],
    });
    this.align.setData({
      xDomain, yDomain: [0, 1],
      series: [
        { type: 'linepoints', label: 'KTA', color: C.green, x: steps, y: col('kta') },
        { type: 'linepoints', label: 'sim(W, β*) = |⟨v₁, β*⟩|', color: C.purple, x: steps, y: col('sim_w_beta') },
      ],
    });
  }

  updateSpectrum(run, record, figures) {
    const esd = figures?.esd || {};
    const log = esd.log || {}, linear = esd.linear || {}, tail = esd.ccdf || {};
    const at = record ? `step ${record.step}` : '';
    const empty = record ? 'No eigenvalues in this probe (export with --eigenvalues)' : 'No probe yet';
    const log10 = (v) => (v > 0 ? Math.log10(v) : null);
    const markersLog = [];
    const markersLin = [];
    if (record?.ks_xmin > 0) {
      markersLog.push({ x: log10(record.ks_xmin), label: `x_min (KS) = ${formatNumber(record.ks_xmin, 3)}`, color: C.red });
      markersLin.push({ x: record.ks_xmin, label: 'x_min (KS)', color: C.red });
    }
    if (record?.mp_threshold > 0) {
      markersLog.push({ x: log10(record.mp_threshold), label: 'spike threshold', color: C.orange, dash: [2, 3], row: 1 });
      markersLin.push({ x: record.mp_threshold, label: 'spike threshold', color: C.orange, dash: [2, 3], row: 1 });
    }
    const plLog = log.ks || log.hill;
    this.esdLog.setNote(at);
    this.esdLog.setData({
      empty,
      series: [
        stepSeries(log.initial, 'initial (step 0)', C.grey, { dash: [3, 2], width: 1.3 }),
        stepSeries(log.current, `now (${at || '—'})`, C.blue, { width: 1.8 }),
        log.mp && { type: 'line', label: 'Marchenko–Pastur law of W₀', color: C.orange, x: log.mp.x, y: log.mp.y, width: 1.6, ignoreForDomain: false },
        plLog && { type: 'line', label: `power law α = ${formatNumber(log.ks ? record.alpha_ks : record.alpha_hill, 3)}`, color: C.red, dash: [6, 3],
          x: plLog.x, y: plLog.y, ignoreForDomain: true },
      ].filter(Boolean),
      markers: markersLog,
    });
    this.esdLin.setNote(at);
    this.esdLin.setData({
      empty,
      series: [
        stepSeries(linear.initial, 'initial (step 0)', C.grey, { dash: [3, 2], width: 1.3 }),
        stepSeries(linear.current, `now (${at || '—'})`, C.blue, { width: 1.8 }),
        linear.mp && { type: 'line', label: 'Marchenko–Pastur law of W₀', color: C.orange, x: linear.mp.x, y: linear.mp.y, width: 1.6, ignoreForDomain: true },
      ].filter(Boolean),
      markers: markersLin,
    });
    this.ccdf.setNote(at);
    this.ccdf.setData({
      empty,
      series: [
        tail.empirical && { type: 'points', label: 'eigenvalues', color: C.blue, x: tail.empirical.x, y: tail.empirical.y, radius: 1.8 },
        tail.ks && { type: 'line', label: `KS fit: slope 1−α = ${formatNumber(1 - record.alpha_ks, 3)}`, color: C.red, x: tail.ks.x, y: tail.ks.y, width: 2, pick: false, ignoreForDomain: true },
        tail.hill && { type: 'line', label: `Hill fit: slope ${formatNumber(1 - record.alpha_hill, 3)}`, color: C.green, dash: [5, 4], x: tail.hill.x, y: tail.hill.y, width: 1.6, pick: false, ignoreForDomain: true },
      ].filter(Boolean),
      markers: record?.ks_xmin > 0 ? [{ x: record.ks_xmin, label: 'x_min (KS)', color: C.red }] : [],
    });
    const failed = record && ['hill', 'ks'].filter((k) => record.fit_messages?.[k]);
    this.ccdf.setNote(failed?.length ? `${at} — ${failed.map((k) => `${k.toUpperCase()} fit: ${record.fit_messages[k]}`).join('; ')}` : at);
  }

  updateUpdate(record, figures) {
    const f = figures || {};
    const at = record ? `step ${record.step}` : '';
    const eig = f.eigenvalues || record?.eigenvalues;
    const svW = eig ? Array.from(eig).filter((v) => v > 0).map(Math.sqrt).sort((a, b) => b - a) : null;
    const upd = record?.update;
    const svM = f.updateSingularValues?.length ? Array.from(f.updateSingularValues) : upd?.singular_values;
    const index = (arr) => arr.map((_, i) => i + 1);
    this.singular.setNote(at);
    this.singular.setData({
      empty: record ? 'No singular values in this probe' : 'No probe yet',
      series: [
        svW && { type: 'line', label: 'W', color: C.blue, x: index(svW), y: svW, width: 1.8,
          format: (x, y) => `σ${x} of W = ${formatNumber(y)}` },
        svM?.length && { type: 'linepoints', label: 'update M = W_t − W_{t−1}', color: C.red, x: index(svM), y: svM, radius: 1.8,
          format: (x, y) => `σ${x} of M = ${formatNumber(y)}` },
      ].filter(Boolean),
    });
    this.overlap.setNote(at);
    this.overlap.setData({
      empty: !record ? 'No probe yet' : record.step === 0 ? 'No update yet at step 0: take a step' : 'No update analysis in this probe (probe_update is off?)',
      panels: upd?.k ? [
        { title: 'U: W(t−1) vs M', k: upd.k, values: upd.u_overlap_prev },
        { title: 'U: W(t) vs M', k: upd.k, values: upd.u_overlap_cur },
        { title: 'V: W(t−1) vs M', k: upd.k, values: upd.v_overlap_prev },
        { title: 'V: W(t) vs M', k: upd.k, values: upd.v_overlap_cur },
      ] : [],
    });
    const w = f.weights;
    this.weights.setNote(at);
    this.weights.setData({
      empty: record ? 'Only for a live run (not stored in exports)' : 'No probe yet',
      series: w ? [
        { type: 'step', label: 'initial W₀', color: C.grey, dash: [3, 2], width: 1.3, x: w.edges, y: w.initial },
        { type: 'step', label: `now (${at})`, color: C.blue, width: 1.8, x: w.edges, y: w.current },
      ] : [],
    });
    const vb = f.vBetaOverlap?.length ? Array.from(f.vBetaOverlap) : record?.v_beta_overlap;
    this.vbeta.setNote(at);
    this.vbeta.setData({
      empty: record ? 'No overlaps in this probe' : 'No probe yet',
      yDomain: [0, 1],
      series: vb?.length ? [{ type: 'points', label: '|⟨vᵢ, β*⟩|', color: C.purple, x: index(vb), y: vb, radius: 2.2,
        format: (x, y) => `v${x}: |⟨v, β*⟩| = ${formatNumber(y)}` }] : [],
    });
  }

  clear() {
    this.update(null, null);
  }
}
