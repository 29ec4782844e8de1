// The whole page state in the URL hash, so a link is a reproducible experiment:
//   #view=single&preset=quick&n=600&d=200&…&lr_scheduler.gamma=1[&embed=1][&fig=esd,alpha][&hide=lr,seed][&autoplay=1]
// The page writes every config field (not only those that differ from the base), so a link keeps meaning
// the same experiment even if a preset changes. A hand-written link may leave fields out: they take the
// values of its base, `preset=` (default: the quick experiment of presets.js, not the study's full size).
//
// Nothing in a link is silently replaced: a value that does not parse, an unknown key, a key given twice,
// an unknown preset, view, figure or hidden field is an error naming its key. The page keys (view, embed,
// hide, fig, autoplay) are read here for every view; the single-run view's keys too. A view with URL keys of
// its own (views/index.js: ownsUrl, e.g. the sweep) parses the rest itself.
//   [&pin=optimizer:gd,lr:10]  single run: a second run overlaid (app/compare.js), this config with those
//                              settings changed (pin= alone: the same settings)
import { FIELDS, FIELD_BY_KEY, formatValue, parseValue, toFlat, toNested } from './fields.js';
import { DEFAULT_PRESET, PRESETS, presetConfig } from './presets.js';
import { VIEW_TYPES } from './views/index.js';

export const PAGE_KEYS = ['view', 'embed', 'hide', 'fig', 'autoplay'];
// hide= may name, besides a view's settings, these parts of the page.
export const HIDEABLE_PARTS = ['settings', 'numbers'];

