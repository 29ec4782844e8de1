// A sweep on screen and its files. The sweep is plain data:
//   { plan: {doc, base, runs: [{config, optimizer, lr, repeat, param, value}]}   (the engine's expansion)
//     results: [null | {status, message, probes, ms}]                             (one slot per run) }
// Exports are the CLI's sweep document (docs/schema.md): {config, runs: [{optimizer, lr, repeat, param,
// value, config, status, message, probes}]}, runs in expansion order; a run that has not finished (a
// cancelled sweep) is left out, so every entry has one of the schema's statuses.
// The statistics over repeats are the engine's (summarizeSweep); the document's config and its file layout
// too (expandSweep's config, formatDocument); which file run is which grid run, and which runs are missing,
// too (collectSweep), and the exported document, complete or partial (sweepDocument).
import { SCALAR_KEYS, csvCell } from '../io.js';

const OPT_NAMES = { gd: 'GD', sgd: 'GD', adam: 'Adam' };
export const optimizerName = (o) => OPT_NAMES[o] || o;

const PARAM_SYMBOLS = { n: 'n', label_noise_std: 'ρ', reg_lambda: 'λ', gamma: 'γ' };
export const paramSymbol = (p) => PARAM_SYMBOLS[p] || p;

export function runLabel(run, { repeat = true } = {}) {
  const parts = [`${optimizerName(run.optimizer)}, η = ${run.lr}`];
  if (run.param) parts.push(`${paramSymbol(run.param)} = ${run.value}`);
  if (repeat) parts.push(`repeat ${run.repeat}`);
  return parts.join(', ');
}

// Counts by status: {done, finished, diverged, error, total}.
export function tally(sweep) {
  const t = { done: 0, finished: 0, diverged: 0, error: 0, total: sweep.plan.runs.length };
  for (const r of sweep.results) {
    if (!r) continue;
    t.done++;
    if (t[r.status] !== undefined) t[r.status]++;
  }
  return t;
}

// ---------- export ----------

// The runs in plan order for summarizeSweep: every run's key, and the status and probes of those that finished.
export function planRuns(sweep) {
  return sweep.plan.runs.map((run, i) => {
    const r = sweep.results[i];
    return { optimizer: run.optimizer, lr: run.lr, repeat: run.repeat, param: run.param ?? null, value: run.value ?? null,
      status: r?.status ?? null, probes: r?.probes ?? [] };
  });
}

// The sweep's entries in the CLI's schema, one per plan run: null for a run that has not finished.
export function gridEntries(sweep) {
  return sweep.plan.runs.map((run, i) => {
    const r = sweep.results[i];
    return r ? { optimizer: run.optimizer, lr: run.lr, repeat: run.repeat, param: run.param ?? null, value: run.value ?? null,
      config: run.config, status: r.status, message: r.message || '', probes: r.probes || [] } : null;
  });
}

// {config, runs} of the finished runs (the saved copy and the CSV; Export asks the engine for the document).
export function toDocument(sweep) {
  return { config: sweep.plan.config, runs: gridEntries(sweep).filter(Boolean) };
}

// The request for the engine's document of the sweep (sweepDocument): complete, or partial with the grid
// indices of its runs, so that `spiketail sweep --resume` and this page's Import can complete it.
export const documentRequest = (sweep) => ({ sweep: sweep.plan.config, entries: gridEntries(sweep), record: sweep.record || 'default' });

// One row per run × probe; a run without probes (an error) gets one row with its message.
export function toCsv(sweep) {
  const head = ['optimizer', 'lr', 'repeat', 'param', 'value', 'status', 'message', ...SCALAR_KEYS, 'fit_messages'];
  const lines = [head.join(',')];
  for (const entry of toDocument(sweep).runs) {
    const front = [entry.optimizer, entry.lr, entry.repeat, entry.param, entry.value, entry.status, entry.message];
    const probes = entry.probes.length ? entry.probes : [null];
    for (const p of probes) {
      const messages = p ? Object.entries(p.fit_messages || {}).map(([k, m]) => `${k}: ${m}`).join('; ') : '';
      lines.push([...front, ...SCALAR_KEYS.map((k) => (p ? p[k] : null)), messages].map(csvCell).join(','));
    }
  }
  return lines.join('\n') + '\n';
}

export function fileName(sweep, ext) {
  const b = sweep.plan.config || {};
  const t = tally(sweep);
  const what = sweep.plan.doc.vary ? `vary-${Object.keys(sweep.plan.doc.vary)[0]}` : 'lr';
  return `spiketail-sweep-${what}-n${b.n}-d${b.d}-h${b.h}-${t.done}of${t.total}.${ext}`;
}

// ---------- import ----------

// Text of a file -> {doc} or {error}. A run document (no "runs") is declined with a pointer.
export function parseSweepFile(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { error: `not a JSON file (${err.message})` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { error: 'expected a JSON object {config, runs}' };
  if (!Array.isArray(doc.runs)) {
    return { error: Array.isArray(doc.probes) ? 'this is a single run; open it in the single-run view' : 'the file has no "runs" list' };
  }
  if (!doc.config || typeof doc.config !== 'object') return { error: 'the file has no "config" object' };
  for (const [i, r] of doc.runs.entries()) {
    if (!r || typeof r !== 'object' || typeof r.optimizer !== 'string' || typeof r.lr !== 'number' || !Number.isInteger(r.repeat)) {
      return { error: `runs[${i}] is not a sweep run {optimizer, lr, repeat, …}` };
    }
    if (!Array.isArray(r.probes)) return { error: `runs[${i}] has no "probes" list` };
  }
  return { doc };
}

// The engine's entries of a collected sweep (collectSweep: one per grid run, null when missing) -> results.
export function resultsOfEntries(entries) {
  return entries.map((e) => e && {
    status: e.status, message: e.message || '', ms: null,
    probes: [...e.probes].filter((p) => p && Number.isInteger(p.step)).sort((a, b) => a.step - b.step),
  });
}
