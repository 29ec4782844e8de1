// What the sweep view asks the engine to run, in three forms that map one to one:
//   spec      the page's state: {base (nested config), optimizers, lrs, repeats, vary: {param, values} | null}
//   document  the sweep document of docs/schema.md, the input of `spiketail sweep` and of expandSweep:
//             the base config with "optimizer" and "lr" as lists, "repeat" the number of repeats, "vary"
//   hash      #view=sweep&n=…&optimizer=gd,adam&lr=0.001,0.01,…&repeat=5&vary.n=500,2000&workers=2
//             (the document flattened, lists comma-separated; missing keys take the study's defaults, as
//             in the CLI)
// The grid itself (which runs, their order, what is shared) is the engine's (expandSweep); nothing here
// expands or validates ranges.
import { FIELDS, FIELD_BY_KEY, defaultConfig, formatValue, parseValue, toFlat, toNested } from '../fields.js';

export const STUDY_LR_GRID = [0.001, 0.01, 0.1, 1, 10, 100, 1000, 2000, 3000];
export const OPTIMIZERS = [['gd', 'GD (full batch)'], ['adam', 'Adam']];
// The parameters a study can vary (core/sweep.hpp); "gamma" is StepLR's (the engine sets step_size 1 when 0).
export const VARY_PARAMS = [
  { param: 'n', label: 'Training samples n', int: true },
  { param: 'label_noise_std', label: 'Label noise ρ' },
  { param: 'reg_lambda', label: 'Ridge λ' },
  { param: 'gamma', label: 'StepLR decay factor γ (every step)' },
];
// Keys that are lists or counts in a sweep document, not the base config's scalars.
const SWEEP_KEYS = new Set(['optimizer', 'lr', 'repeat']);
export const BASE_FIELDS = FIELDS.filter((f) => !SWEEP_KEYS.has(f.key));

const REDUCED = { n: 400, d: 200, h: 300 };
const LR_SWEEP = { optimizers: ['gd', 'adam'], lrs: STUDY_LR_GRID, repeats: 5 };
// The parameter studies as the reference configs run them (bulk_losses_vary_*.yml): Adam, η = 1, 10 steps,
// a probe every step, 2 repeats, n = 8000 except in the n study.
const STUDY = { optimizers: ['adam'], lrs: [1], repeats: 2 };

export const SWEEP_PRESETS = [
  {
    id: 'reduced-lr',
    label: 'Reduced LR sweep: GD vs Adam over 9 η (n=400, d=200, h=300)',
    about: 'The study’s learning-rate sweep on a smaller network: 2 optimisers × 9 learning rates × 5 repeats, ' +
      '10 steps each (90 runs, well under a minute). Adam’s α falls below 2 from η ≈ 1, GD’s only in the thousands.',
    base: { ...REDUCED, num_steps: 10, probe_every: 10 }, ...LR_SWEEP,
  },
  {
    id: 'study-lr',
    label: 'The study’s LR sweep (n=2000, d=1000, h=1500; 90 runs)',
    about: 'docs/method.md §7 at full scale: GD and Adam, η from 0.001 to 3000, 5 repeats, 10 steps. About a second per ' +
      'step and run in a browser: many minutes; more workers on more cores go faster.',
    base: { num_steps: 10, probe_every: 10 }, ...LR_SWEEP,
  },
  {
    id: 'vary-n',
    label: 'Parameter study: n ∈ {500, 2000, 4000, 8000}',
    about: 'Adam, η = 1: the loss per step for each training-set size (fresh data per repeat). Runs at n = 8000 ' +
      'take about four times as long as the study’s single run.',
    base: { num_steps: 10, probe_every: 1 }, ...STUDY, vary: { param: 'n', values: [500, 2000, 4000, 8000] },
  },
  {
    id: 'vary-noise',
    label: 'Parameter study: label noise ρ ∈ {0.1, 0.3, 0.5, 0.7}',
    about: 'Adam, η = 1, n = 8000 (as the reference config): the loss per step for each noise level.',
    base: { n: 8000, num_steps: 10, probe_every: 1 }, ...STUDY,
    vary: { param: 'label_noise_std', values: [0.1, 0.3, 0.5, 0.7] },
  },
  {
    id: 'vary-lambda',
    label: 'Parameter study: ridge λ ∈ {0.1, 0.01, 0.001, 0.0001}',
    about: 'Adam, η = 1, n = 8000: the refit’s regularisation changes the measured losses, not the training ' +
      '(the runs of a repeat share their data and trajectory).',
    base: { n: 8000, num_steps: 10, probe_every: 1 }, ...STUDY,
    vary: { param: 'reg_lambda', values: [0.1, 0.01, 0.001, 0.0001] },
  },
  {
    id: 'vary-gamma',
    label: 'Parameter study: StepLR γ ∈ {0.2, 0.4, 0.6, 0.8}',
    about: 'Adam, η = 1 multiplied by γ after every step (StepLR, step_size 1), n = 8000: the loss per step ' +
      'for each decay factor (the runs of a repeat share their data and W₀).',
    base: { n: 8000, num_steps: 10, probe_every: 1, lr_scheduler: { step_size: 1, gamma: 1 } }, ...STUDY,
    vary: { param: 'gamma', values: [0.2, 0.4, 0.6, 0.8] },
  },
  {
    id: 'reduced-gamma',
    label: 'Reduced γ study: StepLR γ ∈ {0.2, 0.4, 0.6, 0.8} (n=400, d=200, h=300)',
    about: 'The StepLR study on the reduced network: Adam, η = 1 multiplied by γ after every step, 2 repeats, ' +
      '10 steps probed at every step (8 runs, a few seconds). A fast decay keeps α Hill higher.',
    base: { ...REDUCED, num_steps: 10, probe_every: 1, lr_scheduler: { step_size: 1, gamma: 1 } }, ...STUDY,
    vary: { param: 'gamma', values: [0.2, 0.4, 0.6, 0.8] },
  },
];
export const DEFAULT_SWEEP_PRESET = 'reduced-lr';

