// The run bar and what it says: step counter, Play/Pause label, the status line, the divergence banner,
// the list of errors and notices, and the "engine missing" box. Rendering only: it reads page.app and
// changes nothing else.
//
// Provides page.setStatus, showNotice, renderErrors, renderRunBar, showEngineMissing, showEngineInfo.
import { $, el, plural } from '../dom.js';
import { FIELDS } from '../fields.js';

// "Training samples n (n)" for an error list; keys that are not fields (e.g. from a link) as they are.
function labelOf(key) {
  const f = FIELDS.find((x) => x.key === key);
  return f ? `${f.label} (${key})` : key;
}

export function installStatus(page) {
  const { app, controls } = page;

  page.setStatus = (text) => { $('status').textContent = text; };

  page.showNotice = (text) => {
    app.notices = text ? [text] : [];
    page.renderErrors();
  };

  // The link's errors, parse errors, the engine's errors and notices: marked on their inputs and listed under
  // the run bar.
  page.renderErrors = () => {
    const errors = [...app.parseErrors, ...app.engineErrors];
    controls.markErrors(errors);
    const items = [
      ...app.linkErrors.map((e) => `The link’s ${e.field}: ${e.message}`),
      ...errors.map(errorText),
      ...app.notices,
    ];
    const box = $('errors');
    box.replaceChildren(...items.map((text) => el('li', { text })));
    box.hidden = items.length === 0;
  };

  // Which module runs the single-run view and the tour (worker.js): threaded where the page is cross-origin
  // isolated, else one thread (docs/hosting.md). data-build / data-threads for the tests.
  page.showEngineInfo = ({ build, threads }) => {
    const info = $('engine-threads');
    info.dataset.build = build;
    info.dataset.threads = String(threads);
    info.textContent = build === 'threads'
      ? `Engine: WebAssembly on ${plural(threads, 'thread')} (this page is cross-origin isolated).`
      : 'Engine: WebAssembly on one thread (threads need the page to be served cross-origin isolated).';
  };

  page.showEngineMissing = (message) => {
    $('engine-missing').hidden = false;
    $('engine-missing-detail').textContent = message;
  };

  page.renderRunBar = () => {
    const total = app.config?.num_steps ?? 0;
    $('step-count').textContent = String(app.step);
    $('step-total').textContent = String(total);
    const play = $('play');
    play.textContent = app.running ? 'Pause' : 'Play';
    play.setAttribute('aria-pressed', String(app.running));
    // Nothing can start while a setting is wrong; Pause stays available to a running run.
    const blocked = blockedReason(app);
    for (const id of ['play', 'step', 'reset']) {
      const button = $(id);
      button.disabled = !app.engineReady || (!!blocked && !(id === 'play' && app.running));
      if (blocked) button.dataset.blocked = blocked; else delete button.dataset.blocked;
    }
    const banner = $('banner');
    if (app.status === 'diverged') {
      // The engine's message usually says "diverged at step N: why"; do not say it twice.
      const why = app.message.replace(/^diverged at step \d+:?\s*/i, '');
      banner.textContent = `The run diverged at step ${app.step}${why ? ` (${why})` : ''}. ` +
        'The figures show the last good probe. Lower the learning rate, then Reset.';
      banner.hidden = false;
    } else banner.hidden = true;
    if (!app.engineReady) return;
    page.setStatus(blocked && !app.running ? blocked : statusText(app, total, page.isDirty()));
  };

  // The settings column sticks below the run bar, whose height changes with the error list.
  new ResizeObserver(([entry]) => {
    document.documentElement.style.setProperty('--sticky-h', `${Math.ceil(entry.target.offsetHeight)}px`);
  }).observe($('sticky'));
}

function errorText(e) {
  return `${e.field && e.field !== 'memory' ? `${labelOf(e.field)}: ` : ''}${e.message}`;
}

// Why nothing can start now (the status line and the buttons' data-blocked say it), or '' when all is well.
function blockedReason(app) {
  const count = app.linkErrors.length + app.parseErrors.length + app.engineErrors.length;
  if (!count) return '';
  const first = app.linkErrors.length ? `the link’s ${app.linkErrors[0].field}: ${app.linkErrors[0].message}`
    : errorText(app.parseErrors[0] ?? app.engineErrors[0]);
  const more = count > 1 ? ` (and ${plural(count - 1, 'more problem')}, listed below)` : '';
  return app.linkErrors.length
    ? `Cannot run this link — ${first}${more}. Fix the link, or change a setting to start from the form.`
    : `Cannot run: ${first}${more}.`;
}

function statusText(app, total, dirty) {
  if (app.running) return app.replayUntil ? `Replaying… step ${app.step} of ${app.replayUntil}` : `Running… step ${app.step} of ${total}`;
  // Until the step-0 probe is on screen (seconds at the study's size) the chart is empty: not "Ready" yet.
  if (app.starting || (app.live && !app.run?.probes?.length)) return 'Starting… (building the network and measuring step 0)';
  if (!app.live && app.run?.probes?.length) {
    return `Viewing a saved run (step ${app.step}). Play or Step replays it live from step 0 and continues.`;
  }
  if (!app.live) return 'Press Play to start a run, or Step for one optimiser step.';
  if (dirty) return 'Settings changed: Play, Step or Reset starts over from step 0 with them.';
  if (app.status === 'diverged') return `Diverged at step ${app.step}.`;
  if (app.extended && app.step === total) {
    return `Step ${app.step}: the run had done its ${plural(app.extended, 'step')}, so Step continued it and “Steps” is now ${total}.`;
  }
  if (app.step >= total) return `Done: ${plural(app.step, 'step')}. Raise “Steps” to continue, or Reset.`;
  if (app.step === 0) return 'Ready: press Play, or Step for one optimiser step.';
  return `Paused at step ${app.step} of ${total}.`;
}
