// What starts, continues and stops a run: Play/Pause, Step and Reset (buttons and the p/s/r keys), and
// the preset menu, which replaces the config and starts it at step 0.
//
// Provides page.play, step, reset; uses the controller's readForm/startRun/isDirty and page.engine.
import { $, plural } from '../dom.js';
import { PRESETS, presetConfig } from '../presets.js';
import { configKey } from './controller.js';

export function installRunControls(page) {
  const { app, controls } = page;

  // A saved or imported run with the form's config is replayed live from step 0 (same seed, same numbers)
  // and kept on screen meanwhile; anything else starts afresh.
  const replayable = () => !app.live && app.run?.probes?.length && configKey(app.run.config) === configKey(app.config);

  page.play = () => {
    if (app.running) { page.engine.pause(); return; }
    if (!page.readForm()) { page.renderErrors(); return; }
    const target = app.config.num_steps;
    if (!app.live || page.isDirty()) {
      const replay = replayable();
      app.replayUntil = replay ? app.run.probes.at(-1).step : 0;
      page.startRun({ kind: 'play' }, { keepRun: replay });
      return;
    }
    if (app.status === 'diverged') { page.setStatus('The run diverged: Reset (after lowering η) to start again.'); return; }
    if (app.step >= target) { page.setStatus(`Already at ${plural(target, 'step')}: raise “Steps” to continue, or Reset.`); $('field-num_steps').focus(); return; }
    page.engine.play(target);
  };

  page.step = () => {
    if (!page.readForm()) { page.renderErrors(); return; }
    if (!app.live || page.isDirty()) {
      const replay = replayable();
      const from = replay ? app.run.probes.at(-1).step : 0;
      app.replayUntil = from;
      page.startRun({ kind: 'step', count: from + 1 }, { keepRun: replay });
      return;
    }
    if (app.status === 'diverged') return;
    // Past the last step, Step continues the run by one step and says so: "Steps" follows, so the counter
    // never reads "step 21 of 20".
    if (app.step >= app.config.num_steps) {
      app.extended ||= app.config.num_steps;
      app.config.num_steps = app.step + 1;
      controls.setConfig({ num_steps: app.config.num_steps });
      if (app.run) app.run.config.num_steps = app.config.num_steps;
      page.engine.setNumSteps(app.config.num_steps);
      page.writeHash();
      page.saveSoon();
    }
    page.engine.step(1);
  };

  page.reset = () => {
    if (app.running) page.engine.pause();
    page.startRun();
  };

  $('play').addEventListener('click', page.play);
  $('step').addEventListener('click', page.step);
  $('reset').addEventListener('click', page.reset);

  // p / s / r outside inputs (native controls keep their own keys); the sweep view has no such keys.
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || app.view === 'sweep') return;
    if (e.target.closest?.('input, select, textarea, [contenteditable]')) return;
    const id = { p: 'play', s: 'step', r: 'reset' }[e.key];
    if (id && !$(id).disabled) { e.preventDefault(); ({ play: page.play, step: page.step, reset: page.reset })[id](); }
  });

  const menu = $('preset');
  for (const p of PRESETS) menu.append(new Option(p.label, p.id));
  menu.append(new Option('Custom settings', ''));
  menu.addEventListener('change', () => {
    const config = presetConfig(menu.value);
    if (!config) return;
    app.linkErrors = [];
    app.linkHeld = false;
    app.config = config;
    controls.setConfig(config);
    app.parseErrors = [];
    page.writeHash();
    page.applyPageState();
    if (app.running) page.engine.pause();
    page.startRun();
    page.saveSoon();
  });
}
