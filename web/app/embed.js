// Embed mode (`embed=1`), for every view: the page inside another site's <iframe>, reduced to the run bar,
// the key numbers and the figures chosen by `fig=` (views/index.js names them per view; default: the view's
// defaultFigures), laid out to fit 800 × 600. The settings open from a button (without the fields named by
// `hide=`; `hide=settings` removes the button, `hide=numbers` the numbers). While embedded in a frame the page
// posts its height to the host, {type: 'spiketail:height', height}, whenever it changes, so that a host can
// size the frame to its content (docs/embedding.md).
//
// Provides page.applyEmbed; views with setEmbed(state) get the page state too.
import { $ } from '../dom.js';
import { VIEW_TYPES } from '../views/index.js';

// The numbers an embed shows above its figures: the exponent, the spike count, the alignment and the losses.
const KEY_NUMBERS = ['alpha_hill', 'alpha_ks', 'num_spikes', 'sim_w_beta', 'train_loss', 'test_loss'];
export const HEIGHT_MESSAGE = 'spiketail:height';

export function installEmbed(page) {
  const { app } = page;
  const framed = window.parent !== window;
  let observer = null;
  let lastHeight = 0;

  function postHeight() {
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, '*');  // only a number: any host may read it
  }

  $('embed-settings').addEventListener('click', () => {
    const open = !document.body.classList.contains('embed-settings-open');
    document.body.classList.toggle('embed-settings-open', open);
    $('embed-settings').setAttribute('aria-expanded', String(open));
  });

  page.applyEmbed = () => {
    const body = document.body;
    body.classList.toggle('embed', app.embed);
    const type = VIEW_TYPES[app.view];
    const figs = app.embed ? (app.figs.length ? app.figs : type.defaultFigures) : [];
    for (const [name, id] of Object.entries(type.figures || {})) {
      const figure = document.getElementById(id);
      if (!figure) continue;
      figure.dataset.embedFigure = name;
      figure.classList.toggle('embed-chosen', figs.includes(name));
      figure.style.order = figs.includes(name) ? String(figs.indexOf(name)) : '';
    }
    body.dataset.embedFigures = String(Math.min(figs.length, 2));
    for (const metric of document.querySelectorAll('.readout .metric')) {
      metric.classList.toggle('embed-key', KEY_NUMBERS.includes(metric.dataset.key));
    }
    body.classList.toggle('embed-no-numbers', app.embed && app.hide.includes('numbers'));
    const settings = app.embed && !app.hide.includes('settings');
    $('embed-settings').hidden = !settings;
    if (!settings) body.classList.remove('embed-settings-open');
    for (const view of Object.values(page.views || {})) view.setEmbed?.({ embed: app.embed, figs, hide: app.hide });

    if (app.embed && framed && !observer) {
      observer = new ResizeObserver(postHeight);
      observer.observe(document.body);
    } else if (!app.embed && observer) {
      observer.disconnect();
      observer = null;
    }
  };
}
