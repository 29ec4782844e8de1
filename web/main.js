// The page's entry: builds the form, the single-run view and the training worker, lets each concern
// install its part on one shared `page` object, then boots from the URL and the saved session.
//   app/controller.js    state and the life of a run (form -> worker -> view)
//   app/status.js        run bar, status line, errors
//   app/run-controls.js  Play/Step/Reset, keys, presets
//   app/share.js         link, embed code, export, import
//   app/session.js       the saved session (localStorage)
//   app/navigation.js    the URL hash and the views (tabs, sweep view)
//   app/embed.js         embed mode: the chosen figures, key numbers, settings toggle, height for the host
//   app/compare.js       a second, pinned run overlaid on the figures
import { $ } from './dom.js';
import { Controls } from './controls.js';
import { Engine } from './engine.js';
import { DEFAULT_PRESET, presetConfig } from './presets.js';
import { buildHash } from './url.js';
import { VIEW_TYPES } from './views/index.js';
import { configKey, createApp, installController } from './app/controller.js';
import { installEmbed } from './app/embed.js';
import { installNavigation, ownedViewOf } from './app/navigation.js';
import { installRunControls } from './app/run-controls.js';
import { loadSession, installSession } from './app/session.js';
import { installShare } from './app/share.js';
import { installStatus } from './app/status.js';
import { installCompare } from './app/compare.js';

const app = createApp();
const page = { app };
page.controls = new Controls($('config-form'), { onInput: (key) => page.onFieldInput(key) });
page.view = VIEW_TYPES.single.create($('views'));
for (const install of [installController, installStatus, installSession, installNavigation, installEmbed, installRunControls, installShare, installCompare]) {
  install(page);
}
page.engine = new Engine(page.engineHandlers);

function boot() {
  const saved = loadSession();
  const link = window.location.hash.length > 1 ? window.location.hash : '';
  const fromLink = link && !ownedViewOf(link) && page.loadFromHash(link);
  if (!fromLink) {
    page.loadFromHash(buildHash({ config: saved?.state?.config ?? presetConfig(DEFAULT_PRESET), view: 'single' }));
  }
  // The last run comes back when it is the experiment on screen (a reload, or the same link again).
  if (saved?.run?.probes?.length && configKey(saved.run.config) === configKey(app.config)) app.run = saved.run;
  // On a phone the settings would push the figures a screen down: start with them folded.
  if (window.matchMedia('(max-width: 760px)').matches) $('settings').open = false;
  page.view.update(app.run, null);
  if (app.run) page.showSavedRun();
  page.setStatus('Loading the engine…');
  page.renderRunBar();
  // A link to a view with its own URL (the sweep), or a reload of the page left on one.
  const savedView = saved?.state?.view;
  if (ownedViewOf(link)) page.loadFromHash(link);
  else if (!link && ownedViewOf(`#view=${savedView}`)) page.loadFromHash(`#view=${savedView}`);
}

boot();

// For the end-to-end tests and the curious: the page's state, read-only by convention.
window.spiketail = { app, importRun: page.importRun, get sweep() { return page.views.sweep; }, get tour() { return page.views.tour; },
  get analyze() { return page.views.analyze; } };
