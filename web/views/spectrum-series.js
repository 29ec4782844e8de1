// What the three spectrum figures of the single-run view draw — the ESD over log10 λ and over λ, and the
// tail's CCDF — arranged from the engine's figure data (core/figures.hpp via worker.js) and the probe record.
// Every number comes from the engine: the bins and their range, the bulk's MP law and its spikes, the fits,
// what each fit says about the tail (record.tail_shape). This file picks series, colours and words.
import { PALETTE } from '../plots/figure.js';
import { formatNumber } from '../plots/scale.js';
import { METHOD } from '../fields.js';

const C = PALETTE;
const PINNED_COLOR = C.purple;
// At most this many spikes get an arrow each; more are labelled as one bracket.
const PINNED_SPIKES = 3;

const log10 = (v) => (v > 0 ? Math.log10(v) : null);
const isPowerLaw = (shape) => shape === 'heavy' || shape === 'power_law';

function stepSeries(hist, label, color, extra = {}) {
  return hist ? { type: 'step', label, color, x: hist.edges, y: hist.density, ...extra } : null;
}

// The KS fit's verdict in words, when it found no power law (null otherwise).
export function noPowerLawText(record) {
  if (record?.tail_shape?.ks !== 'no_power_law') return null;
  return `α KS: no power law (its fit, α = ${formatNumber(record.alpha_ks, 3)}, is above ${METHOD.no_power_law_alpha} ` +
    'or covers too few eigenvalues: a random bulk has no power-law tail)';
}

// Labels on the figure: the bulk, the MP edge, each spike, the fitted tail. `x` maps λ to the axis (log10 or λ).
function labels(record, esd, x) {
  const spans = [], pins = [], markers = [];
  const bulk = esd.bulk;
  if (bulk) {
    spans.push({ x0: x(bulk.lower), x1: x(bulk.upper), label: 'bulk', color: C.orange, row: 0,
      text: `bulk: the Marchenko–Pastur law fitted to the eigenvalues now, [${formatNumber(bulk.lower)}, ${formatNumber(bulk.upper)}]` });
    markers.push({ x: x(bulk.upper), label: 'MP edge', color: C.orange, dash: [2, 3], row: 4,
      text: `MP edge of the bulk now: ${formatNumber(bulk.upper)} (spikes: above ${formatNumber(bulk.threshold)}, the edge plus a Tracy–Widom margin)` });
  }
  const spikes = esd.spikes || [];
  if (spikes.length && spikes.length <= PINNED_SPIKES) {
    for (const v of spikes) pins.push({ x: x(v), label: `spike λ = ${formatNumber(v, 3)}`, color: C.red });
  } else if (spikes.length && bulk) {
    spans.push({ x0: x(bulk.threshold), x1: x(spikes[0]), label: `${spikes.length} spikes`, color: C.red, row: 0,
      text: `${spikes.length} eigenvalues above the bulk's spike threshold ${formatNumber(bulk.threshold)}` });
  }
  const top = record?.spectral_norm;
  if (isPowerLaw(record?.tail_shape?.hill) && record.hill_xmin > 0 && top > record.hill_xmin) {
    spans.push({ x0: x(record.hill_xmin), x1: x(top), label: `tail: α Hill = ${formatNumber(record.alpha_hill, 3)}`, color: C.blue, row: 1,
      text: `α Hill fits the upper half of the eigenvalues, from x_min = ${formatNumber(record.hill_xmin)}` });
  }
  if (isPowerLaw(record?.tail_shape?.ks) && record.ks_xmin > 0 && top > record.ks_xmin) {
    spans.push({ x0: x(record.ks_xmin), x1: x(top), label: `KS tail: α = ${formatNumber(record.alpha_ks, 3)}`, color: C.red, row: 2,
      text: `α KS fits above x_min = ${formatNumber(record.ks_xmin)}, where a power law fits best` });
  }
  return { spans, pins, markers };
}

// The engine's bin range with a little room on both sides, so the first and last bars (a spike) are not on the
// axes (presentation only: the bins are the engine's).
const AXIS_PAD = 0.02;
function padded(range) {
  if (!range) return undefined;
  const p = (range[1] - range[0]) * AXIS_PAD;
  return [range[0] - p, range[1] + p];
}

