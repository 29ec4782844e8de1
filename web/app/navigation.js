// The URL and the views: which view is shown (tabs, `view=`), the hash written after every change and
// read on a link, Back/Forward or an edited hash, and the page state every view shares (embed, hide, fig).
// A view with URL keys of its own (views/index.js: ownsUrl — the sweep) reads and writes them itself; this
// file adds the page keys.
//
// A link with errors is held: the page shows it (each error naming its key, values that do not parse left
// in their inputs), starts nothing and does not rewrite the address until the reader changes something.
//
// Provides page.showView, writeHash, applyPageState, loadFromHash, views (created when first shown).
import { $, el } from '../dom.js';
import { PRESETS, matchPreset } from '../presets.js';
import { baseUrl, buildHash, paramsOf, parseHash, parsePageState } from '../url.js';
import { VIEW_TYPES, viewOrDefault } from '../views/index.js';

// The view a hash names when that view reads its own URL keys (e.g. 'sweep'), else null.
export const ownedViewOf = (hash) => {
  const view = paramsOf(hash).get('view');
  return Object.hasOwn(VIEW_TYPES, view) && VIEW_TYPES[view].ownsUrl ? view : null;
};

// The page keys a view-owned hash carries besides the view's own: '&embed=1&fig=…&hide=…'.
function pageSuffix({ embed, figs, hide }) {
  const params = new URLSearchParams();
  if (embed) params.set('embed', '1');
  if (figs.length) params.set('fig', figs.join(','));
  if (hide.length) params.set('hide', hide.join(','));
  const text = params.toString().replace(/%2C/g, ',');
  return text ? `&${text}` : '';
}

export function installNavigation(page) {
  const { app, controls } = page;
  // Views with their own URL, created when first shown (so that the sweep's workers start only when someone
  // opens it), each in its own container after the single-run layout.
  page.views = {};

  function ownedView(name) {
    if (!page.views[name]) {
      const container = document.getElementById(`${name}-root`) ?? document.body.insertBefore(
        el('div', { id: `${name}-root` }), document.querySelector('footer'));
      page.views[name] = VIEW_TYPES[name].create(container, {
        openRun: openSweepRun,
        // Every call is a reader's change: the link they came with is theirs to rewrite now.
        onChange: () => { app.linkHeld = false; page.writeHash(); },
      });
    }
    return page.views[name];
  }

  page.showView = (name) => {
    app.view = name;
    document.body.dataset.view = name;
    for (const tab of document.querySelectorAll('[data-view-tab]')) {
      if (tab.dataset.viewTab === name) tab.setAttribute('aria-current', 'page'); else tab.removeAttribute('aria-current');
    }
    for (const [other, view] of Object.entries(page.views)) if (other !== name) view.hide();
    if (VIEW_TYPES[name].ownsUrl) ownedView(name).show();
    page.applyEmbed?.();
  };

  // A sweep's run, recomputed here from its exact config with a probe at every step, so that its whole
  // spectrum history shows (probing does not change the trajectory: the last probe is the sweep's).
  function openSweepRun(config) {
    window.location.hash = buildHash({ config: { ...config, probe_every: 1 }, view: 'single', embed: app.embed, autoplay: true });
  }

  for (const tab of document.querySelectorAll('[data-view-tab]')) {
    tab.addEventListener('click', () => {
      const name = tab.dataset.viewTab;
      if (name === app.view) return;
      app.linkHeld = false;
      page.saveSoon();  // a reload comes back to this view
      // The view as it was left (the sweep on screen, the tour's stage), or its default.
      if (VIEW_TYPES[name].ownsUrl) { page.loadFromHash(page.views[name]?.hash() ?? `#view=${name}`); return; }
      page.showView(name);
      page.writeHash();
      if (app.engineReady && !app.live && !app.run?.probes?.length) page.startRun();
    });
  }

  // replaceState: editing the form does not add history entries; lastHash tells our own writes from the
  // user's in the hashchange handler. A held link (with errors) stays in the address bar as it was given.
  page.writeHash = () => {
    if (app.linkHeld) return;
    const owned = VIEW_TYPES[app.view]?.ownsUrl && page.views[app.view];
    const hash = owned ? owned.hash() + pageSuffix(app)
      : buildHash({ config: app.config, view: app.view, embed: app.embed, hide: app.hide, figs: app.figs, autoplay: false,
        pin: app.view === 'single' ? page.pinOverrides?.() ?? app.pinLink : null });
    app.lastHash = hash;
    if (window.location.hash !== hash) history.replaceState(null, '', hash);
  };

  page.applyPageState = () => {
    controls.hide(app.hide);
    const owned = VIEW_TYPES[app.view]?.ownsUrl && page.views[app.view];
    $('open-full').href = baseUrl() + (owned ? owned.hash() : buildHash({ config: app.config, view: app.view }));
    $('preset').value = matchPreset(app.config) ?? '';
    const preset = PRESETS.find((p) => p.id === $('preset').value);
    $('preset-about').textContent = preset ? preset.about : 'Your own settings.';
    page.applyEmbed?.();
  };

  function setPageState(state) {
    app.embed = state.embed;
    app.hide = state.hide;
    app.figs = state.figs;
    app.autoplay = state.autoplay;
  }

  // Shows what a hash says; returns whether it named any page key or config field.
  page.loadFromHash = (hash) => {
    const owned = ownedViewOf(hash);
    if (owned) {
      const state = parsePageState(hash);
      setPageState(state);
      app.linkHeld = false;
      page.showView(owned);
      // The view reports the page keys' errors with its own, and holds the link while they stand.
      page.views[owned].load(hash, state);
      app.linkHeld = !!page.views[owned].linkErrors?.length;
      page.writeHash();
      page.applyPageState();
      return true;
    }
    const parsed = parseHash(hash);
    app.config = parsed.config;
    setPageState(parsed);
    app.pinLink = parsed.pin;  // pinned when the engine is ready, or at once on a changed hash (app/compare.js)
    // Values that do not parse stay in their inputs, as the link has them (controls.read reports them);
    // every other error of the link is listed until the reader changes something.
    app.linkErrors = parsed.errors.filter((e) => !Object.hasOwn(parsed.raw, e.field));
    app.linkHeld = parsed.errors.length > 0;
    app.engineErrors = [];
    app.notices = [];
    page.showView(viewOrDefault(parsed.view));
    controls.setConfig(app.config);
    controls.setText(parsed.raw);
    app.parseErrors = controls.read().errors;
    page.writeHash();
    page.applyPageState();
    page.renderErrors();
    page.renderRunBar();
    return parsed.present;
  };

  // "Skip to the figures" moves the focus there; following its href would set the hash to #views, which
  // is a link with no settings.
  document.querySelector('a.skip').addEventListener('click', (e) => {
    e.preventDefault();
    const target = page.views[app.view]?.element ?? $('views');
    if (!target.hasAttribute('tabindex')) target.tabIndex = -1;
    target.focus();
    target.scrollIntoView({ block: 'start' });
  });

  // Back/Forward and hand-edited hashes (not our own replaceState writes).
  window.addEventListener('hashchange', () => {
    if (window.location.hash === app.lastHash) return;
    const owned = ownedViewOf(window.location.hash);
    page.loadFromHash(window.location.hash);
    if (!owned && app.engineReady) {
      if (app.running) page.engine.pause();
      if (app.pinLink) { page.pinFromLink(app.pinLink); app.pinLink = null; } else if (app.pinned) page.unpin();
      page.startRun(app.autoplay ? { kind: 'play' } : null);
    }
  });
}
