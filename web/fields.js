// Every config field as the page shows it: the engine's schema (configSchema(), core/config_schema.cpp: key,
// type, default, range, choices) joined with the words a reader understands (group, label, help), which are
// all this file holds. Nested keys are dotted (`lr_scheduler.gamma`), as the inputs' `name`. Validation of
// ranges is the engine's (validateConfig); the page only parses the text.
//
// config-schema.js is written by scripts/build-web.mjs from the engine it ships with; the worker checks at
// load that the running engine has the same schema. A page built without the engine has no fields (it says
// the engine is missing).
const ENGINE = await import('./config-schema.js').catch(() => null);
const SCHEMA = ENGINE?.default ?? null;
// The method's constants the figures show (methodConstants(): eigenvalue_floor, heavy_tail_alpha, …).
export const METHOD = ENGINE?.METHOD ?? {};

export const GROUPS = [
  { id: 'data', label: 'Data', help: 'A single-index teacher y = σ*(⟨β*, x⟩) + noise, x ~ N(0, I_d).' },
  { id: 'network', label: 'Network', help: 'Two-layer student f(x) = aᵀ φ(W x/√d)/√h; W is h × d.' },
  { id: 'optimiser', label: 'Optimiser', help: 'Full-batch GD or Adam on the mean squared error.' },
  { id: 'schedule', label: 'Schedule', help: 'How many steps, and how the learning rate decays.' },
  { id: 'evaluation', label: 'Evaluation', help: 'What is measured at each probe step.' },
];

const ACTIVATION_LABELS = { tanh: 'tanh', relu: 'ReLU', softplus: 'softplus' };

// The words for each field, in the order of the form; choiceLabels name the engine's choices.
const TEXTS = [
  // data
  { key: 'n', group: 'data', label: 'Training samples n',
    help: 'Samples for the gradient; the probe set used for the ridge refit has as many.' },
  { key: 'n_test', group: 'data', label: 'Test samples',
    help: 'Held-out samples for the test loss.' },
  { key: 'd', group: 'data', label: 'Input dimension d',
    help: 'Length of each input x; W has d columns.' },
  { key: 'label_noise_std', group: 'data', label: 'Label noise ρ',
    help: 'Standard deviation of the Gaussian noise added to each label.' },
  { key: 'target_activation', group: 'data', label: 'Teacher activation σ*',
    choiceLabels: ACTIVATION_LABELS, help: 'The nonlinearity of the teacher that makes the labels.' },
  { key: 'seed', group: 'data', label: 'Seed',
    help: 'Same seed, same teacher, data, W₀ and numbers.' },
  { key: 'repeat', group: 'data', label: 'Repeat index',
    help: 'Draws a fresh teacher, data and W₀ for the same seed (as a sweep repeat).' },
  // network
  { key: 'h', group: 'network', label: 'Hidden units h',
    help: 'Rows of W, the matrix whose spectrum is watched.' },
  { key: 'activation', group: 'network', label: 'Student activation φ',
    choiceLabels: ACTIVATION_LABELS, help: 'The nonlinearity of the hidden layer.' },
  { key: 'fix_last_layer', group: 'network', label: 'Freeze last layer a',
    help: 'Train W only, as in the study; untick to train a too.' },
  // optimiser
  { key: 'optimizer', group: 'optimiser', label: 'Optimiser',
    choiceLabels: { adam: 'Adam', gd: 'GD (full batch)', sgd: 'SGD (same as GD here)' },
    help: 'Adam learns features at far smaller learning rates than GD.' },
  { key: 'lr', group: 'optimiser', label: 'Learning rate η',
    help: 'Step size; large η is what makes the spectrum heavy-tailed.' },
  { key: 'momentum', group: 'optimiser', label: 'Momentum μ (GD)',
    help: 'Heavy-ball momentum of GD; 0 is plain GD.' },
  { key: 'weight_decay', group: 'optimiser', label: 'Weight decay',
    help: 'Adds weight_decay · W to each gradient.' },
  { key: 'beta1', group: 'optimiser', label: 'Adam β₁',
    help: 'Decay of Adam’s running mean of gradients.' },
  { key: 'beta2', group: 'optimiser', label: 'Adam β₂',
    help: 'Decay of Adam’s running mean of squared gradients.' },
  { key: 'eps', group: 'optimiser', label: 'Adam ε',
    help: 'Keeps Adam’s division finite.' },
  { key: 'enable_weight_normalization', group: 'optimiser',
    label: 'Normalise W before each step', help: 'Rescales W to Frobenius norm √(hd) before every step.' },
  // schedule
  { key: 'num_steps', group: 'schedule', label: 'Steps',
    help: 'Play runs until this many optimiser steps; raise it to continue a run.' },
  { key: 'lr_scheduler.step_size', group: 'schedule', label: 'Decay every (steps)',
    help: 'StepLR: multiply η by γ every this many steps; 0 keeps η constant.' },
  { key: 'lr_scheduler.gamma', group: 'schedule', label: 'Decay factor γ',
    help: 'StepLR’s factor; below 1 decays η.' },
  // evaluation
  { key: 'probe_every', group: 'evaluation', label: 'Probe every (steps)',
    help: 'Measure the spectrum and losses at step 0, every this many steps and at the last step.' },
  { key: 'reg_lambda', group: 'evaluation', label: 'Ridge λ',
    help: 'Regularisation of the last-layer refit that gives the train and test losses.' },
  { key: 'probe_feature_scale', group: 'evaluation', label: 'Probe feature scale',
    choiceLabels: { sqrt_d: 'φ(XWᵀ/√d) — the model', d: 'φ(XWᵀ/d) — reference code' },
    help: '“reference code” reproduces the published implementation’s losses and KTA.' },
  { key: 'top_k', group: 'evaluation', label: 'Top-k vectors',
    help: 'Singular vectors of W and of the update compared in the overlap maps.' },
  { key: 'probe_update', group: 'evaluation', label: 'Analyse each update',
    help: 'Singular values of M = W_t − W_{t−1} and its overlaps with W.' },
];

