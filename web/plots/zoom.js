// Zoom and pan of an x–y chart: the wheel zooms around the pointer, a drag pans, a double click (or the
// Escape key on the focused figure) goes back to the chart's own axes. The view is kept in data units
// ({x: [lo, hi], y: [lo, hi]}), so a redraw — a new probe, a resize, the PNG export — shows the same window.
// Log axes zoom and pan in log10 space. Presentation only: no data is touched.

const WHEEL_RATE = 0.0015;  // zoom factor per wheel delta unit: exp(-0.0015 × 100) ≈ 0.86 per notch

const toU = (v, log) => (log ? Math.log10(v) : v);
const fromU = (u, log) => (log ? 10 ** u : u);

// Zooms [lo, hi] by `factor` around the value at `at` (in data units); factor < 1 zooms in.
function zoomRange([lo, hi], at, factor, log) {
  const a = toU(lo, log), b = toU(hi, log), c = toU(at, log);
  return [fromU(c + (a - c) * factor, log), fromU(c + (b - c) * factor, log)];
}

function shiftRange([lo, hi], fraction, log) {
  const a = toU(lo, log), b = toU(hi, log), d = (b - a) * fraction;
  return [fromU(a + d, log), fromU(b + d, log)];
}

// chart: an XYChart (its canvas, scales {xs, ys, left, right, top, bottom} of the last draw, render()).
export function installZoom(chart) {
  const canvas = chart.canvas;
  let drag = null;

  const inPlot = (x, y) => {
    const s = chart.scales;
    return s && x >= s.left && x <= s.right && y >= s.top && y <= s.bottom;
  };
  const point = (e) => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const current = () => chart.view || { x: chart.scales.xs.domain, y: chart.scales.ys.domain };

  canvas.addEventListener('wheel', (e) => {
    const p = point(e);
    if (!inPlot(p.x, p.y)) return;
    e.preventDefault();
    const { xs, ys } = chart.scales;
    const factor = Math.exp(e.deltaY * WHEEL_RATE);
    const v = current();
    chart.setView({
      x: zoomRange(v.x, xs.invert(p.x), factor, xs.log),
      y: zoomRange(v.y, ys.invert(p.y), factor, ys.log),
    });
  }, { passive: false });

  canvas.addEventListener('mousedown', (e) => {
    const p = point(e);
    if (e.button !== 0 || !inPlot(p.x, p.y)) return;
    drag = { start: p, view: current(), scales: chart.scales };
    canvas.classList.add('dragging');
  });
  window.addEventListener('mousemove', (e) => {
    if (!drag) return;
    const p = point(e);
    const { xs, ys, left, right, top, bottom } = drag.scales;
    const dx = (p.x - drag.start.x) / (right - left), dy = (p.y - drag.start.y) / (bottom - top);
    if (Math.abs(p.x - drag.start.x) + Math.abs(p.y - drag.start.y) < 3) return;  // a click, not a drag
    chart.showTip(null);
    chart.setView({ x: shiftRange(drag.view.x, -dx, xs.log), y: shiftRange(drag.view.y, dy, ys.log) });
  });
  window.addEventListener('mouseup', () => {
    drag = null;
    canvas.classList.remove('dragging');
  });
  canvas.addEventListener('dblclick', () => chart.setView(null));
  canvas.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && chart.view) { e.preventDefault(); chart.setView(null); }
  });
}
