// Where files come in and how far each has got: a drop zone with a file picker (several files at once; a
// TF.js model.json with its .bin shards), the layer filters handed to the engine's index (a name regular
// expression and the minimum number of eigenvalues: empty keeps WeightWatcher's defaults, the engine checks
// them), Cancel and the exports; then one line per file with a progress bar, its layer count and the time left.
import { el, plural } from '../dom.js';

const ACCEPT = '.npy,.npz,.safetensors,.gguf,.json,.bin,.csv,.tsv,.tab';

function seconds(ms) {
  const s = ms / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : s < 90 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export class FilePanel {
  // handlers: onFiles(FileList), onCancel(), onExport('json' | 'csv')
  constructor(container, handlers) {
    this.input = el('input', { type: 'file', multiple: true, accept: ACCEPT, className: 'visually-hidden', id: 'analyze-file', 'data-testid': 'analyze-file' });
    this.input.addEventListener('change', () => { if (this.input.files.length) handlers.onFiles(this.input.files); this.input.value = ''; });
    const pick = el('label', { className: 'button primary', htmlFor: 'analyze-file', text: 'Choose files…' });
    this.zone = el('div', { className: 'analyze-drop', 'data-testid': 'analyze-drop' },
      el('p', {}, el('strong', { text: 'Drop model files here' }), ' or ', pick, this.input),
      el('p', { className: 'hint', text: '.safetensors, .npz, .npy, .gguf, .csv/.tsv, or a TF.js model.json together with its .bin shards; several at once.' }));
    for (const type of ['dragenter', 'dragover']) this.zone.addEventListener(type, (e) => { e.preventDefault(); this.zone.classList.add('over'); });
    this.zone.addEventListener('dragleave', () => this.zone.classList.remove('over'));
    this.zone.addEventListener('drop', (e) => {
      e.preventDefault();
      this.zone.classList.remove('over');
      if (e.dataTransfer?.files.length) handlers.onFiles(e.dataTransfer.files);
    });

    this.layers = el('input', { type: 'text', id: 'analyze-layers', placeholder: 'all', spellcheck: false, 'data-testid': 'analyze-layers' });
    this.minSize = el('input', { type: 'text', id: 'analyze-min-size', inputMode: 'numeric', placeholder: 'WeightWatcher’s', size: 8, 'data-testid': 'analyze-min-size' });
    this.cancelButton = el('button', { type: 'button', text: 'Cancel', disabled: true, 'data-testid': 'analyze-cancel' });
    this.cancelButton.addEventListener('click', () => handlers.onCancel());
    this.exportJson = el('button', { type: 'button', text: 'Export JSON', disabled: true, 'data-testid': 'analyze-export-json', title: 'The analysis document of spiketail analyze (docs/schema.md)' });
    this.exportCsv = el('button', { type: 'button', text: 'Export CSV', disabled: true, 'data-testid': 'analyze-export-csv', title: 'One row per layer, the columns of spiketail analyze --out FILE.csv' });
    this.exportJson.addEventListener('click', () => handlers.onExport('json'));
    this.exportCsv.addEventListener('click', () => handlers.onExport('csv'));
    const options = el('div', { className: 'analyze-options' },
      el('label', { htmlFor: 'analyze-layers', text: 'Layers (regular expression)' }), this.layers,
      el('label', { htmlFor: 'analyze-min-size', text: 'Min. eigenvalues' }), this.minSize,
      this.cancelButton, this.exportJson, this.exportCsv);
    this.status = el('p', { className: 'analyze-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'analyze-status' });
    this.list = el('ul', { className: 'analyze-files', 'data-testid': 'analyze-files' });
    this.openSkipped = new Set();
    container.append(this.zone, options, this.status, this.list);
  }

  // The index options as typed ({layers, minSize}); an error message for a size that is not a whole number.
  options() {
    const out = {};
    const layers = this.layers.value.trim();
    if (layers) out.layers = layers;
    const size = this.minSize.value.trim();
    if (size) {
      if (!/^\d+$/.test(size)) return { error: `Min. eigenvalues: “${size}” is not a whole number` };
      out.minSize = Number(size);
    }
    return out;
  }

  setStatus(text, error = false) {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
  }

  // The tensors not analysed and the engine's reason for each, folded; kept open across redraws.
  skippedList(name, rows) {
    const details = el('details', { className: 'analyze-skipped', open: this.openSkipped.has(name) },
      el('summary', { text: `${plural(rows.length, 'tensor')} not analysed (biases, norms, small or filtered)` }),
      el('ul', {}, ...rows.map((r) => el('li', {}, el('code', { text: r.name }), ` ${r.shape.join('×') || 'scalar'}: ${r.message}`))));
    details.addEventListener('toggle', () => { if (details.open) this.openSkipped.add(name); else this.openSkipped.delete(name); });
    return details;
  }

  // files: Analysis.files; running: the pool is busy; hasRows: something to export.
  update(files, { running, hasRows }) {
    this.cancelButton.disabled = !running;
    this.exportJson.disabled = this.exportCsv.disabled = !hasRows;
    const now = performance.now();
    this.list.replaceChildren(...files.map((f) => {
      const fraction = f.bytesTotal ? f.bytesDone / f.bytesTotal : f.state === 'done' ? 1 : 0;
      let text;
      if (f.state === 'error') text = f.error;
      else if (f.state === 'indexing' || f.state === 'unread') text = 'reading its header…';
      else {
        const elapsed = (f.finishedAt || now) - f.startedAt;
        const left = f.bytesDone > 0 && f.state === 'running' ? elapsed * (f.bytesTotal - f.bytesDone) / f.bytesDone : null;
        text = `${f.layersDone} of ${plural(f.layers, 'layer')}` +
          (f.state === 'done' && f.layers ? ` in ${seconds(elapsed)}` : '') +
          (f.state === 'running' ? (left !== null ? `, about ${seconds(left)} left` : ', starting…') : '') +
          (f.state === 'queued' ? ', waiting for a worker' : '') + (f.state === 'cancelled' ? ', cancelled' : '');
      }
      const skipped = f.results.filter((r) => r?.status === 'skipped');
      const bar = el('progress', { max: 1, value: fraction, 'data-testid': 'analyze-progress', 'aria-label': `${f.name}: analysed` });
      return el('li', { className: `analyze-file state-${f.state}`, 'data-testid': 'analyze-file-status', 'data-state': f.state },
        el('span', { className: 'analyze-file-name', text: f.name }), bar,
        el('span', { className: 'analyze-file-text', text }),
        f.note ? el('span', { className: 'analyze-file-note', text: f.note }) : null,
        skipped.length ? this.skippedList(f.name, skipped) : null);
    }));
  }
}
