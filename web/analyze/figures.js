// The figures of the "Analyze weights" view, drawn with web/plots/: the model-level summary (the engine's
// means per file, core/io/analyze_document.hpp) with alpha per layer index, and a chosen layer's spectrum —
// the same figure kinds as the training view (log and linear ESD with the MP law and the power-law line, the
// log–log tail CCDF) from the engine's layerFigure. Every curve is the engine's; this file arranges series.
import { el } from '../dom.js';
import { METHOD } from '../fields.js';
import { PALETTE as C } from '../plots/figure.js';
import { formatNumber } from '../plots/scale.js';
import { XYChart } from '../plots/xy.js';

const HEAVY = METHOD.heavy_tail_alpha;
const FILE_COLORS = [C.blue, C.red, C.green, C.purple, C.orange, C.sky, C.black];

// The summary columns shown, in the engine's order (k_summary_columns), with their labels.
const SUMMARY_LABELS = { alpha: 'mean alpha', alpha_weighted: 'mean alpha_weighted', log_norm: 'mean log_norm',
  log_alpha_norm: 'mean log_alpha_norm', log_spectral_norm: 'mean log_spectral_norm', stable_rank: 'mean stable_rank',
  mp_softrank: 'mean mp_softrank' };

export class ModelSummary {
  constructor(container) {
    this.list = el('div', { className: 'analyze-summary', 'data-testid': 'analyze-summary', 'aria-live': 'polite' });
    container.append(this.list);
    this.alpha = new XYChart(container, {
      id: 'analyze-fig-alpha', testid: 'analyze-alpha-plot', filename: 'alpha-per-layer', height: 260,
      title: 'alpha per layer', description: 'The power-law exponent of each layer, in file order; below the line the tail is very heavy (WeightWatcher: over-trained).',
      xLabel: 'layer index (in its file)', yLabel: 'alpha', xName: 'layer', yName: 'alpha', xInteger: true,
    });
  }

  // document: the engine's analysis document ({files, layers}), or null.
  update(document) {
    const files = document?.files ?? [];
    this.list.replaceChildren(...files.filter((f) => f.summary?.layers).map((f) => el('p', {},
      el('strong', { text: `${f.file}: ` }), `${f.summary.layers} layers`,
      ...Object.entries(SUMMARY_LABELS).filter(([k]) => f.summary[k] !== null)
        .map(([k, label]) => el('span', { className: 'analyze-mean', 'data-key': k }, `, ${label} `, el('b', { text: formatNumber(f.summary[k], 4) }))))));
    const series = files.map((f, i) => {
      const rows = (document?.layers ?? []).filter((r) => r.file === f.file);
      const x = [], y = [];
      rows.forEach((r, k) => { if (r.alpha !== null) { x.push(k + 1); y.push(r.alpha); } });
      return x.length ? { type: 'linepoints', label: f.file, color: FILE_COLORS[i % FILE_COLORS.length], x, y, radius: 2.5,
        format: (xx, yy) => `${f.file}, layer ${xx} (${rows[xx - 1]?.name}): alpha = ${formatNumber(yy, 4)}` } : null;
    }).filter(Boolean);
    const xMax = Math.max(1, ...series.map((s) => s.x.at(-1)));
    if (series.length) series.push({ type: 'line', label: `alpha = ${HEAVY}`, color: C.grey, dash: [4, 4], width: 1, x: [1, xMax], y: [HEAVY, HEAVY], pick: false, ignoreForDomain: true });
    this.alpha.setData({ empty: 'No layer analysed yet', series });
  }
}

function stepSeries(hist, label, color) {
  return hist ? { type: 'step', label, color, x: hist.edges, y: hist.density, width: 1.8 } : null;
}

