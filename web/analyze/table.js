// The table of layers: one row per layer (data-testid="layer-row"), pending until its row comes in from the
// engine; sortable by any column (click its header; again reverses), filtered by name (case-insensitive text),
// a row chosen by click or Enter opens its figures. Values are the engine's, formatted for reading (the exports
// carry them whole). WeightWatcher's column names.
import { el } from '../dom.js';
import { formatNumber } from '../plots/scale.js';

// [key, header, tooltip]; N, M and shape come from the index before the layer is analysed.
const COLUMNS = [
  ['index', '#', 'the layer’s position among the files’ layers'],
  ['name', 'layer', 'the tensor’s name in its file'],
  ['shape', 'shape', 'as stored'],
  ['N', 'N', 'the larger side'],
  ['M', 'M', 'the smaller side (times the slices of a conv kernel: num_evals)'],
  ['alpha', 'alpha', 'the power-law exponent of the ESD’s tail (KS-selected x_min, WeightWatcher’s default fit)'],
  ['xmin', 'xmin', 'where the power-law tail starts'],
  ['D', 'D', 'the KS distance of the fit'],
  ['alpha_weighted', 'alpha_weighted', 'alpha · log10 lambda_max'],
  ['log_spectral_norm', 'log_spectral_norm', 'log10 of the largest eigenvalue'],
  ['log_norm', 'log_norm', 'log10 of the squared Frobenius norm'],
  ['stable_rank', 'stable_rank', 'Σλ / λ_max'],
  ['num_spikes', 'num_spikes', 'eigenvalues above the MP edge'],
  ['alpha_hill', 'alpha_hill', 'spiketail’s Hill estimate at x_min = the median eigenvalue'],
  ['warning', 'warning', 'WeightWatcher’s: over-trained or under-trained by alpha'],
];

function cellText(key, item) {
  const { row, tensor } = item;
  if (key === 'index') return String(item.index + 1);
  if (key === 'name') return tensor.name;
  if (key === 'shape') return (row?.shape ?? tensor.shape).join('×');
  if ((key === 'N' || key === 'M') && !row) return tensor[key] ? String(tensor[key]) : '';
  if (!row) return key === 'alpha' ? { queued: 'queued', running: '…', cancelled: 'cancelled' }[item.state] ?? '…' : '';
  const v = row[key];
  if (v === null || v === undefined) return key === 'alpha' && row.status !== 'success' ? row.status : '';
  return typeof v === 'number' ? formatNumber(v, 4) : String(v);
}

function sortValue(key, item) {
  if (key === 'index') return item.index;
  if (key === 'name') return item.tensor.name;
  const v = key === 'N' || key === 'M' ? item.row?.[key] ?? item.tensor[key] : item.row?.[key];
  return v === undefined ? null : v;
}

export class LayerTable {
  // onSelect(item): a row was chosen.
  constructor(container, { onSelect }) {
    this.onSelect = onSelect;
    this.items = [];
    this.sort = { key: 'index', dir: 1 };
    this.filter = '';
    this.selected = null;
    this.filterInput = el('input', { type: 'search', placeholder: 'filter by name', 'aria-label': 'Filter layers by name', 'data-testid': 'analyze-filter' });
    this.filterInput.addEventListener('input', () => { this.filter = this.filterInput.value.trim().toLowerCase(); this.render(); });
    this.count = el('span', { className: 'analyze-count', 'aria-live': 'polite' });
    this.head = el('tr');
    for (const [key, label, title] of COLUMNS) {
      const button = el('button', { type: 'button', text: label, title });
      button.addEventListener('click', () => {
        this.sort = { key, dir: this.sort.key === key ? -this.sort.dir : 1 };
        this.render();
      });
      this.head.append(el('th', { scope: 'col', 'data-key': key }, button));
    }
    this.body = el('tbody');
    this.element = el('div', { className: 'analyze-table-box' },
      el('div', { className: 'analyze-table-tools' }, this.filterInput, this.count),
      el('div', { className: 'analyze-table-scroll' },
        el('table', { className: 'analyze-table', 'data-testid': 'layer-table' }, el('thead', {}, this.head), this.body)));
    container.append(this.element);
  }

  // items: Analysis.layers(); kept in their given order as the index column.
  setItems(items) {
    this.items = items.map((item, index) => ({ ...item, index }));
    this.render();
  }

  visible() {
    const { key, dir } = this.sort;
    const shown = this.items.filter((i) => !this.filter || i.tensor.name.toLowerCase().includes(this.filter));
    return shown.sort((a, b) => {
      const x = sortValue(key, a), y = sortValue(key, b);
      if (x === null || y === null) return (x === null) - (y === null) || a.index - b.index;  // blanks last
      return (x < y ? -1 : x > y ? 1 : 0) * dir || a.index - b.index;
    });
  }

  render() {
    for (const th of this.head.children) {
      const sorted = th.dataset.key === this.sort.key;
      if (sorted) th.setAttribute('aria-sort', this.sort.dir > 0 ? 'ascending' : 'descending'); else th.removeAttribute('aria-sort');
    }
    const rows = this.visible();
    this.body.replaceChildren(...rows.map((item) => {
      const tr = el('tr', { 'data-testid': 'layer-row', 'data-key': item.key, tabIndex: 0,
        className: [item.row ? `status-${item.row.status}` : 'pending', item.key === this.selected ? 'selected' : ''].join(' ') });
      if (item.row?.message) tr.title = item.row.message;
      for (const [key] of COLUMNS) tr.append(el(key === 'name' ? 'th' : 'td', { scope: key === 'name' ? 'row' : undefined, 'data-key': key, text: cellText(key, item) }));
      const choose = () => { this.selected = item.key; this.render(); this.onSelect?.(item); };
      tr.addEventListener('click', choose);
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') choose(); });
      return tr;
    }));
    const done = this.items.filter((i) => i.row).length;
    this.count.textContent = `${rows.length === this.items.length ? '' : `${rows.length} shown of `}${this.items.length} layers, ${done} analysed`;
  }
}
