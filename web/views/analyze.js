// The "Analyze weights" view (`view=analyze`): WeightWatcher's per-layer analysis of the reader's own model
// files, in the browser. Files are read in pieces where they are (File.slice: header, then each layer's
// bytes) and analysed on a pool of workers; nothing is uploaded. The parts:
//   analyze/files.js     drop zone, picker, the index's filters, Cancel, exports, a progress bar per file
//   analyze/analysis.js  one analysis: readers, indexes, the layers on the pool, rows per file
//   analyze/pool.js      the planner worker and the layer pool (instances of web/worker.js)
//   analyze/table.js     the layer table (sort, filter, choose a row)
//   analyze/figures.js   the model summary, alpha per layer, and a chosen layer's spectrum
// Numbers, summaries and the exported document are the engine's (wasm/spiketail.d.mts: modelIndex,
// analyzeLayer, layerFigure, analyzeDocument).
import { download, el } from '../dom.js';
import { PAGE_KEYS } from '../url.js';
import { Analysis } from '../analyze/analysis.js';
import { FilePanel } from '../analyze/files.js';
import { LayerFigures, ModelSummary } from '../analyze/figures.js';
import { ModelPlanner } from '../analyze/pool.js';
import { LayerTable } from '../analyze/table.js';

// The page redraws at most this often while layers come in, leaving the cores to the workers.
const REDRAW_MS = 250;

export const ANALYZE_FIGURES = {
  alpha: 'analyze-fig-alpha', esd: 'analyze-fig-esd-log', 'esd-linear': 'analyze-fig-esd-lin', tail: 'analyze-fig-ccdf',
};

export class AnalyzeView {
  constructor(container) {
    this.linkErrors = [];
    this.document = null;
    this.chosen = null;
    this.element = el('section', { className: 'view view-analyze', id: 'analyze-view', 'aria-label': 'Analyze weights', 'data-testid': 'analyze' });
    container.append(this.element);
    this.element.append(
      el('h2', { text: 'Analyze weights' }),
      el('p', { className: 'analyze-privacy', 'data-testid': 'analyze-privacy' },
        el('strong', { text: 'Your files never leave this browser. ' }),
        el('span', { className: 'analyze-privacy-more' },
          'They are read here, a header and then one layer at a time, and analysed on this computer by the same engine as ',
          el('code', { text: 'spiketail analyze' }), '; nothing is uploaded. Each 2-D weight (and convolution kernel) is a layer, as in WeightWatcher: its eigenvalues, power-law fit and norms.')));
    this.planner = null;  // started with the first files: opening the view costs no worker
    this.analysis = null;
    this.panel = new FilePanel(this.element, {
      onFiles: (files) => this.analyze(files),
      onCancel: () => this.cancel(),
      onExport: (kind) => this.export(kind),
    });
    const results = el('div', { className: 'analyze-results' });
    this.element.append(results);
    this.summary = new ModelSummary(results);
    this.table = new LayerTable(results, { onSelect: (item) => this.choose(item) });
    this.figures = new LayerFigures(results);
    this.summary.update(null);
  }

  show() { this.element.hidden = false; }
  hide() { this.element.hidden = true; }  // an analysis goes on in its workers; Cancel stops it

  hash() { return '#view=analyze'; }

