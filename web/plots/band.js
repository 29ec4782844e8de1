// An x–y chart (plots/xy.js) with two additions for the sweep view:
//   - series of type 'band': a filled region between lo[i] and hi[i] over x[i] (mean ± std over repeats);
//   - clickable points: a series may carry `items` (one per x), and clicking a point, or pressing Enter on
//     a point chosen with the arrow keys, calls options.onOpen(item).
//
// chart.setData({series: [{type: 'band', x, lo, hi, color, alpha}, {type: 'linepoints', x, y, items, …}], …})
import { XYChart } from './xy.js';

const finite = (v, log) => v !== null && v !== undefined && Number.isFinite(v) && (!log || v > 0);

function withAlpha(hex, alpha) {
  const m = /^#([0-9a-f]{6})$/i.exec(hex || '');
  if (!m) return `rgba(0, 0, 0, ${alpha})`;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export class BandChart extends XYChart {
  // options: XYChart's + {onOpen(item)}
  constructor(container, options) {
    super(container, options);
    this.canvas.addEventListener('click', (e) => {
      const r = this.canvas.getBoundingClientRect();
      const hit = this.pick(e.clientX - r.left, e.clientY - r.top);
      const item = this.points[this.cursor]?.item;
      if (hit && item) this.options.onOpen?.(item);
    });
    // Runs after Figure's own mousemove handler, which has just picked the point under the pointer.
    this.canvas.addEventListener('mousemove', () => {
      this.canvas.style.cursor = this.points[this.cursor]?.item ? 'pointer' : '';
    });
    this.canvas.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      const item = this.points[this.cursor]?.item;
      if (item) { e.preventDefault(); this.options.onOpen?.(item); }
    });
  }

  // A band's lo and hi values set the y range; its x values the x range.
  setData(data) {
    const series = (data.series || []).map((s) => (s.type === 'band'
      ? { ...s, y: [...s.lo, ...s.hi], xAll: s.x, x: [...s.x, ...s.x], legend: s.legend ?? false, pick: false }
      : s));
    super.setData({ ...data, series });
  }

  drawSeries(ctx, s, xs, ys) {
    if (s.type === 'band') {
      this.drawBand(ctx, s, xs, ys);
      return;
    }
    const start = this.points.length;
    super.drawSeries(ctx, s, xs, ys);
    if (!s.items || s.pick === false || s.type === 'step') return;
    // XYChart adds one point per finite (x, y), in order, for series drawn with dots.
    let j = start;
    for (let i = 0; i < s.x.length && j < this.points.length; i++) {
      if (!finite(s.x[i], xs.log) || !finite(s.y[i], ys.log)) continue;
      this.points[j++].item = s.items[i];
    }
  }

  // Filled between lo and hi, in runs of consecutive finite x.
  drawBand(ctx, s, xs, ys) {
    const x = s.xAll, lo = s.lo, hi = s.hi;
    ctx.fillStyle = withAlpha(s.color, s.alpha ?? 0.18);
    let run = [];
    const flush = () => {
      if (run.length > 1) {
        ctx.beginPath();
        run.forEach((i, k) => (k ? ctx.lineTo(xs.map(x[i]), ys.map(hi[i])) : ctx.moveTo(xs.map(x[i]), ys.map(hi[i]))));
        for (let k = run.length - 1; k >= 0; k--) ctx.lineTo(xs.map(x[run[k]]), ys.map(lo[run[k]]));
        ctx.closePath();
        ctx.fill();
      }
      run = [];
    };
    for (let i = 0; i < x.length; i++) {
      if (finite(x[i], xs.log) && finite(lo[i], ys.log) && finite(hi[i], ys.log)) run.push(i); else flush();
    }
    flush();
  }
}
