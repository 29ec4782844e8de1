// Everything that leaves or enters the page as text: the link and the embed code (copied, or selected
// for Ctrl+C where the clipboard is refused), JSON and CSV exports of the run, and JSON import (a run
// document of this page or of `spiketail run`; a sweep document goes to the sweep view).
//
// Provides page.importRun(text, name); uses the controller, navigation and status modules' functions.
import { $, download } from '../dom.js';
import { defaultConfig, toFlat, toNested, unknownKeys } from '../fields.js';
import { parseRun, runFileName, runToCsv, runToJson } from '../io.js';
import { baseUrl, buildHash, embedCode } from '../url.js';

export function installShare(page) {
  const { app, controls } = page;

  async function share(text, what) {
    const out = $('share-text');
    out.value = text;
    $('share').hidden = false;
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch { /* no clipboard permission (e.g. inside an iframe): the text is selected below */ }
    $('share-label').textContent = copied ? `${what} copied to the clipboard:` : `${what} (press Ctrl+C / ⌘C to copy):`;
    out.focus();
    out.select();
  }

  $('copy-link').addEventListener('click', () => {
    page.readForm();
    share(baseUrl() + buildHash({ config: app.config, view: app.view, hide: app.hide }), 'Link');
  });
  $('copy-embed').addEventListener('click', () => {
    page.readForm();
    share(embedCode(baseUrl() + buildHash({ config: app.config, view: app.view, embed: true, hide: app.hide })), 'Embed code');
  });

  function exportRun(kind, text, type) {
    if (!app.run?.probes?.length) { page.showNotice('Nothing to export yet: run a step first.'); return; }
    download(new Blob([text()], { type }), runFileName(app.run, kind));
  }
  $('export-json').addEventListener('click', () => exportRun('json', () => runToJson(app.run), 'application/json'));
  $('export-csv').addEventListener('click', () => exportRun('csv', () => runToCsv(app.run), 'text/csv'));

  $('import-file').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    page.importRun(await file.text(), file.name);
  });

  // The file's config goes into the form and its probes on screen as a saved run (Play replays it).
  page.importRun = (text, name = 'file') => {
    const { run, error } = parseRun(text);
    if (error && /sweep file/.test(error)) {  // a sweep document (ours or `spiketail sweep`'s): the sweep view opens it
      page.loadFromHash('#view=sweep');
      return page.sweepView.importText(text, name);
    }
    if (error) { page.showNotice(`Could not import ${name}: ${error}`); return false; }
    if (app.running) page.engine.pause();
    app.live = false;
    const unknown = unknownKeys(run.config);
    app.config = toNested({ ...toFlat(defaultConfig()), ...toFlat(run.config) });
    controls.setConfig(app.config);
    app.parseErrors = [];
    app.engineErrors = [];
    page.showNotice(unknown.length ? `Imported ${name}; ignored unknown settings: ${unknown.join(', ')}` : '');
    app.run = run;
    app.running = false;
    app.figures = null;
    app.replayUntil = 0;
    page.writeHash();
    page.applyPageState();
    page.showSavedRun();
    page.saveSoon();
    return true;
  };
}