  // '#view=analyze' takes no keys of its own: files cannot be linked. Others are listed, naming the key.
  load(hash, state = { errors: [] }) {
    const params = new URLSearchParams(String(hash || '').replace(/^#/, ''));
    const unknown = [...new Set([...params.keys()].filter((k) => !PAGE_KEYS.includes(k)))];
    this.linkErrors = [...state.errors, ...unknown.map((k) => ({ field: k, message: 'unknown key: the Analyze view takes none of its own (files cannot be linked)' }))];
    if (this.linkErrors.length) this.panel.setStatus(this.linkErrors.map((e) => `The link’s ${e.field}: ${e.message}`).join('; '), true);
  }

  setEmbed() {}

  ensureWorkers() {
    if (this.planner) return;
    this.planner = new ModelPlanner({ onFail: (message) => this.fail(message) });
    this.analysis = new Analysis(this.planner, { onChange: () => this.redrawSoon(), onDone: () => this.done() });
  }

  async analyze(files) {
    const options = this.panel.options();
    if (options.error) { this.panel.setStatus(options.error, true); return; }
    this.ensureWorkers();
    this.chosen = null;
    this.document = null;
    this.figures.clear();
    this.panel.setStatus(`Reading ${files.length === 1 ? files[0].name : `${files.length} files`}…`);
    this.t0 = performance.now();
    try {
      await this.analysis.start(files, options);
    } catch (err) {
      this.fail(err.message || String(err));
      return;
    }
    if (this.analysis.running) this.panel.setStatus(`Analysing on ${this.analysis.pool.workers || 1} worker${this.analysis.pool.workers === 1 ? '' : 's'}…`);
    this.redraw();
  }

  cancel() {
    this.analysis?.cancel();
    this.panel.setStatus('Cancelled: the finished layers stay in the table and the exports.');
    this.redraw();
  }

  done() {
    const layers = this.analysis.layers();
    const failed = layers.filter((i) => i.row && i.row.status !== 'success').length;
    const errors = this.analysis.files.filter((f) => f.state === 'error').length;
    this.elapsedMs = performance.now() - this.t0;
    this.panel.setStatus(`Done: ${layers.length} layers in ${(this.elapsedMs / 1000).toFixed(1)} s` +
      (failed ? `, ${failed} without a fit (see their rows)` : '') + (errors ? `; ${errors} file${errors > 1 ? 's' : ''} could not be read` : '') + '.', errors > 0);
    // The figures open on the first layer with a fit, until the reader chooses another.
    const first = layers.find((i) => i.row?.status === 'success');
    if (first && !this.chosen) { this.table.selected = first.key; this.choose(first); }
    this.redraw();
  }

  fail(message) {
    console.error(`spiketail analyze: ${message}`);
    this.analysis?.cancel();
    this.panel.setStatus(`The analysis stopped: ${message}`, true);
  }

  redrawSoon() {
    if (this.redrawTimer) return;
    this.redrawTimer = setTimeout(() => { this.redrawTimer = null; this.redraw(); }, REDRAW_MS);
  }

  async redraw() {
    const a = this.analysis;
    if (!a) return;
    const items = a.layers();
    this.panel.update(a.files, { running: a.running, hasRows: items.some((i) => i.row) || a.files.some((f) => f.error) });
    this.table.setItems(items);
    // The summary and alpha per layer come from the engine's document of the rows so far.
    const ticket = this.docTicket = (this.docTicket || 0) + 1;
    try {
      const text = await this.planner.document(a.documentFiles());
      if (ticket !== this.docTicket) return;
      this.document = JSON.parse(text);
      this.summary.update(this.document);
    } catch (err) {  // the rows stay and the layers go on; only the summary is missing
      this.panel.setStatus(`The summary could not be made: ${err.message}`, true);
    }
  }

  async choose(item) {
    if (!item.row) { this.figures.clear(`${item.tensor.name} is not analysed yet`); return; }
    const eigenvalues = this.analysis.eigenvaluesOf(item.fileIndex, item.t);
    this.chosen = item.key;
    if (!eigenvalues) { this.figures.clear(`${item.tensor.name}: ${item.row.message || 'no eigenvalues'}`); return; }
    try {
      const figure = await this.planner.figure(eigenvalues, item.row);
      if (this.chosen === item.key) this.figures.show(item.row, figure);
    } catch (err) {
      this.figures.clear(`${item.tensor.name}: ${err.message}`);
    }
  }

  async export(kind) {
    const csv = kind === 'csv';
    const text = await this.planner.document(this.analysis.documentFiles(), csv);
    const base = this.analysis.files.length === 1 ? this.analysis.files[0].name.replace(/\.[^.]*$/, '') : 'layers';
    download(new Blob([text], { type: csv ? 'text/csv' : 'application/json' }), `${base}-analysis.${csv ? 'csv' : 'json'}`);
  }
}