// Text and schema joined; a key on one side only is a page that no longer matches its engine: fail loudly.
function joinSchema(schema) {
  if (!schema) return [];
  const byKey = new Map(schema.map((f) => [f.key, f]));
  const unknown = TEXTS.filter((t) => !byKey.has(t.key)).map((t) => t.key);
  const unlabelled = schema.filter((f) => !TEXTS.some((t) => t.key === f.key)).map((f) => f.key);
  if (unknown.length || unlabelled.length) {
    throw new Error(`web/fields.js and the engine's config schema disagree: ${[
      unknown.length && `unknown to the engine: ${unknown.join(', ')}`,
      unlabelled.length && `no label in the page: ${unlabelled.join(', ')}`].filter(Boolean).join('; ')}`);
  }
  return TEXTS.map(({ choiceLabels, ...text }) => {
    const f = byKey.get(text.key);
    const field = { ...text, type: f.type, default: f.default, rule: f.rule, meaning: f.meaning };
    if (f.choices) field.choices = f.choices.map((v) => [v, choiceLabels?.[v] ?? v]);
    return field;
  });
}

// type: int | number | bool | choice
export const FIELDS = joinSchema(SCHEMA);
export const CONFIG_SCHEMA = SCHEMA;
export const FIELD_BY_KEY = new Map(FIELDS.map((f) => [f.key, f]));

export function defaultConfig() {
  return toNested(Object.fromEntries(FIELDS.map((f) => [f.key, f.default])));
}

// {'lr_scheduler.gamma': 1, lr: 2} -> {lr_scheduler: {gamma: 1}, lr: 2}
export function toNested(flat) {
  const out = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) node = node[p] ??= {};
    node[parts.at(-1)] = value;
  }
  return out;
}

// Inverse of toNested, over the known fields only (in FIELDS order); missing values are left out.
export function toFlat(nested) {
  const flat = {};
  for (const f of FIELDS) {
    const value = f.key.split('.').reduce((node, p) => (node == null ? undefined : node[p]), nested);
    if (value !== undefined) flat[f.key] = value;
  }
  return flat;
}

// Keys of a nested config object that are not config fields (dotted), e.g. from an imported file.
export function unknownKeys(nested, prefix = '') {
  const out = [];
  for (const [k, v] of Object.entries(nested ?? {})) {
    const key = prefix + k;
    if (v && typeof v === 'object' && !Array.isArray(v) && !FIELD_BY_KEY.has(key)) out.push(...unknownKeys(v, key + '.'));
    else if (!FIELD_BY_KEY.has(key)) out.push(key);
  }
  return out;
}

// Text (from an input or the URL) -> typed value, or {error} that quotes the text and says what is wrong
// with it ("“1e” is not a number"). Ranges are the engine's (validateConfig), not this function's.
export function parseValue(field, text) {
  if (field.type === 'bool') {
    if (typeof text === 'boolean') return { value: text };
    const t = String(text).trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(t)) return { value: true };
    if (['0', 'false', 'no', 'off'].includes(t)) return { value: false };
    return { error: `“${text}” is not true or false (1 or 0)` };
  }
  if (field.type === 'choice') {
    const t = String(text).trim();
    if (field.choices.some(([v]) => v === t)) return { value: t };
    return { error: `“${t}” is not one of ${field.choices.map(([v]) => v).join(', ')}` };
  }
  const t = String(text).trim();
  if (t === '') return { error: 'enter a value' };
  // Number() also reads "0x10", "Infinity" and " "; a config number is decimal, as in JSON.
  const value = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : NaN;
  if (Number.isNaN(value)) return { error: `“${t}” is not a number` };
  if (!Number.isFinite(value)) return { error: `“${t}” is too large to be a number` };
  if (field.type === 'int' && !Number.isInteger(value)) return { error: `“${t}” is not a whole number` };
  return { value };
}

export function formatValue(field, value) {
  if (field.type === 'bool') return value ? '1' : '0';
  return String(value);
}