export const paramsOf = (hash) => new URLSearchParams(String(hash || '').replace(/^#/, ''));
const quoted = (text) => `“${text}”`;

function parseFlag(key, text, errors) {
  if (text === '1' || text === 'true') return true;
  if (text === '0' || text === 'false') return false;
  errors.push({ field: key, message: `must be 1 or 0 (the link has ${quoted(text)})` });
  return false;
}

// Splits "a, b,c" into trimmed names.
const names = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

// The page keys of a hash, for whichever view it names -> {view, embed, hide, figs, autoplay, errors, present}.
// `hideable(view)` lists what hide= may name in that view (its settings' keys).
export function parsePageState(hash) {
  const params = paramsOf(hash);
  const errors = [];
  const state = { view: 'single', embed: false, hide: [], figs: [], autoplay: false, present: false };
  const text = (key) => params.getAll(key).at(-1);
  for (const key of PAGE_KEYS) {
    const values = params.getAll(key);
    if (!values.length) continue;
    state.present = true;
    if (values.length > 1) errors.push({ field: key, message: `is given ${values.length} times in the link; give it once` });
  }
  if (params.has('view')) {
    const v = text('view');
    if (Object.hasOwn(VIEW_TYPES, v)) state.view = v;  // not "constructor" and the like
    else errors.push({ field: 'view', message: `unknown view ${quoted(v)} (one of ${Object.keys(VIEW_TYPES).join(', ')})` });
  }
  if (params.has('embed')) state.embed = parseFlag('embed', text('embed'), errors);
  if (params.has('autoplay')) state.autoplay = parseFlag('autoplay', text('autoplay'), errors);
  const type = VIEW_TYPES[state.view];
  if (params.has('fig')) {
    const known = Object.keys(type.figures || {});
    const figs = names(text('fig'));
    const bad = figs.filter((f) => !known.includes(f));
    if (!figs.length) errors.push({ field: 'fig', message: `names no figure (one or more of ${known.join(', ')})` });
    else if (bad.length) errors.push({ field: 'fig', message: `unknown figure ${bad.map(quoted).join(', ')} (one or more of ${known.join(', ')})` });
    else state.figs = figs;
  }
  if (params.has('hide')) {
    const allowed = new Set([...HIDEABLE_PARTS, ...(type.hideable?.() || [])]);
    const hide = names(text('hide'));
    const bad = hide.filter((k) => !allowed.has(k));
    if (bad.length) errors.push({ field: 'hide', message: `cannot hide ${bad.map(quoted).join(', ')}: not a setting of this view (nor ${HIDEABLE_PARTS.join(' or ')})` });
    state.hide = hide.filter((k) => allowed.has(k));
  }
  return { ...state, errors };
}

// pin=<key>:<value>,… -> {overrides (flat), errors}: the pinned run's settings that differ from the link's.
export function parsePin(text) {
  const overrides = {}, errors = [];
  for (const part of names(text)) {
    const [key, value = ''] = part.split(/:(.*)/s);
    const field = FIELD_BY_KEY.get(key);
    if (!field) errors.push({ field: 'pin', message: `unknown setting ${quoted(key)} (pin=key:value,…)` });
    else if (overrides[key] !== undefined) errors.push({ field: 'pin', message: `names ${quoted(key)} twice` });
    else {
      const parsed = parseValue(field, value);
      if (parsed.error) errors.push({ field: 'pin', message: `${key}: ${parsed.error} (in the link)` });
      else overrides[key] = parsed.value;
    }
  }
  return { overrides, errors };
}

// The single-run view's hash -> the page state and
//   config   the whole config: the base preset's values, then the link's
//   raw      {key: text} of values that do not parse, for the form to show as they are (and mark)
//   pin      the pinned run's settings that differ ({} for the same settings), or null
//   errors   [{field, message}] every problem, each naming its key
export function parseHash(hash) {
  const state = parsePageState(hash);
  const params = paramsOf(hash);
  const errors = [...state.errors];
  let base = presetConfig(DEFAULT_PRESET);
  const presets = params.getAll('preset');
  if (presets.length) {
    state.present = true;
    if (presets.length > 1) errors.push({ field: 'preset', message: `is given ${presets.length} times in the link; give it once` });
    const id = presets.at(-1);
    if (presetConfig(id)) base = presetConfig(id);
    else errors.push({ field: 'preset', message: `unknown preset ${quoted(id)} (one of ${PRESETS.map((p) => p.id).join(', ')})` });
  }
  let pin = null;
  const pins = params.getAll('pin');
  if (pins.length) {
    state.present = true;
    if (pins.length > 1) errors.push({ field: 'pin', message: `is given ${pins.length} times in the link; give it once` });
    const parsed = parsePin(pins.at(-1));
    pin = parsed.overrides;
    errors.push(...parsed.errors);
  }
  const flat = {};
  const raw = {};
  const seen = new Set();
  for (const [key, text] of params) {
    if (PAGE_KEYS.includes(key) || key === 'preset' || key === 'pin') continue;
    state.present = true;
    const field = FIELD_BY_KEY.get(key);
    if (!field) {
      errors.push({ field: key, message: `unknown setting ${quoted(key)} in the link (docs/schema.md lists the settings)` });
      continue;
    }
    if (seen.has(key)) { errors.push({ field: key, message: 'is given twice in the link; give it once' }); continue; }
    seen.add(key);
    const parsed = parseValue(field, text);
    if (parsed.error) {
      errors.push({ field: key, message: `${parsed.error} (in the link)` });
      if (field.type !== 'bool') raw[key] = text;  // a checkbox cannot show it: it stays a link error
    } else flat[key] = parsed.value;
  }
  return { ...state, config: toNested({ ...toFlat(base), ...flat }), raw, pin, errors };
}

// State -> hash string (with the leading '#').
export function buildHash({ config, view = 'single', embed = false, hide = [], figs = [], autoplay = false, pin = null }) {
  const params = new URLSearchParams();
  params.set('view', view);
  const flat = toFlat(config);
  for (const f of FIELDS) if (flat[f.key] !== undefined) params.set(f.key, formatValue(f, flat[f.key]));
  if (embed) params.set('embed', '1');
  if (figs.length) params.set('fig', figs.join(','));
  if (hide.length) params.set('hide', hide.join(','));
  if (autoplay) params.set('autoplay', '1');
  if (pin) params.set('pin', FIELDS.filter((f) => pin[f.key] !== undefined).map((f) => `${f.key}:${formatValue(f, pin[f.key])}`).join(','));
  // Keep commas readable in hide=, fig= and pin=, and pin='s colons.
  return '#' + params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
}

// The page URL without its hash, so links work from any folder of any static host.
export function baseUrl(location = window.location) {
  return location.href.replace(/#.*$/, '');
}

// The iframe the "Copy embed code" button gives: 800 × 600 holds the run bar, the key numbers and two figures.
// The page posts its height ({type: 'spiketail:height', height}) for hosts that size the frame to it
// (docs/embedding.md).
export function embedCode(url, { width = 800, height = 600 } = {}) {
  return `<iframe src="${url.replace(/"/g, '&quot;')}" width="${width}" height="${height}" ` +
    `style="border:0;max-width:100%" loading="lazy" title="spiketail: the weight spectrum of a two-layer network, live"></iframe>`;
}
