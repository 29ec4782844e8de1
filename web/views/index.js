// The page's views, by the name used in the URL (`view=`). Each entry creates its view inside a container.
// The single-run view has update(run, figures); the sweep view and the tour own their workers and the URL
// keys of their own (load(hash), hash()). A new view is one entry here and its name in url.js's VIEWS.
import { SingleView } from './single.js';
import { SweepView } from './sweep.js';
import { TourView } from './tour.js';

export const VIEW_TYPES = {
  single: { create: (container) => new SingleView(container) },
  sweep: { create: (container, options) => new SweepView(container, options) },
  tour: { create: (container, options) => new TourView(container, options) },
};

export function viewOrDefault(name) {
  return VIEW_TYPES[name] ? name : 'single';
}
