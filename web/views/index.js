// The page's views, by the name used in the URL (`view=`). Each entry creates its view inside a container.
// The single-run view has update(run, figures) and clear(); the sweep view owns its form, workers and the
// URL keys of its own (load(hash), hash()). The analyze (any weight matrix) and gallery views plug in here,
// and state.js already accepts their names in the URL.
import { SingleView } from './single.js';
import { SweepView } from './sweep.js';

export const VIEW_TYPES = {
  single: { label: 'Single run', create: (container) => new SingleView(container) },
  sweep: { label: 'Sweep', create: (container, options) => new SweepView(container, options) },
};

export function viewOrDefault(name) {
  return VIEW_TYPES[name] ? name : 'single';
}
