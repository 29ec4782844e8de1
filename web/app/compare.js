// Compare two runs: pin the run on screen, change a setting (the optimiser, η, the seed…) and run again —
// the pinned run stays overlaid (dashed; purple in the spectra) in the ESD, tail, α, loss and sim figures. The pair is in
// the URL (`pin=<key>:<value>,…`: the settings in which the pinned run differs from the form's, url.js) and
// in the JSON/CSV exports (io.js). The pinned run's numbers are its own probes — kept from the screen, or,
// from a link, computed by the worker from its config (same seed, same numbers).
//
// Provides page.pinRun, unpin, pinFromLink, pinOverrides, pinnedForView; uses the controller's functions.
import { FIELDS, formatValue, toFlat, toNested } from '../fields.js';

// The settings in which two configs differ, as "key=value" of the first, in the form's order.
function differences(a, b) {
  const fa = toFlat(a || {}), fb = toFlat(b || {});
  return FIELDS.filter((f) => fa[f.key] !== undefined && JSON.stringify(fa[f.key]) !== JSON.stringify(fb[f.key]))
    .map((f) => `${f.key}=${formatValue(f, fa[f.key])}`);
}

export function installCompare(page) {
  const { app } = page;
  app.pinned = null;         // {run, error} | {pending: true, config}: the run overlaid
  app.pinnedFigure = null;   // the worker's figures.pinned for the probe on screen: {esd, step}

  const redraw = () => {
    page.view.resetAxes();
    page.view.update(app.run, app.figures, page.pinnedForView());
    page.view.setCompare(compareState());
  };

  // What the compare bar says: nothing pinned, computing, or the two runs' names.
  function compareState() {
    if (!app.pinned) return { pinned: false, canPin: Boolean(app.run?.probes?.length) };
    if (app.pinned.pending) return { pinned: true, text: 'Computing the pinned run…' };
    if (app.pinned.error) return { pinned: true, text: `The pinned run could not be made: ${app.pinned.error}` };
    const names = runNames();
    return { pinned: true, text: `Comparing ${names.pinned} (dashed; purple in the spectra) with ${names.now}.` };
  }

  function runNames() {
    const pinnedConfig = app.pinned?.run?.config, nowConfig = app.run?.config || app.config;
    const p = differences(pinnedConfig, nowConfig), n = differences(nowConfig, pinnedConfig);
    return {
      pinned: p.length ? `pinned (${p.join(', ')})` : 'pinned (same settings)',
      now: n.length ? `now (${n.join(', ')})` : 'now',
    };
  }

  page.pinnedForView = () => {
    const run = app.pinned?.run;
    if (!run?.probes?.length) return null;
    const step = app.pinnedFigure?.step;
    const names = runNames();
    return {
      run,
      esd: app.pinnedFigure?.esd ?? null,
      record: run.probes.find((p) => p.step === step) ?? null,
      label: names.pinned,
      nowLabel: names.now,
    };
  };

  async function pin(run) {
    app.pinned = run.probes?.length ? { run } : { pending: true, config: run.config };
    app.pinnedFigure = null;
    page.writeHash();
    redraw();
    const reply = await page.engine.pin(run);
    if (app.pinned?.run !== run && app.pinned?.config !== run.config) return;  // unpinned or re-pinned meanwhile
    app.pinned = reply.error ? { error: reply.error, run: null } : { run: reply.run };
    if (reply.error) page.showNotice(`The pinned run could not be made: ${reply.error}`);
    page.writeHash();
    redraw();
  }

  // The run on screen, as it is (its probes, with their eigenvalues).
  page.pinRun = (run = app.run) => {
    if (!run?.probes?.length) return;
    return pin(JSON.parse(JSON.stringify({ config: run.config, status: run.status, message: run.message, probes: run.probes })));
  };

  // A link's pin=: the form's config with those settings changed, computed by the worker.
  page.pinFromLink = (overrides) => pin({ config: toNested({ ...toFlat(app.config), ...overrides }) });

  page.unpin = () => {
    app.pinned = null;
    app.pinnedFigure = null;
    page.engine.unpin();
    page.writeHash();
    redraw();
  };

  // For the URL: the settings in which the pinned run differs from the form's; null when nothing is pinned.
  page.pinOverrides = () => {
    const config = app.pinned?.run?.config ?? app.pinned?.config;
    if (!config) return null;
    const a = toFlat(config), b = toFlat(app.config);
    const out = {};
    for (const f of FIELDS) if (a[f.key] !== undefined && JSON.stringify(a[f.key]) !== JSON.stringify(b[f.key])) out[f.key] = a[f.key];
    return out;
  };

  page.view.onPin = () => page.pinRun();
  page.view.onUnpin = () => page.unpin();
  page.renderCompare = () => page.view.setCompare(compareState());
  page.renderCompare();
}
