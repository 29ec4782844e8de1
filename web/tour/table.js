// The runs of a stage side by side (the GD-vs-Adam stage): each run's optimiser and η from its config, and
// the engine's numbers of its last probe and its update (RunsFindings). Each number carries data-fact, the
// path the captions use, so the table and the caption show the same engine value. A run's name is a button
// that shows its figures (onShow(index)); the one on screen is pressed.
import { el } from '../dom.js';
import { formatFact, valueAt } from './captions.js';

const COLUMNS = [
  { label: '‖M‖_F (first update)', path: 'update.norm' },
  { label: 'σ₁(M)', path: 'update.top' },
  { label: 'λ_max after the step', path: 'lambda_max' },
  { label: 'sim(W, β*)', path: 'sim' },
];
const OPTIMIZERS = { adam: 'Adam', gd: 'GD', sgd: 'GD' };

export function runTable(runs, findings, { shown, onShow }) {
  const head = el('tr', {}, el('th', { scope: 'col', text: 'run' }), ...COLUMNS.map((c) => el('th', { scope: 'col', text: c.label })),
    el('th', { scope: 'col', text: 'spike?' }));
  const rows = runs.map((run, i) => {
    const f = findings.runs[i];
    const name = `${OPTIMIZERS[run.config.optimizer] || run.config.optimizer}, η = ${formatFact(run.config.lr)}`;
    const show = el('button', { type: 'button', className: 'tour-show', text: name, 'aria-pressed': String(i === shown),
      title: 'Show this run’s figures' });
    show.addEventListener('click', () => onShow(i));
    return el('tr', {}, el('th', { scope: 'row' }, show),
      ...COLUMNS.map((c) => el('td', { 'data-fact': `runs.${i}.${c.path}`, text: formatFact(valueAt(f, c.path)) })),
      el('td', { text: f.spike ? 'yes' : 'no' }));
  });
  return el('table', { className: 'tour-runs', 'data-testid': 'tour-table' },
    el('caption', { text: 'The runs, as the engine measured them (a run’s name shows its figures)' }),
    el('thead', {}, head), el('tbody', {}, ...rows));
}
