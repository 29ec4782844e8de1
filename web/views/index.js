// The page's views, by the name used in the URL (`view=`). Each entry creates its view inside a container
// and returns an object with update(run, figures) and clear(). Only the single-run view exists so far;
// the sweep (issue 4), analyze (any weight matrix) and gallery views plug in here, and state.js already
// accepts their names in the URL.
import { SingleView } from './single.js';

export const VIEW_TYPES = {
  single: { label: 'Single run', create: (container) => new SingleView(container) },
};

export function viewOrDefault(name) {
  return VIEW_TYPES[name] ? name : 'single';
}