export class LayerFigures {
  constructor(container) {
    this.title = el('h3', { className: 'analyze-layer-title', 'data-testid': 'analyze-layer-title', text: 'Choose a layer in the table for its spectrum' });
    const grid = el('div', { className: 'figures analyze-figures' });
    container.append(this.title, grid);
    this.esdLog = new XYChart(grid, {
      id: 'analyze-fig-esd-log', testid: 'analyze-esd-plot', filename: 'layer-esd-log', height: 320,
      title: 'Spectrum of WᵀW over log₁₀ λ', description: 'Histogram of the layer’s eigenvalues, the Marchenko–Pastur law of a random matrix with its entry variance, and the fitted power-law tail from x_min.',
      xLabel: 'log₁₀ λ', yLabel: 'density', yLog: true, xName: 'log₁₀ λ', yName: 'density',
    });
    this.esdLin = new XYChart(grid, {
      id: 'analyze-fig-esd-lin', filename: 'layer-esd-linear', height: 320,
      title: 'Spectrum of WᵀW over λ', description: 'The same eigenvalues on a linear axis: the bulk, and the spikes beyond the MP edge.',
      xLabel: 'λ', yLabel: 'density', yZero: true, xName: 'λ', yName: 'density',
    });
    this.ccdf = new XYChart(grid, {
      id: 'analyze-fig-ccdf', filename: 'layer-tail-ccdf', height: 320,
      title: 'Tail: fraction of eigenvalues ≥ λ (log–log)', description: 'A power law p(λ) ∝ λ^−α is a straight line of slope 1−α here; the lines are the fits from their x_min.',
      xLabel: 'λ', yLabel: 'P(Λ ≥ λ)', xLog: true, yLog: true, xName: 'λ', yName: 'P(Λ ≥ λ)',
    });
    this.clear();
  }

  clear(message = 'Choose a layer in the table') {
    for (const chart of [this.esdLog, this.esdLin, this.ccdf]) chart.setData({ empty: message, series: [] });
  }

  // row: the layer's row; figure: layerFigure's EsdFigure.
  show(row, figure) {
    this.title.textContent = `${row.name} (${row.file}): N = ${row.N}, M = ${row.M}${row.alpha !== null ? `, alpha = ${formatNumber(row.alpha, 4)}` : ''}`;
    const log = figure.log || {}, linear = figure.linear || {}, tail = figure.ccdf || {};
    const log10 = (v) => (v > 0 ? Math.log10(v) : null);  // marker positions on the log axis
    const markers = (toX) => [
      row.xmin > 0 && { x: toX(row.xmin), label: `x_min = ${formatNumber(row.xmin, 3)}`, color: C.red },
      row.mp_lambda_plus > 0 && { x: toX(row.mp_lambda_plus), label: 'MP edge λ₊', color: C.orange, dash: [2, 3], row: 1 },
    ].filter(Boolean);
    const plLog = log.ks || log.hill;
    this.esdLog.setData({
      series: [
        stepSeries(log.current, 'eigenvalues', C.blue),
        log.mp && { type: 'line', label: 'Marchenko–Pastur law', color: C.orange, x: log.mp.x, y: log.mp.y, width: 1.6 },
        plLog && { type: 'line', label: `power law α = ${formatNumber(log.ks ? row.alpha : row.alpha_hill, 3)}`, color: C.red, dash: [6, 3], x: plLog.x, y: plLog.y, ignoreForDomain: true },
      ].filter(Boolean),
      markers: markers(log10),
    });
    this.esdLin.setData({
      series: [
        stepSeries(linear.current, 'eigenvalues', C.blue),
        linear.mp && { type: 'line', label: 'Marchenko–Pastur law', color: C.orange, x: linear.mp.x, y: linear.mp.y, width: 1.6, ignoreForDomain: true },
      ].filter(Boolean),
      markers: markers((v) => v),
    });
    this.ccdf.setData({
      series: [
        tail.empirical && { type: 'points', label: 'eigenvalues', color: C.blue, x: tail.empirical.x, y: tail.empirical.y, radius: 1.8 },
        tail.ks && row.alpha !== null && { type: 'line', label: `KS fit: slope 1−α = ${formatNumber(1 - row.alpha, 3)}`, color: C.red, x: tail.ks.x, y: tail.ks.y, width: 2, pick: false, ignoreForDomain: true },
        tail.hill && row.alpha_hill !== null && { type: 'line', label: `Hill fit: slope ${formatNumber(1 - row.alpha_hill, 3)}`, color: C.green, dash: [5, 4], x: tail.hill.x, y: tail.hill.y, width: 1.6, pick: false, ignoreForDomain: true },
      ].filter(Boolean),
      markers: row.xmin > 0 ? [{ x: row.xmin, label: 'x_min', color: C.red }] : [],
    });
  }
}
