// The numbers of the probe on screen, each with a one-line explanation for a reader who has not read
// the study. A failed fit shows why it failed (the engine's fit message), never NaN.
//
// One α message: a headline — the tail exponent α Hill, what it means, and which side of the engine's
// thresholds it is on (record.tail_shape, core/powerlaw.hpp) — then α KS, which says "no power law" when its
// fit found none, and one sentence on how the two differ. The words live here; the thresholds and the
// verdicts are the engine's (METHOD: methodConstants()).
import { METHOD } from './fields.js';
import { formatNumber } from './plots/scale.js';

const HEAVY = METHOD.heavy_tail_alpha, NO_PL = METHOD.no_power_law_alpha;

// What each of the engine's tail shapes means, in words.
const SHAPE_TEXT = {
  heavy: `heavy tail (α below ${HEAVY})`,
  power_law: `not heavy (α between ${HEAVY} and ${NO_PL})`,
  no_power_law: `no power-law tail (α above ${NO_PL}, or too few eigenvalues in it)`,
  no_fit: 'no fit',
};

const ITEMS = [
  { key: 'alpha_ks', label: 'α KS', testid: 'alpha-ks', fit: 'ks',
    help: 'exponent above the x_min where a power law fits best (WeightWatcher’s alpha)' },
  { key: 'num_spikes', label: 'Spikes', digits: 0, testid: 'spikes',
    help: 'eigenvalues beyond the MP edge of the bulk now: the outliers marked on the spectrum' },
  { key: 'sim_w_beta', label: 'sim(W, β*)', unit: '0–1', help: '|⟨v₁, β*⟩|: how closely W’s top input direction points at the teacher' },
  { key: 'train_loss', label: 'Train loss', unit: 'MSE', help: 'error of the ridge-refit last layer on the probe set' },
  { key: 'test_loss', label: 'Test loss', unit: 'MSE', help: 'the same refit on held-out samples' },
  { key: 'ks_xmin', label: 'x_min (KS)', fit: 'ks', help: 'eigenvalue of WᵀW where the KS fit’s tail starts' },
  { key: 'ks_D', label: 'KS distance D', fit: 'ks', help: 'largest gap between the KS fit and the tail’s data; 0 = perfect' },
  { key: 'kta', label: 'KTA', unit: '0–1', help: 'kernel–target alignment: how well the hidden features match the labels' },
  { key: 'spectral_norm', label: 'λ_max', help: 'largest eigenvalue of WᵀW (the squared spectral norm)' },
  { key: 'stable_rank', label: 'Stable rank', help: 'Σλ / λ_max: roughly how many directions carry the weight' },
  { key: 'lr', label: 'Learning rate η', help: 'of the last step (StepLR may have decayed it)' },
  { key: 'step', label: 'Step', help: 'optimiser steps taken when this probe was measured', digits: 0 },
];

function el(tag, className, text = '') {
  const e = document.createElement(tag);
  if (className) e.className = className;
  e.textContent = text;
  return e;
}

export class Readout {
  constructor(container) {
    this.element = el('div', 'readout-block');
    const list = el('dl', 'readout');
    // The headline, first in the list: α Hill, its verdict, and where it started.
    const head = el('div', 'metric alpha-headline');
    head.dataset.key = 'alpha_hill';  // embeds choose their key numbers by it (app/embed.js)
    const headValue = document.createElement('dd');
    this.hill = el('span', 'metric-value alpha-headline-value', '—');
    this.hill.dataset.testid = 'alpha-hill';
    this.verdict = el('span', 'alpha-verdict');
    this.verdict.dataset.testid = 'alpha-verdict';
    this.hillHelp = el('small', 'metric-help');
    this.explain = el('span', 'alpha-explain',
      'α Hill fits a power law p(λ) ∝ λ^−α to the upper half of the eigenvalues (x_min = the median): the study’s ' +
      'PL_Alpha_Hill. α KS chooses its own x_min, where a power law fits best, so it can fit only the last few ' +
      'eigenvalues; the two differ when the tail is not one straight line on the log–log tail figure.');
    this.explain.dataset.testid = 'alpha-explain';
    headValue.append(this.hill, this.verdict, this.hillHelp, this.explain);
    head.append(el('dt', '', 'α Hill'), headValue);
    list.append(head);

    this.values = new Map();
    for (const item of ITEMS) {
      const box = el('div', 'metric');
      box.dataset.key = item.key;  // embeds choose their key numbers by it (app/embed.js)
      const dd = document.createElement('dd');
      const value = el('span', 'metric-value', '—');
      if (item.testid) value.dataset.testid = item.testid;
      const help = el('small', 'metric-help', item.help);
      dd.append(value, el('span', 'metric-unit', item.unit ? ` ${item.unit}` : ''), help);
      box.append(el('dt', '', item.label), dd);
      list.append(box);
      this.values.set(item.key, { item, value, help });
    }
    this.element.append(list);
    container.append(this.element);
  }

  // record: the probe on screen; first: the run's step-0 probe (the random W₀'s α, for comparison).
  update(record, first = null) {
    this.updateHeadline(record, first);
    for (const { item, value, help } of this.values.values()) {
      const v = record ? record[item.key] : undefined;
      const failed = record && item.fit && (v === null || v === undefined);
      value.classList.remove('failed', 'no-power-law');
      value.removeAttribute('title');
      if (failed) {
        const why = record.fit_messages?.[item.fit] || 'the fit could not be made';
        value.textContent = 'no fit';
        value.title = why;
        value.classList.add('failed');
        help.textContent = `fit failed: ${why}`;
      } else if (item.key === 'alpha_ks' && record?.tail_shape?.ks === 'no_power_law') {
        value.textContent = 'no power law';
        value.classList.add('no-power-law');
        help.textContent = `its fit gives α = ${formatNumber(v, 3)} over the top eigenvalues: above ${NO_PL} (or too few eigenvalues), no power-law tail`;
      } else {
        value.textContent = v === undefined || v === null ? '—' : item.digits === 0 ? String(v) : formatNumber(v, 4);
        help.textContent = item.key === 'alpha_ks' && record?.tail_shape?.ks ? `${item.help}: ${SHAPE_TEXT[record.tail_shape.ks]}` : item.help;
      }
    }
  }

  updateHeadline(record, first) {
    const v = record?.alpha_hill;
    this.hill.classList.remove('failed');
    if (!record) {
      this.hill.textContent = '—';
      this.verdict.textContent = '';
      this.hillHelp.textContent = 'the tail exponent: smaller α = heavier tail';
      return;
    }
    if (v === null || v === undefined) {
      this.hill.textContent = 'no fit';
      this.hill.classList.add('failed');
      this.verdict.textContent = '';
      this.hillHelp.textContent = `fit failed: ${record.fit_messages?.hill || 'the fit could not be made'}`;
      return;
    }
    const shape = record.tail_shape?.hill;
    this.hill.textContent = formatNumber(v, 4);
    this.verdict.textContent = SHAPE_TEXT[shape] || '';
    this.verdict.dataset.shape = shape || '';
    const start = first && first !== record && first.alpha_hill !== null && first.alpha_hill !== undefined
      ? `; ${formatNumber(first.alpha_hill, 3)} at step 0 (the random W₀)` : '';
    this.hillHelp.textContent = `the tail exponent: smaller α = heavier tail${start}`;
  }
}