const fullBase = (overrides = {}) => toNested({ ...toFlat(defaultConfig()), ...toFlat(overrides) });

export function presetSpec(id) {
  const p = SWEEP_PRESETS.find((x) => x.id === id);
  if (!p) return null;
  return {
    base: fullBase(p.base),
    optimizers: [...p.optimizers],
    lrs: [...p.lrs],
    repeats: p.repeats,
    vary: p.vary ? { param: p.vary.param, values: [...p.vary.values] } : null,
  };
}

// JSON with the keys of every object sorted: the same document whatever order its keys were set in.
export function canonicalJson(value) {
  return JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

export function sameSpec(a, b) {
  return !!a && !!b && canonicalJson(specToDocument(a)) === canonicalJson(specToDocument(b));
}

export function matchSweepPreset(spec) {
  return SWEEP_PRESETS.find((p) => sameSpec(presetSpec(p.id), spec))?.id ?? null;
}

// spec -> sweep document (docs/schema.md), the JSON that expandSweep and `spiketail sweep` read.
export function specToDocument(spec) {
  const base = { ...spec.base };
  for (const key of SWEEP_KEYS) delete base[key];
  const doc = { ...base, optimizer: [...spec.optimizers], lr: [...spec.lrs], repeat: spec.repeats };
  if (spec.vary) doc.vary = { [spec.vary.param]: [...spec.vary.values] };
  return doc;
}

// A sweep document's config (from a file: ours or the CLI's) -> spec. Missing keys take the defaults.
export function specFromDocument(config) {
  const c = config && typeof config === 'object' ? config : {};
  const list = (v, fallback) => (Array.isArray(v) ? v : v === undefined ? fallback : [v]);
  const flat = toFlat(c);
  for (const key of SWEEP_KEYS) delete flat[key];
  let vary = null;
  if (c.vary && typeof c.vary === 'object') {
    const [name, values] = Object.entries(c.vary)[0] || [];
    // The engine accepts "lr_scheduler.gamma" as another spelling of "gamma"; the form shows one.
    if (name) vary = { param: name === 'lr_scheduler.gamma' ? 'gamma' : name, values: list(values, []) };
  }
  return {
    base: fullBase(toNested(flat)),
    optimizers: list(c.optimizer, ['adam']).map((o) => (o === 'sgd' ? 'gd' : o)),
    lrs: list(c.lr, [1]),
    repeats: c.repeat ?? 1,
    vary,
  };
}

// Text of a list input ("0.001, 0.01 0.1") -> {values, tokens, errors}: every entry that does not parse is an
// error naming it (lr[2]), as the engine names its own; tokens keeps each entry in its place (a number, or its
// text) so that the engine still checks the others' ranges under their own index. values: only when all parse.
export function parseList(text, field, { int = false } = {}) {
  const parts = String(text).split(/[\s,;]+/).filter(Boolean);
  if (!parts.length) {
    const error = { field, message: 'enter at least one value' };
    return { values: null, tokens: [], errors: [error], error };
  }
  const tokens = [];
  const errors = [];
  for (const [i, t] of parts.entries()) {
    const r = parseValue({ type: int ? 'int' : 'number' }, t);
    if (r.error) errors.push({ field: `${field}[${i}]`, message: r.error });
    tokens.push(r.error ? t : r.value);
  }
  return { values: errors.length ? null : tokens, tokens, errors, error: errors[0] };
}

export function formatList(values) {
  return values.map((v) => String(v)).join(', ');
}

// spec (+ workers) -> '#view=sweep&…'
export function specToHash(spec, { workers = 0 } = {}) {
  const params = new URLSearchParams();
  params.set('view', 'sweep');
  const flat = toFlat(spec.base);
  for (const f of FIELDS) {
    if (f.key === 'optimizer') params.set('optimizer', spec.optimizers.join(','));
    else if (f.key === 'lr') params.set('lr', spec.lrs.join(','));
    else if (f.key === 'repeat') params.set('repeat', String(spec.repeats));
    else if (flat[f.key] !== undefined) params.set(f.key, formatValue(f, flat[f.key]));
  }
  if (spec.vary) params.set(`vary.${spec.vary.param}`, spec.vary.values.join(','));
  if (workers) params.set('workers', String(workers));
  return '#' + params.toString().replace(/%2C/g, ',');
}

// '#view=sweep&…' -> {spec, workers, raw, errors: [{field, message}], empty}. Missing keys take the values of
// the link's base, `preset=` (default: the reduced LR sweep, not the study's full size). A value that does not
// parse is not replaced: raw holds its text ({key: text}, keys as the form's rows: lr, repeat, vary, workers, a
// base field) for the form to show and report; every other problem (unknown key or preset, a key given twice,
// an optimiser name) is an error naming its key. The page keys (url.js's PAGE_KEYS) are not read here.
export function specFromHash(hash, pageKeys = ['view', 'embed', 'hide', 'fig', 'autoplay']) {
  const params = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const errors = [];
  const raw = {};
  const seen = new Set();
  let presetId = DEFAULT_SWEEP_PRESET, present = 0;
  if (params.has('preset')) {
    present++;
    presetId = params.getAll('preset').at(-1);
    if (!presetSpec(presetId)) {
      errors.push({ field: 'preset', message: `unknown sweep preset “${presetId}” (one of ${SWEEP_PRESETS.map((p) => p.id).join(', ')})` });
      presetId = DEFAULT_SWEEP_PRESET;
    }
  }
  const spec = presetSpec(presetId);
  const flat = toFlat(spec.base);
  let workers = 0;
  for (const [key, text] of params) {
    if (pageKeys.includes(key) || key === 'preset') continue;
    present++;
    if (seen.has(key)) { errors.push({ field: key, message: 'is given twice in the link; give it once' }); continue; }
    seen.add(key);
    if (key === 'optimizer') {
      const list = text.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = list.findIndex((o) => !['gd', 'adam', 'sgd'].includes(o));
      if (!list.length || bad >= 0) errors.push({ field: bad >= 0 ? `optimizer[${bad}]` : 'optimizer', message: `must be gd or adam (the link has “${text}”)` });
      else spec.optimizers = [...new Set(list.map((o) => (o === 'sgd' ? 'gd' : o)))];
    } else if (key === 'lr') {
      const r = parseList(text, 'lr');
      if (r.errors.length) raw.lr = text; else spec.lrs = r.values;
    } else if (key === 'repeat') {
      const r = parseValue({ type: 'int' }, text);
      if (r.error) raw.repeat = text; else spec.repeats = r.value;
    } else if (key.startsWith('vary.')) {
      const param = key.slice(5) === 'lr_scheduler.gamma' ? 'gamma' : key.slice(5);
      if (!VARY_PARAMS.some((v) => v.param === param)) {
        errors.push({ field: key, message: `cannot be varied (one of ${VARY_PARAMS.map((v) => v.param).join(', ')})` });
        continue;
      }
      const r = parseList(text, key, { int: param === 'n' });
      spec.vary = { param, values: r.values || [] };
      if (r.errors.length) raw.vary = text;
    } else if (key === 'workers') {
      // Its range (1 to MAX_WORKERS) is the form's: the text goes there as it is.
      const r = parseValue({ type: 'int' }, text);
      if (r.error) raw.workers = text; else workers = r.value;
    } else if (FIELD_BY_KEY.has(key)) {
      const field = FIELD_BY_KEY.get(key);
      const r = parseValue(field, text);
      if (!r.error) flat[key] = r.value;
      else if (field.type === 'bool') errors.push({ field: key, message: `${r.error} (in the link)` });
      else raw[key] = text;
    } else {
      errors.push({ field: key, message: `unknown setting “${key}” in the link (docs/schema.md lists the settings)` });
    }
  }
  spec.base = fullBase(toNested(flat));
  return { spec, workers, raw, errors, empty: present === 0 };
}
