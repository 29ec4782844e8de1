// The page's views, by the name used in the URL (`view=`): single run, sweep, tour, analyze (model files). A new view is one entry here:
//   create(container, options)  the view; options: {openRun, onChange} (see app/navigation.js)
//   ownsUrl     the view reads and writes its own URL keys: view.load(hash, state) and view.hash()
//               (state: the page keys of url.js's parsePageState: embed, hide, figs, autoplay)
//   figures     fig= names -> the id of the figure's element, for embeds (`#view=…&embed=1&fig=a,b`)
//   hideable()  the setting keys hide= may name (besides url.js's HIDEABLE_PARTS)
// A view may also have setEmbed(state): called when it is shown, and again whenever the page state changes;
// the page's body class `embed` and app/embed.js do the rest (figure choice, height messages to the host).
import { FIELDS } from '../fields.js';
import { AnalyzeView, ANALYZE_FIGURES } from './analyze.js';
import { SingleView } from './single.js';
import { SweepView, SWEEP_FIGURES, sweepHideable } from './sweep.js';
import { TourView } from './tour.js';

export const VIEW_TYPES = {
  single: {
    create: (container) => new SingleView(container),
    figures: {
      esd: 'fig-esd-log', 'esd-linear': 'fig-esd-lin', tail: 'fig-ccdf', alpha: 'fig-alpha', loss: 'fig-loss',
      sim: 'fig-align', singular: 'fig-singular', overlap: 'fig-overlap', weights: 'fig-weights', vbeta: 'fig-vbeta',
    },
    // The embed's default: the spectrum, with the key numbers above it.
    defaultFigures: ['esd'],
    hideable: () => FIELDS.map((f) => f.key),
  },
  sweep: {
    create: (container, options) => new SweepView(container, options),
    ownsUrl: true,
    figures: SWEEP_FIGURES,
    defaultFigures: ['alpha_hill'],
    hideable: sweepHideable,
  },
  tour: {
    create: (container, options) => new TourView(container, options),
    ownsUrl: true,
    // An embedded stage shows its caption, buttons and figures (views/tour.css): no fig= names, nothing to hide.
    figures: {},
    defaultFigures: [],
    hideable: () => [],
  },
  analyze: {
    create: (container) => new AnalyzeView(container),
    ownsUrl: true,
    figures: ANALYZE_FIGURES,
    // Embedded, the files, the table and alpha per layer; a chosen layer's spectrum with fig=esd.
    defaultFigures: ['alpha', 'esd'],
    hideable: () => [],
  },
};

export function viewOrDefault(name) {
  return Object.hasOwn(VIEW_TYPES, name) ? name : 'single';
}
