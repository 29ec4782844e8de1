// The run grid of the sweep view: one row per (value, optimiser), one column per η, one square per
// repeat, coloured by the run's status (not run, running, finished, diverged, failed). A square's tooltip
// says how the run ended; clicking it opens the run in the single-run view.
import { el } from '../dom.js';
import { optimizerName, paramSymbol, runLabel } from './results.js';

const STATUS_WORDS = [['finished', 'finished'], ['diverged', 'diverged'], ['error', 'failed'], ['running', 'running'], ['pending', 'not run']];

export class RunGrid {
  // onOpen(index): open plan run `index`.
  constructor(container, { onOpen }) {
    this.onOpen = onOpen;
    const hint = el('p', { className: 'hint', text: 'One square per run and repeat; click one to open that run in the single-run view.' });
    this.grid = el('div', { className: 'sweep-grid', 'data-testid': 'sweep-runs' });
    const legend = el('p', { className: 'sweep-legend', 'aria-hidden': 'true' });
    for (const [status, text] of STATUS_WORDS) {
      const swatch = el('span', { className: 'run-cell', 'data-status': status });
      swatch.style.display = 'inline-block';
      legend.append(el('span', {}, swatch, ` ${text}`));
    }
    container.append(el('h2', { text: 'Runs' }), hint, this.grid, legend);
    this.cells = [];
  }

  // sweep: {plan, results, running: Map(index -> step)} or null.
  update(s) {
    if (!s) { this.grid.replaceChildren(); this.plan = null; return; }
    const runs = s.plan.runs;
    if (this.plan !== s.plan) this.build(s.plan);
    runs.forEach((run, i) => {
      const b = this.cells[i];
      const r = s.results[i];
      const status = r ? r.status : s.running.has(i) ? 'running' : 'pending';
      if (b.dataset.status === status && status !== 'running') return;
      b.dataset.status = status;
      const last = r?.probes?.at(-1);
      const what = status === 'running' ? `running, step ${s.running.get(i)}`
        : status === 'finished' ? `finished; α Hill ${last?.alpha_hill?.toFixed?.(3) ?? '—'}, test loss ${last?.test_loss?.toPrecision?.(3) ?? '—'}`
        : status === 'diverged' ? `diverged: ${r.message}` : status === 'error' ? `failed: ${r.message}` : 'not run yet';
      b.title = `${runLabel(run)}: ${what}. Click to open it in the single-run view.`;
      b.setAttribute('aria-label', b.title);
    });
  }

  build(plan) {
    this.plan = plan;
    const runs = plan.runs;
    const lrs = [...new Set(runs.map((r) => r.lr))].sort((a, b) => a - b);
    const rowKey = (r) => JSON.stringify([r.value, r.optimizer]);
    const rows = [...new Map(runs.map((r) => [rowKey(r), r])).values()];
    const table = el('table', { className: 'sweep-table' });
    const head = el('tr');
    head.append(el('th'), ...lrs.map((lr) => el('th', { text: `η = ${lr}` })));
    table.append(head);
    const cellOf = new Map();
    for (const r of rows) {
      const tr = el('tr');
      tr.append(el('th', { text: optimizerName(r.optimizer) + (r.param ? `, ${paramSymbol(r.param)} = ${r.value}` : '') }));
      for (const lr of lrs) {
        const td = el('td');
        cellOf.set(JSON.stringify([rowKey(r), lr]), td);
        tr.append(td);
      }
      table.append(tr);
    }
    this.cells = runs.map((run, i) => {
      const b = el('button', { className: 'run-cell', type: 'button', 'data-testid': 'sweep-run', 'data-index': String(i) });
      b.addEventListener('click', () => this.onOpen?.(i));
      cellOf.get(JSON.stringify([rowKey(run), run.lr]))?.append(b);
      return b;
    });
    this.grid.replaceChildren(table);
  }
}
