// Export and import of runs in the JSON schema of docs/schema.md ({config, status, message, probes}),
// the same documents the CLI writes (`spiketail run --eigenvalues`), plus a flat CSV of the scalars. A
// compared pair adds the pinned run under "pinned" (JSON) or as rows with run = "pinned" (CSV).

// Scalar probe fields, in the order of docs/schema.md (CSV columns).
export const SCALAR_KEYS = [
  'step', 'lr', 'train_loss', 'test_loss', 'kta', 'sim_w_beta',
  'alpha_hill', 'hill_xmin', 'alpha_ks', 'ks_xmin', 'ks_D', 'ks_sigma', 'alpha_peak', 'peak_xmin', 'peak_D',
  'spectral_norm', 'frobenius_norm', 'alpha_weighted', 'log_spectral_norm', 'stable_rank',
  'num_spikes', 'mp_lower', 'mp_upper', 'mp_threshold',
];

const runDocument = (run) => ({ config: run.config, status: run.status, message: run.message || '', probes: run.probes });

// pinned: the run compared with it (app/compare.js), kept under "pinned" in the same schema.
export function runToJson(run, pinned = null) {
  return JSON.stringify(pinned ? { ...runDocument(run), pinned: runDocument(pinned) } : runDocument(run), null, 1);
}

// One CSV field: empty for null/undefined, quoted when it holds a quote, a comma or a newline.
export function csvCell(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// With a pinned run, a first column `run` says which run a row is ("now" or "pinned").
export function runToCsv(run, pinned = null) {
  const row = (p) => {
    const messages = Object.entries(p.fit_messages || {}).map(([k, m]) => `${k}: ${m}`).join('; ');
    return [...SCALAR_KEYS.map((k) => csvCell(p[k])), csvCell(messages)];
  };
  if (!pinned) return [[...SCALAR_KEYS, 'fit_messages'].join(','), ...run.probes.map((p) => row(p).join(','))].join('\n') + '\n';
  const lines = [['run', ...SCALAR_KEYS, 'fit_messages'].join(',')];
  for (const [name, r] of [['now', run], ['pinned', pinned]]) for (const p of r.probes) lines.push([name, ...row(p)].join(','));
  return lines.join('\n') + '\n';
}

// Text of a file -> {run} or {error}. Accepts a run document; a sweep document is recognised and declined.
export function parseRun(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { error: `not a JSON file (${err.message})` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { error: 'expected a JSON object {config, status, probes}' };
  if (Array.isArray(doc.runs)) return { error: 'this is a sweep file; open it in the sweep view' };
  if (!doc.config || typeof doc.config !== 'object') return { error: 'the file has no "config" object' };
  if (!Array.isArray(doc.probes)) return { error: 'the file has no "probes" list' };
  const probes = doc.probes.filter((p) => p && typeof p === 'object' && Number.isInteger(p.step));
  if (probes.length !== doc.probes.length) return { error: 'some probes have no integer "step"' };
  probes.sort((a, b) => a.step - b.step);
  const run = {
    config: doc.config,
    status: typeof doc.status === 'string' ? doc.status : 'finished',
    message: typeof doc.message === 'string' ? doc.message : '',
    probes,
  };
  // A compared pair (runToJson with a pinned run): the pinned run is read the same way.
  if (doc.pinned !== undefined) {
    const pinned = parseRun(JSON.stringify(doc.pinned));
    if (pinned.error) return { error: `its pinned run: ${pinned.error}` };
    return { run, pinned: pinned.run };
  }
  return { run };
}

export function runFileName(run, ext) {
  const c = run.config || {};
  const last = run.probes.at(-1)?.step ?? 0;
  return `spiketail-${c.optimizer || 'run'}-lr${c.lr ?? ''}-n${c.n ?? ''}-d${c.d ?? ''}-h${c.h ?? ''}-step${last}.${ext}`;
}