// {log, linear, ccdf}: setData arguments of the three figures. pinned: {esd, record, label} | null.
export function spectrumData(record, figures, pinned, nowLabel) {
  const esd = figures?.esd || {};
  const log = esd.log || {}, linear = esd.linear || {}, tail = esd.ccdf || {};
  const at = record ? `step ${record.step}` : '—';
  const empty = record ? 'No eigenvalues in this probe (export with --eigenvalues)' : 'No probe yet';
  const hillShape = record?.tail_shape?.hill, ksShape = record?.tail_shape?.ks;
  const pin = pinned?.esd;
  const pinLabel = pinned ? `${pinned.label} (step ${pinned.record?.step})` : '';

  const logLabels = labels(record, esd, log10);
  const logData = {
    empty,
    xDomain: padded(esd.range?.log),
    series: [
      stepSeries(log.initial, 'initial (step 0)', C.grey, { dash: [3, 2], width: 1.3 }),
      stepSeries(log.current, `${nowLabel} (${at})`, C.blue, { width: 1.8 }),
      pin && stepSeries(pin.log?.current, pinLabel, PINNED_COLOR, { dash: [5, 3], width: 1.6 }),
      log.mp && { type: 'line', label: 'Marchenko–Pastur law of W₀', color: C.orange, x: log.mp.x, y: log.mp.y, width: 1.6 },
      isPowerLaw(hillShape) && log.hill && { type: 'line', label: `power law, α Hill = ${formatNumber(record.alpha_hill, 3)}`,
        color: C.blue, dash: [6, 3], x: log.hill.x, y: log.hill.y, ignoreForDomain: true, pick: false },
      isPowerLaw(ksShape) && log.ks && { type: 'line', label: `power law, α KS = ${formatNumber(record.alpha_ks, 3)}`,
        color: C.red, dash: [6, 3], x: log.ks.x, y: log.ks.y, ignoreForDomain: true, pick: false },
    ].filter(Boolean),
    ...logLabels,
  };

  const linLabels = labels(record, esd, (v) => v);
  const linearData = {
    empty,
    xDomain: esd.range ? [0, padded(esd.range.linear)[1]] : undefined,
    series: [
      stepSeries(linear.initial, 'initial (step 0)', C.grey, { dash: [3, 2], width: 1.3 }),
      stepSeries(linear.current, `${nowLabel} (${at})`, C.blue, { width: 1.8 }),
      pin && stepSeries(pin.linear?.current, pinLabel, PINNED_COLOR, { dash: [5, 3], width: 1.6 }),
      linear.mp && { type: 'line', label: 'Marchenko–Pastur law of W₀', color: C.orange, x: linear.mp.x, y: linear.mp.y, width: 1.6, ignoreForDomain: true },
    ].filter(Boolean),
    markers: linLabels.markers,
    pins: linLabels.pins,
    spans: linLabels.spans.filter((sp) => sp.label === 'bulk' || /spikes$/.test(sp.label)),
  };

  const tailLabels = labels(record, esd, (v) => v);
  const ccdfData = {
    empty,
    series: [
      tail.empirical && { type: 'points', label: `eigenvalues, ${nowLabel}`, color: C.blue, x: tail.empirical.x, y: tail.empirical.y, radius: 1.8 },
      pin?.ccdf?.empirical && { type: 'points', label: pinLabel, color: PINNED_COLOR, x: pin.ccdf.empirical.x, y: pin.ccdf.empirical.y, radius: 1.4 },
      isPowerLaw(ksShape) && tail.ks && { type: 'line', label: `KS fit: slope 1−α = ${formatNumber(1 - record.alpha_ks, 3)}`, color: C.red,
        x: tail.ks.x, y: tail.ks.y, width: 2, pick: false, ignoreForDomain: true },
      isPowerLaw(hillShape) && tail.hill && { type: 'line', label: `Hill fit: slope 1−α = ${formatNumber(1 - record.alpha_hill, 3)}`, color: C.green,
        dash: [5, 4], x: tail.hill.x, y: tail.hill.y, width: 1.6, pick: false, ignoreForDomain: true },
    ].filter(Boolean),
    markers: tailLabels.markers,
    pins: tailLabels.pins,
    spans: tailLabels.spans.filter((sp) => sp.label !== 'bulk'),
  };

  // Notes under the figures: why a fit is not drawn.
  const failed = record ? ['hill', 'ks'].filter((k) => record.fit_messages?.[k]) : [];
  const notes = [
    ...failed.map((k) => `${k === 'ks' ? 'KS' : 'Hill'} fit: ${record.fit_messages[k]}`),
    noPowerLawText(record),
    record?.tail_shape?.hill === 'no_power_law' ? `α Hill = ${formatNumber(record.alpha_hill, 3)}: no power-law tail` : null,
  ].filter(Boolean);
  const note = [record ? at : '', ...notes].filter(Boolean).join(' — ');
  return { log: logData, linear: linearData, ccdf: ccdfData, note };
}
