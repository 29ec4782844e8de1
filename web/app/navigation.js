// The URL and the views: which view is shown (tabs, `view=`), the hash written after every change and
// read on a link, Back/Forward or an edited hash, and the page's embed/hide state. The sweep view owns
// the URL while it is shown (its own keys: lists of optimisers and learning rates, vary.*, workers).
//
// Provides page.showView, writeHash, applyPageState, loadFromHash, sweepView (created when first shown).
import { $ } from '../dom.js';
import { FIELDS, defaultConfig, toFlat, toNested } from '../fields.js';
import { PRESETS, matchPreset } from '../presets.js';
import { baseUrl, buildHash, parseHash } from '../url.js';
import { VIEW_TYPES, viewOrDefault } from '../views/index.js';

const viewOf = (hash) => new URLSearchParams(String(hash || '').replace(/^#/, '')).get('view');
export const isSweepHash = (hash) => viewOf(hash) === 'sweep';
// Views that own the URL while shown (their own keys): the sweep and the tour.
export const isOwnViewHash = (hash) => ['sweep', 'tour'].includes(viewOf(hash));

const isField = (key) => FIELDS.some((f) => f.key === key);

export function installNavigation(page) {
  const { app, controls } = page;
  // Created when first shown, so that its workers start only when someone opens it.
  page.sweepView = null;

  page.showView = (name) => {
    app.view = name;
    document.body.dataset.view = name;
    for (const tab of document.querySelectorAll('[data-view-tab]')) {
      if (tab.dataset.viewTab === name) tab.setAttribute('aria-current', 'page'); else tab.removeAttribute('aria-current');
    }
    if (name === 'sweep') {
      page.sweepView ??= VIEW_TYPES.sweep.create($('sweep-root'), { openRun: openSweepRun, onChange: page.writeHash });
      page.sweepView.show();
    } else page.sweepView?.hide();
    if (name === 'tour') {
      page.tourView ??= VIEW_TYPES.tour.create($('tour-root'), { onChange: page.writeHash });
      page.tourView.show();
    } else page.tourView?.hide();
  };

  // A sweep's run, recomputed here from its exact config with a probe at every step, so that its whole
  // spectrum history shows (probing does not change the trajectory: the last probe is the sweep's).
  function openSweepRun(config) {
    window.location.hash = buildHash({ config: { ...config, probe_every: 1 }, view: 'single', autoplay: true });
  }

  for (const tab of document.querySelectorAll('[data-view-tab]')) {
    tab.addEventListener('click', () => {
      if (tab.dataset.viewTab === app.view) return;
      page.saveSoon();  // a reload comes back to this view
      if (tab.dataset.viewTab === 'sweep') { page.loadFromHash('#view=sweep'); return; }  // the last sweep, or the default
      if (tab.dataset.viewTab === 'tour') { page.loadFromHash(page.tourView ? page.tourView.hash() : '#view=tour'); return; }
      page.showView('single');
      page.writeHash();
      if (app.engineReady && !app.live && !app.run?.probes?.length) page.startRun();
    });
  }

  // replaceState: editing the form does not add history entries; lastHash tells our own writes from the
  // user's in the hashchange handler.
  page.writeHash = () => {
    const hash = app.view === 'sweep' && page.sweepView ? page.sweepView.hash()
      : app.view === 'tour' && page.tourView ? page.tourView.hash()
      : buildHash({ config: app.config, view: app.view, embed: app.embed, hide: app.hide, autoplay: false });
    app.lastHash = hash;
    if (window.location.hash !== hash) history.replaceState(null, '', hash);
  };

  page.applyPageState = () => {
    document.body.classList.toggle('embed', app.embed);
    controls.hide(app.hide);
    $('open-full').href = baseUrl() + buildHash({ config: app.config, view: app.view });
    $('preset').value = matchPreset(app.config) ?? '';
    const preset = PRESETS.find((p) => p.id === $('preset').value);
    $('preset-about').textContent = preset ? preset.about : 'Your own settings.';
  };

  // Shows what a hash says; returns whether it named any page key or config field (a sweep hash: true).
  page.loadFromHash = (hash) => {
    if (isSweepHash(hash)) {
      page.showView('sweep');
      page.sweepView.load(hash);
      page.writeHash();
      return true;
    }
    if (viewOf(hash) === 'tour') {
      page.showView('tour');
      page.tourView.load(hash);
      page.writeHash();
      return true;
    }
    const parsed = parseHash(hash);
    // Missing keys take the study's defaults (docs/schema.md), as in the CLI.
    app.config = toNested({ ...toFlat(defaultConfig()), ...toFlat(parsed.config) });
    page.showView(viewOrDefault(parsed.view));
    app.embed = parsed.embed;
    app.hide = parsed.hide;
    app.autoplay = parsed.autoplay;
    app.parseErrors = parsed.errors.filter((e) => isField(e.field));
    app.notices = parsed.errors.filter((e) => !isField(e.field)).map((e) => e.message);
    controls.setConfig(app.config);
    page.writeHash();
    page.applyPageState();
    page.renderErrors();
    return parsed.present;
  };

  // Back/Forward and hand-edited hashes (not our own replaceState writes).
  window.addEventListener('hashchange', () => {
    if (window.location.hash === app.lastHash) return;
    const own = isOwnViewHash(window.location.hash);
    page.loadFromHash(window.location.hash);
    if (!own && app.engineReady) {
      if (app.running) page.engine.pause();
      page.startRun(app.autoplay ? { kind: 'play' } : null);
    }
  });
}
