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
    // Focus first: Esc must close the box while the clipboard is still being asked.
    out.focus();
    out.select();
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch { /* no clipboard permission (e.g. inside an iframe): the text is selected below */ }
    $('share-label').textContent = copied ? `${what} copied to the clipboard:` : `${what} (press Ctrl+C / ⌘C to copy):`;
  }

  // The box closes with its button or Esc, and focus goes back to the button that opened it.
  let opener = null;
  function closeShare() {
    if ($('share').hidden) return;
    $('share').hidden = true;
    opener?.focus();
  }
  $('share-close').addEventListener('click', closeShare);
  $('share').addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); closeShare(); } });

  // The link and the embed of the view on screen (the sweep's own keys included), with the page keys.
  const hashOf = (embed) => {
    const owned = page.views?.[app.view];
    if (owned?.hash) return owned.hash() + (embed ? '&embed=1' : '') + (app.figs.length ? `&fig=${app.figs.join(',')}` : '');
    return buildHash({ config: app.config, view: app.view, embed, hide: app.hide, figs: app.figs, pin: page.pinOverrides?.() });
  };
  $('copy-link').addEventListener('click', (e) => {
    opener = e.currentTarget;
    page.readForm();
    share(baseUrl() + hashOf(false), 'Link');
  });
  $('copy-embed').addEventListener('click', (e) => {
    opener = e.currentTarget;
    page.readForm();
    share(embedCode(baseUrl() + hashOf(true)), 'Embed code');
  });

  function exportRun(kind, text, type) {
    if (!app.run?.probes?.length) { page.showNotice('Nothing to export yet: run a step first.'); return; }
    download(new Blob([text()], { type }), runFileName(app.run, kind));
  }
  // A pinned run goes along (app/compare.js): the pair is what is on screen.
  const pinnedRun = () => app.pinned?.run ?? null;
  $('export-json').addEventListener('click', () => exportRun('json', () => runToJson(app.run, pinnedRun()), 'application/json'));
  $('export-csv').addEventListener('click', () => exportRun('csv', () => runToCsv(app.run, pinnedRun()), 'text/csv'));

  $('import-file').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    page.importRun(await file.text(), file.name);
  });

  // The file's config goes into the form and its probes on screen as a saved run (Play replays it). A file
  // whose config the engine refuses changes nothing: the run on screen stays, and the notice names each field.
  page.importRun = async (text, name = 'file') => {
    const { run, pinned, error } = parseRun(text);
    if (error && /sweep file/.test(error)) {  // a sweep document (ours or `spiketail sweep`'s): the sweep view opens it
      page.loadFromHash('#view=sweep');
      return page.views.sweep.importText(text, name);
    }
    if (error) { page.showNotice(`Could not import ${name}: ${error}`); return false; }
    const unknown = unknownKeys(run.config);
    const known = toNested(toFlat(run.config));  // unknown keys are left out (and named below), as before
    // The memory cap is not the file's fault: its run can be viewed here, only not replayed.
    const refused = app.engineReady ? (await page.engine.validate(known)).filter((e) => e.field !== 'memory') : [];
    if (!run.probes.length) refused.push({ field: 'probes', message: 'the list is empty, so there is no run to show' });
    if (refused.length) {
      page.showNotice(`Could not import ${name}: ` + refused.map((e) => `${e.field}: ${e.message}`).join('; ') +
        '. The run on screen is unchanged.');
      return false;
    }
    if (app.running) page.engine.pause();
    app.live = false;
    app.linkErrors = [];
    app.linkHeld = false;
    app.config = toNested({ ...toFlat(defaultConfig()), ...toFlat(known) });
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
    if (pinned) page.pinRun(pinned); else if (app.pinned) page.unpin();
    page.saveSoon();
    return true;
  };
}
