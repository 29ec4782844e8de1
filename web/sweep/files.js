// The sweep as a file: Export JSON (the CLI's sweep document, docs/schema.md: partial, with the grid indices
// of its runs, while runs are missing), Export CSV (one row per run × probe), Import JSON (files of this page
// or of `spiketail sweep`: a whole sweep, or parts of one to put together and complete), and the last sweep
// on screen kept in localStorage so that it survives a reload. The formats themselves are results.js's and
// the engine's.
import { createStore, download, el } from '../dom.js';
import { documentRequest, fileName, toCsv, toDocument } from './results.js';

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

// planner: the engine's sweepDocument (the document, complete or partial) and formatDocument (its text laid
// out as the CLI writes its files). Resolves to '' or why the document could not be made.
export async function exportSweep(sweep, kind, planner) {
  if (kind !== 'json') { download(new Blob([toCsv(sweep)], { type: 'text/csv' }), fileName(sweep, 'csv')); return ''; }
  const made = await planner.sweepDocument(documentRequest(sweep));
  if (!made.ok) return made.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  download(new Blob([await planner.format(made.document)], { type: 'application/json' }), fileName(sweep, 'json'));
  return '';
}

// The three buttons. onExport('json' | 'csv'); onImport([{text, name}]) with the chosen files (one or more).
export function fileButtons(container, { onExport, onImport }) {
  const button = (text, title, testid, onClick) => {
    const b = el('button', { text, type: 'button', title, 'data-testid': testid });
    b.addEventListener('click', onClick);
    return b;
  };
  const input = el('input', { className: 'visually-hidden', type: 'file', id: 'sweep-import-file', accept: '.json,application/json', multiple: true });
  input.addEventListener('change', async () => {
    const chosen = [...(input.files || [])];
    input.value = '';
    if (chosen.length) onImport(await Promise.all(chosen.map(async (f) => ({ text: await f.text(), name: f.name }))));
  });
  container.append(el('div', { className: 'buttons sweep-files' },
    button('Export JSON', 'Download the sweep in the CLI’s schema (docs/schema.md): its config and every finished run with its probes; ' +
      'while runs are missing, a partial document that Import here or `spiketail sweep --resume` completes',
      'sweep-export-json', () => onExport('json')),
    button('Export CSV', 'Download one row per run and probe', 'sweep-export-csv', () => onExport('csv')),
    el('label', { className: 'button', text: 'Import JSON', htmlFor: 'sweep-import-file',
      title: 'Open a sweep file written by this page or by `spiketail sweep`, or several parts of one sweep ' +
        '(shards, partial exports): the runs they hold are shown, and Resume sweep runs only the missing ones' }),
    input));
}
