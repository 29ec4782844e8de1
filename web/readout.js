// The numbers of the probe on screen, each with a one-line explanation for a reader who has not read
// the study. A failed fit shows why it failed (the engine's fit message), never NaN.
import { formatNumber } from './plots/scale.js';

const ITEMS = [
  { key: 'alpha_hill', label: 'α Hill', testid: 'alpha-hill', fit: 'hill',
    help: 'power-law exponent of the upper half of the eigenvalues; smaller = heavier tail' },
  { key: 'alpha_ks', label: 'α KS', testid: 'alpha-ks', fit: 'ks',
    help: 'exponent above the x_min that fits best (WeightWatcher’s alpha); below 2 = heavy-tailed' },
  { key: 'num_spikes', label: 'Spikes', digits: 0,
    help: 'eigenvalues beyond the Marchenko–Pastur edge of a random W: learned directions' },
  { key: 'sim_w_beta', label: 'sim(W, β*)', unit: '0–1', help: '|⟨v₁, β*⟩|: how closely W’s top input direction points at the teacher' },
  { key: 'train_loss', label: 'Train loss', unit: 'MSE', help: 'error of the ridge-refit last layer on the probe set' },
  { key: 'test_loss', label: 'Test loss', unit: 'MSE', help: 'the same refit on held-out samples' },
  { key: 'ks_xmin', label: 'x_min', fit: 'ks', help: 'eigenvalue of WᵀW where the fitted power-law tail starts' },
  { key: 'ks_D', label: 'KS distance D', fit: 'ks', help: 'largest gap between the fit and the tail’s data; 0 = perfect' },
  { key: 'kta', label: 'KTA', unit: '0–1', help: 'kernel–target alignment: how well the hidden features match the labels' },
  { key: 'spectral_norm', label: 'λ_max', help: 'largest eigenvalue of WᵀW (the squared spectral norm)' },
  { key: 'stable_rank', label: 'Stable rank', help: 'Σλ / λ_max: roughly how many directions carry the weight' },
  { key: 'lr', label: 'Learning rate η', help: 'of the last step (StepLR may have decayed it)' },
  { key: 'step', label: 'Step', help: 'optimiser steps taken when this probe was measured', digits: 0 },
];

export class Readout {
  constructor(container) {
    this.element = document.createElement('dl');
    this.element.className = 'readout';
    this.values = new Map();
    for (const item of ITEMS) {
      const box = document.createElement('div');
      box.className = 'metric';
      box.dataset.key = item.key;  // embeds choose their key numbers by it (app/embed.js)
      const dt = document.createElement('dt');
      dt.textContent = item.label;
      const dd = document.createElement('dd');
      const value = document.createElement('span');
      value.className = 'metric-value';
      if (item.testid) value.dataset.testid = item.testid;
      value.textContent = '—';
      const unit = document.createElement('span');
      unit.className = 'metric-unit';
      unit.textContent = item.unit ? ` ${item.unit}` : '';
      const help = document.createElement('small');
      help.className = 'metric-help';
      help.textContent = item.help;
      dd.append(value, unit, help);
      box.append(dt, dd);
      this.element.append(box);
      this.values.set(item.key, { item, value, help });
    }
    container.append(this.element);
  }

  update(record) {
    for (const { item, value, help } of this.values.values()) {
      const v = record ? record[item.key] : undefined;
      const failed = record && item.fit && (v === null || v === undefined);
      if (failed) {
        const why = record.fit_messages?.[item.fit] || 'the fit could not be made';
        value.textContent = 'no fit';
        value.title = why;
        value.classList.add('failed');
        help.textContent = `fit failed: ${why}`;
      } else {
        value.textContent = v === undefined || v === null ? '—'
          : item.digits === 0 ? String(v) : formatNumber(v, 4);
        value.removeAttribute('title');
        value.classList.remove('failed');
        help.textContent = item.help;
      }
    }
  }
}
