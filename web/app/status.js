// The run bar and what it says: step counter, Play/Pause label, the status line, the divergence banner,
// the list of errors and notices, and the "engine missing" box. Rendering only: it reads page.app and
// changes nothing else.
//
// Provides page.setStatus, showNotice, renderErrors, renderRunBar, showEngineMissing.
import { $, el } from '../dom.js';
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

  // Parse errors, the engine's errors and notices: marked on their inputs and listed under the run bar.
  page.renderErrors = () => {
    const errors = [...app.parseErrors, ...app.engineErrors];
    controls.markErrors(errors);
    const items = [
      ...errors.map((e) => `${e.field && e.field !== 'memory' ? `${labelOf(e.field)}: ` : ''}${e.message}`),
      ...app.notices,
    ];
    const box = $('errors');
    box.replaceChildren(...items.map((text) => el('li', { text })));
    box.hidden = items.length === 0;
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
    for (const id of ['play', 'step', 'reset']) $(id).disabled = !app.engineReady;
    const banner = $('banner');
    if (app.status === 'diverged') {
      // The engine's message usually says "diverged at step N: why"; do not say it twice.
      const why = app.message.replace(/^diverged at step \d+:?\s*/i, '');
      banner.textContent = `The run diverged at step ${app.step}${why ? ` (${why})` : ''}. ` +
        'The figures show the last good probe. Lower the learning rate, then Reset.';
      banner.hidden = false;
    } else banner.hidden = true;
    if (!app.engineReady) return;
    page.setStatus(statusText(app, total, page.isDirty()));
  };

  // The settings column sticks below the run bar, whose height changes with the error list.
  new ResizeObserver(([entry]) => {
    document.documentElement.style.setProperty('--sticky-h', `${Math.ceil(entry.target.offsetHeight)}px`);
  }).observe($('sticky'));
}

function statusText(app, total, dirty) {
  if (app.running) return app.replayUntil ? `Replaying… step ${app.step} of ${app.replayUntil}` : `Running… step ${app.step} of ${total}`;
  if (!app.live && app.run?.probes?.length) {
    return `Viewing a saved run (step ${app.step}). Play or Step replays it live from step 0 and continues.`;
  }
  if (!app.live) return 'Fix the marked settings to start a run.';
  if (dirty) return 'Settings changed: Play, Step or Reset starts over from step 0 with them.';
  if (app.status === 'diverged') return `Diverged at step ${app.step}.`;
  if (app.step >= total) return `Done: ${app.step} steps. Raise “Steps” to continue, or Reset.`;
  if (app.step === 0) return 'Ready: press Play, or Step for one optimiser step.';
  return `Paused at step ${app.step} of ${total}.`;
}
