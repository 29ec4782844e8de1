// The whole page state in the URL hash, so a link is a reproducible experiment:
//   #view=single&n=600&d=200&...&lr_scheduler.step_size=0&lr_scheduler.gamma=1[&embed=1][&hide=lr,seed][&autoplay=1]
// Every config field is written (not only those that differ from the defaults), so a link keeps meaning
// the same experiment even if the defaults change. (The sweep view's own keys are in sweep/spec.js.)
import { FIELDS, FIELD_BY_KEY, formatValue, parseValue, toFlat, toNested } from './fields.js';

// Views a link may name (views/index.js); any other name shows the single run.
const VIEWS = ['single', 'sweep', 'tour'];
const PAGE_KEYS = new Set(['view', 'embed', 'hide', 'autoplay']);

// Hash -> { config (nested, only the fields present), errors [{field, message}], view, embed, hide, autoplay, present }
export function parseHash(hash) {
  const params = new URLSearchParams(String(hash || '').replace(/^#/, ''));
  const flat = {};
  const errors = [];
  const state = { view: 'single', embed: false, hide: [], autoplay: false };
  let present = false;
  for (const [key, text] of params) {
    if (PAGE_KEYS.has(key)) {
      present = true;
      if (key === 'view') state.view = VIEWS.includes(text) ? text : 'single';
      if (key === 'embed') state.embed = text === '1' || text === 'true';
      if (key === 'autoplay') state.autoplay = text === '1' || text === 'true';
      if (key === 'hide') state.hide = text.split(',').map((s) => s.trim()).filter(Boolean);
      continue;
    }
    const field = FIELD_BY_KEY.get(key);
    if (!field) {
      errors.push({ field: key, message: `unknown setting "${key}" in the link (ignored)` });
      continue;
    }
    present = true;
    const parsed = parseValue(field, text);
    if (parsed.error) errors.push({ field: key, message: `${parsed.error} (link has "${text}")` });
    else flat[key] = parsed.value;
  }
  return { ...state, config: toNested(flat), errors, present };
}

// State -> hash string (with the leading '#').
export function buildHash({ config, view = 'single', embed = false, hide = [], autoplay = false }) {
  const params = new URLSearchParams();
  params.set('view', view);
  const flat = toFlat(config);
  for (const f of FIELDS) if (flat[f.key] !== undefined) params.set(f.key, formatValue(f, flat[f.key]));
  if (embed) params.set('embed', '1');
  if (hide.length) params.set('hide', hide.join(','));
  if (autoplay) params.set('autoplay', '1');
  // URLSearchParams escapes ',' and '.'-free keys fine; keep commas readable in hide=.
  return '#' + params.toString().replace(/%2C/g, ',');
}

// The page URL without its hash, so links work from any folder of any static host.
export function baseUrl(location = window.location) {
  return location.href.replace(/#.*$/, '');
}

export function embedCode(url, { height = 760 } = {}) {
  return `<iframe src="${url.replace(/"/g, '&quot;')}" width="100%" height="${height}" ` +
    `style="border:0;max-width:1100px" loading="lazy" title="spiketail: the weight spectrum of a two-layer network, live"></iframe>`;
}
