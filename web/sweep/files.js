// The sweep as a file: Export JSON (the CLI's sweep document, docs/schema.md), Export CSV (one row per
// run × probe), Import JSON (a file of this page or of `spiketail sweep`), and the last sweep on screen
// kept in localStorage so that it survives a reload. The formats themselves are results.js's.
import { createStore, download, el } from '../dom.js';
import { fileName, toCsv, toDocument } from './results.js';

const saved = createStore('spiketail.sweep.v1');

// {hash, document?, source} of the last sweep, or null.
export function loadSavedSweep() {
  return saved.load();
}

// The hash always; the document (every finished run with its probes) when it fits in the quota.
export function saveSweep(hash, sweep) {
  const record = { hash, document: toDocument(sweep), source: sweep.source };
  saved.save(record, { hash });
}

// format(document) -> Promise of its text laid out as the CLI writes its files (the engine's formatDocument).
export async function exportSweep(sweep, kind, format) {
  if (kind === 'json') download(new Blob([await format(toDocument(sweep))], { type: 'application/json' }), fileName(sweep, 'json'));
  else download(new Blob([toCsv(sweep)], { type: 'text/csv' }), fileName(sweep, 'csv'));
}

// The three buttons. onExport('json' | 'csv'); onImport(text, fileName) with the chosen file's text.
export function fileButtons(container, { onExport, onImport }) {
  const button = (text, title, testid, onClick) => {
    const b = el('button', { text, type: 'button', title, 'data-testid': testid });
    b.addEventListener('click', onClick);
    return b;
  };
  const input = el('input', { className: 'visually-hidden', type: 'file', id: 'sweep-import-file', accept: '.json,application/json' });
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) onImport(await file.text(), file.name);
  });
  container.append(el('div', { className: 'buttons sweep-files' },
    button('Export JSON', 'Download the sweep in the CLI’s schema (docs/schema.md): its config and every finished run with its probes',
      'sweep-export-json', () => onExport('json')),
    button('Export CSV', 'Download one row per run and probe', 'sweep-export-csv', () => onExport('csv')),
    el('label', { className: 'button', text: 'Import JSON', htmlFor: 'sweep-import-file',
      title: 'Open a sweep file written by this page or by `spiketail sweep`' }),
    input));
}
