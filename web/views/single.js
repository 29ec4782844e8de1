// The single-run view: the readout and every figure of one run, redrawn at each probe, with a second
// (pinned) run overlaid when one is pinned.
//
// view.update(run, figures, pinned): run = {config, status, message, probes}; figures = the engine's figure
// data for the probe on screen (figures.esd: core/io/figures_json.hpp; arrays; see worker.js), or null while
// none is available; pinned = {run, esd, record, label, nowLabel} | null (the pinned run, its ESD figure on
// the live run's bins at the step on screen, that probe, and the two runs' names). Every curve, histogram
// and CCDF is computed by the engine; this file only arranges them into series.
import { PALETTE } from '../plots/figure.js';
import { HeatmapGrid } from '../plots/heatmap.js';
import { XYChart } from '../plots/xy.js';
import { formatNumber } from '../plots/scale.js';
import { METHOD } from '../fields.js';
import { Readout } from '../readout.js';
import { spectrumData } from './spectrum-series.js';

const C = PALETTE;
const HEAVY = METHOD.heavy_tail_alpha;  // the reference line of the α figure: below it the tail is very heavy

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

    // Compare two runs (app/compare.js sets onPin/onUnpin and calls setCompare).
    this.onPin = null;
    this.onUnpin = null;
    const bar = (this.compareBar = document.createElement('div'));
    bar.className = 'compare-bar';
    bar.hidden = true;  // until a page wires it (setCompare); the tour's figures have none
    this.pinButton = document.createElement('button');
    this.pinButton.type = 'button';
    this.pinButton.dataset.testid = 'pin';
    this.pinButton.textContent = 'Pin this run to compare';
    this.pinButton.title = 'Keep this run on the figures, then change a setting and run again to overlay a second run';
    this.pinButton.addEventListener('click', () => this.onPin?.());
    this.unpinButton = document.createElement('button');
    this.unpinButton.type = 'button';
    this.unpinButton.dataset.testid = 'unpin';
    this.unpinButton.textContent = 'Unpin';
    this.unpinButton.hidden = true;
    this.unpinButton.addEventListener('click', () => this.onUnpin?.());
    this.compareText = document.createElement('span');
    this.compareText.className = 'compare-desc';
    this.compareText.dataset.testid = 'compare';
    this.compareText.setAttribute('role', 'status');
    bar.append(this.pinButton, this.unpinButton, this.compareText);
    this.element.append(bar);

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
      sticky: true, zoom: true,
    });
    this.readout = new Readout(hero);
    this.esdLin = fig(XYChart, {
      id: 'fig-esd-lin', filename: 'esd-linear', height: 300,
      title: 'Spectrum of WᵀW over λ',
      description: 'The same eigenvalues on a linear axis: the bulk, and outliers (spikes) beyond the MP edge.',
      xLabel: 'λ', yLabel: 'density', yZero: true, xName: 'λ', yName: 'density', sticky: true, zoom: true,
    });
    this.ccdf = fig(XYChart, {
      id: 'fig-ccdf', filename: 'tail-ccdf', height: 300,
      title: 'Tail: fraction of eigenvalues ≥ λ (log–log)',
      description: 'A power law p(λ) ∝ λ^−α is a straight line of slope 1−α here; the lines are the fits from their x_min.',
      xLabel: 'λ', yLabel: 'P(Λ ≥ λ)', xLog: true, yLog: true, xName: 'λ', yName: 'P(Λ ≥ λ)', sticky: true, zoom: true,
    });
    this.alpha = fig(XYChart, {
      id: 'fig-alpha', filename: 'alpha', title: 'Power-law exponent α per step',
      description: `Smaller α = heavier tail; below ${HEAVY} (the dashed line) the tail is very heavy. A step where the KS fit finds no power law (α KS above ${METHOD.no_power_law_alpha}) is a ▲ on the top edge: off the scale.`,
      xLabel: 'step', yLabel: 'α', xName: 'step', yName: 'α', xInteger: true, sticky: true,
    });
    this.loss = fig(XYChart, {
      id: 'fig-loss', filename: 'loss', title: 'Train and test loss per step',
      description: 'Mean squared error of the last layer refit by ridge regression on the current features.',
      xLabel: 'step', yLabel: 'MSE', xName: 'step', yName: 'MSE', xInteger: true, sticky: true,
    });
    this.align = fig(XYChart, {
      id: 'fig-align', filename: 'kta-sim', title: 'Feature learning: KTA and sim(W, β*) per step',
      description: 'sim(W, β*) jumps when a spike aligned with the teacher direction β* appears; it can fall again when another direction becomes W’s largest (the spike is then no longer the top singular vector). KTA measures how well all the features together match the labels.',
      xLabel: 'step', yLabel: 'value (0–1)', xName: 'step', yName: 'value', xInteger: true, sticky: true,
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
    this.align.element.dataset.testid = 'align-plot';
    this.alpha.element.dataset.testid = 'alpha-plot';
  }

  // A new run on screen: the fixed axes start again from its data (and the pinned run's).
  resetAxes() {
    for (const f of this.figures) f.resetAxes?.();
  }

  setCompare({ pinned = false, canPin = true, text = '' } = {}) {
    this.compareBar.hidden = false;
    this.pinButton.hidden = pinned;
    this.pinButton.disabled = !canPin;
    this.unpinButton.hidden = !pinned;
    this.compareText.textContent = pinned ? text : 'Pin this run, change a setting (optimiser, η, seed…) and run again to overlay the two.';
  }

  setBanner(text) {
    this.banner.textContent = text || '';
    this.banner.hidden = !text;
  }

  update(run, figures, pinned = null) {
    const probes = run?.probes || [];
    const record = probes.at(-1) || null;
    // Another run (or pair), or the same one from an earlier step: the fixed axes start again.
    const key = run ? JSON.stringify([run.config, pinned?.run?.config ?? null]) : '';
    const step = record?.step ?? -1;
    if (key !== this.axesKey || step < this.axesStep) this.resetAxes();
    this.axesKey = key;
    this.axesStep = step;
    this.readout.update(record, probes[0] || null);
    this.updateHistory(run, pinned);
    this.updateSpectrum(record, figures, pinned);
    this.updateUpdate(record, figures);
  }

  updateHistory(run, pinned) {
    const probes = run?.probes || [];
    const steps = probes.map((p) => p.step);
    const col = (list, k) => list.map((p) => (p[k] === null || p[k] === undefined ? null : p[k]));
    // The x axis spans the planned run (and the pinned one) from the start, so points fill it without rescaling.
    const other = pinned?.run?.probes || [];
    const last = Math.max(1, run?.config?.num_steps ?? 0, steps.at(-1) ?? 0, pinned?.run?.config?.num_steps ?? 0, other.at(-1)?.step ?? 0);
    const xDomain = [0, last];
    const otherSteps = other.map((p) => p.step);
    const nowName = pinned ? pinned.nowLabel : '';
    const named = (label) => (nowName ? `${label}, ${nowName}` : label);
    // The pinned run's lines: the same colour as the run on screen, dashed, with smaller points.
    const pinnedLine = (label, k, color, y = col(other, k)) => pinned && other.length ? {
      type: 'linepoints', label: `${label}, ${pinned.label}`, color, dash: [5, 3], radius: 1.8, x: otherSteps, y,
    } : null;
    // α KS where its fit found no power law is off the α scale (▲ on the top edge), so it never sets the axis.
    const ksSplit = (list) => {
      const fitted = list.map((p) => (p.tail_shape?.ks === 'no_power_law' ? null : p.alpha_ks ?? null));
      const off = list.map((p) => (p.tail_shape?.ks === 'no_power_law' ? p.alpha_ks : null));
      return { fitted, off };
    };
    const ks = ksSplit(probes), ksOther = ksSplit(other);
    const offSteps = steps.filter((_, i) => ks.off[i] !== null), offValues = ks.off.filter((v) => v !== null);
    this.alpha.setData({
      xDomain,
      series: [
        { type: 'linepoints', label: named('α Hill (x_min = median)'), color: C.blue, x: steps, y: col(probes, 'alpha_hill') },
        { type: 'linepoints', label: named('α KS (x_min by KS distance)'), color: C.red, x: steps, y: ks.fitted },
        offValues.length && { type: 'points', clampTop: true, label: 'α KS: no power law (off the scale)', color: C.red, x: offSteps, y: offValues,
          format: (x, y) => `step ${x}: α KS = ${formatNumber(y, 3)}: no power law` },
        pinnedLine('α Hill', 'alpha_hill', C.blue),
        pinnedLine('α KS', 'alpha_ks', C.red, ksOther.fitted),
        { type: 'line', label: `α = ${HEAVY}`, color: C.grey, dash: [4, 4], width: 1, x: xDomain, y: [HEAVY, HEAVY], pick: false, ignoreForDomain: true, table: false },
      ].filter(Boolean),
    });
    const losses = [...col(probes, 'train_loss'), ...col(probes, 'test_loss'), ...col(other, 'train_loss'), ...col(other, 'test_loss')].filter((v) => v > 0);
    const spread = losses.length ? Math.max(...losses) / Math.min(...losses) : 1;
    const yLog = spread > 30;  // a diverging run spans decades
    if (yLog !== this.loss.options.yLog) this.loss.resetAxes();
    this.loss.options.yLog = yLog;
    this.loss.setData({
      xDomain,
      series: [
        { type: 'linepoints', label: named('train (probe set)'), color: C.blue, x: steps, y: col(probes, 'train_loss') },
        { type: 'linepoints', label: named('test'), color: C.orange, x: steps, y: col(probes, 'test_loss') },
        pinnedLine('train', 'train_loss', C.blue),
        pinnedLine('test', 'test_loss', C.orange),
      ].filter(Boolean),
    });
    this.align.setData({
      xDomain, yDomain: [0, 1],
      series: [
        { type: 'linepoints', label: named('KTA'), color: C.green, x: steps, y: col(probes, 'kta') },
        { type: 'linepoints', label: named('sim(W, β*) = |⟨v₁, β*⟩|'), color: C.purple, x: steps, y: col(probes, 'sim_w_beta') },
        pinnedLine('KTA', 'kta', C.green),
        pinnedLine('sim', 'sim_w_beta', C.purple),
      ].filter(Boolean),
    });
  }

  updateSpectrum(record, figures, pinned) {
    const data = spectrumData(record, figures, pinned, pinned ? pinned.nowLabel : 'now');
    for (const [figure, key] of [[this.esdLog, 'log'], [this.esdLin, 'linear'], [this.ccdf, 'ccdf']]) {
      figure.setNote(data.note);
      figure.setData(data[key]);
    }
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
