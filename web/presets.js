// Named experiments. Each is a set of config overrides on top of the study's defaults (fields.js).
// The small presets share one shape (n=600, d=200, h=300) so that each runs within seconds in a browser.
import { defaultConfig, toFlat, toNested } from './fields.js';

const SMALL = { n: 600, n_test: 200, d: 200, h: 300 };

export const PRESETS = [
  {
    id: 'quick',
    label: 'Quick look: Adam, random → spike → heavy tail',
    about: 'A small network trained with Adam at a large learning rate. Press Play: the spectrum leaves the ' +
      'Marchenko–Pastur bulk, grows spikes, and the bulk spreads into a heavy tail (α Hill falls from ' +
      'about 2.5 to below 2) within a few seconds.',
    config: { ...SMALL, optimizer: 'adam', lr: 0.5, num_steps: 20 },
  },
  {
    id: 'study',
    label: 'The study’s single run (n=2000, d=1000, h=1500)',
    about: 'The paper’s setting: Adam, η = 1, 10 full-batch steps. Each step takes a second or more in a browser.',
    config: {},
  },
  {
    id: 'gd-small',
    label: 'GD, small η: nothing happens',
    about: 'Plain gradient descent at a small learning rate barely moves W: the spectrum stays Marchenko–Pastur ' +
      'and α does not change.',
    config: { ...SMALL, optimizer: 'gd', lr: 0.1, num_steps: 10 },
  },
  {
    id: 'adam-one',
    label: 'Adam, one step: bulk + spike',
    about: 'A single Adam step adds a near rank-one update aligned with the teacher: one outlier eigenvalue ' +
      '(the spike) leaves the MP bulk, and sim(W, β*) jumps.',
    config: { ...SMALL, optimizer: 'adam', lr: 0.5, num_steps: 1 },
  },
  {
    id: 'adam-many',
    label: 'Adam, many steps: heavy tail',
    about: 'Many Adam steps at a large learning rate: the spikes’ interaction with the bulk spreads the ' +
      'eigenvalues into a power-law tail (α Hill below 2).',
    config: { ...SMALL, optimizer: 'adam', lr: 1, num_steps: 30 },
  },
  {
    id: 'adam-ten',
    label: 'Adam, ten steps at η = 1: α crosses 2',
    about: 'The study’s single run (Adam, η = 1, 10 steps) on a small network, probed at every step: the tail ' +
      'grows step by step and α Hill falls from the random bulk’s value towards or below 2.',
    config: { ...SMALL, optimizer: 'adam', lr: 1, num_steps: 10 },
  },
  {
    id: 'gd-one',
    label: 'GD, one step at Adam’s η (0.5): a tiny update',
    about: 'One GD step at the learning rate where one Adam step makes a spike: GD’s update is η times the ' +
      'gradient, thousands of times smaller than Adam’s, and the spectrum does not move.',
    config: { ...SMALL, optimizer: 'gd', lr: 0.5, num_steps: 1 },
  },
  {
    id: 'gd-one-huge',
    label: 'GD, one step at η = 1000: a spike too',
    about: 'One GD step at a learning rate in the thousands: its update is as large as Adam’s at η = 0.5, and ' +
      'it too makes a spike aligned with the teacher.',
    config: { ...SMALL, optimizer: 'gd', lr: 1000, num_steps: 1 },
  },
  {
    id: 'gd-huge',
    label: 'GD, huge η (1000): a heavy tail too',
    about: 'GD gets there as well, but only at learning rates in the thousands: no gradient noise is needed.',
    config: { ...SMALL, optimizer: 'gd', lr: 1000, num_steps: 10 },
  },
];

export const DEFAULT_PRESET = 'quick';

export function presetConfig(id) {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) return null;
  return toNested({ ...toFlat(defaultConfig()), ...preset.config });
}

// The preset whose full config equals this one, or null ("custom").
export function matchPreset(config) {
  const flat = toFlat(config);
  for (const p of PRESETS) {
    const c = toFlat(presetConfig(p.id));
    if (Object.keys(c).every((k) => c[k] === flat[k])) return p.id;
  }
  return null;
}
