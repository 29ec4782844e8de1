// An x–y chart on a canvas: linear or log10 axes with ticks and labels, a legend, and series drawn as
// lines, points, or step histograms (edges + densities), plus vertical markers (e.g. x_min, MP edge) and
// labels on the plot (labels.js: spans along the top, pins pointing at a value).
//
// chart.setData({ series: [{label, color, type: 'line'|'points'|'linepoints'|'step', x, y, dash, width,
//                           clampTop (points drawn as ▲ on the top edge, off the axis' scale)}],
//                 markers: [{x, label, color, dash}], spans, pins, xDomain, yDomain })
// For type 'step', x holds the bins+1 edges and y the bins values.
// options.sticky: the axes hold everything shown since the last resetAxes() and grow only when data leave
// them (a run's animation does not jump). options.zoom: wheel/drag/double-click zoom and pan (zoom.js).
import { Figure, FONT_SMALL, GRID, INK, MUTED } from './figure.js';
import { drawPins, drawSpans } from './labels.js';
import { extent, formatNumber, makeScale } from './scale.js';
import { installZoom } from './zoom.js';

const PICK_RADIUS = 28;  // px: how close the pointer must be to a point for the tooltip
const LABEL_PICK_HEIGHT = 10;  // px: a label on the plot shows its tooltip only this close to its row

export class XYChart extends Figure {
  // options: Figure's + {xLabel, yLabel, xLog, yLog, yZero (linear y axis includes 0)}
  constructor(container, options) {
    super(container, options);
    this.data = { series: [], markers: [], spans: [], pins: [] };
    this.points = [];
    this.cursor = -1;
    this.held = null;   // sticky axes: the union of every domain shown since resetAxes()
    this.view = null;   // zoom/pan window {x, y} in data units, or null for the chart's own axes
    if (options.zoom) {
      installZoom(this);
      this.canvas.setAttribute('aria-keyshortcuts', 'Escape');
      this.canvas.title = 'Wheel: zoom · drag: pan · double-click or Esc: reset';
    }
  }

  setData(data) {
    this.data = { series: [], markers: [], spans: [], pins: [], ...data };
    this.cursor = -1;
    this.render();
  }

  // A new run: the axes start again from its data.
  resetAxes() {
    this.held = null;
  }

  setView(view) {
    this.view = view;
    this.element.dataset.zoomed = view ? 'true' : 'false';
    this.render();
  }

  domains() {
    const { xLog, yLog, yZero, sticky } = this.options;
    const { series, markers, xDomain, yDomain } = this.data;
    const xs = series.filter((s) => s.x?.length).map((s) => s.x);
    const ys = series.filter((s) => s.y?.length && !s.ignoreForDomain && !s.clampTop).map((s) => s.y);
    const mx = markers.filter((m) => m.inDomain !== false).map((m) => m.x);
    let x = xDomain || extent([...xs, mx], { log: xLog, pad: 0.02 });
    let y = yDomain || extent(ys, { log: yLog, pad: 0.06, includeZero: yZero });
    if (sticky) {
      const hold = (was, now) => (!was ? now : !now ? was : [Math.min(was[0], now[0]), Math.max(was[1], now[1])]);
      x = hold(this.held?.x, x);
      y = hold(this.held?.y, y);
      this.held = { x, y };
    }
    return { x, y };
  }

  draw(ctx, width, height) {
    const { xLabel = '', yLabel = '', xLog = false, yLog = false } = this.options;
    const { series, markers } = this.data;
    const own = this.domains();
    const dom = this.view && own.x && own.y ? this.view : own;
    this.points = [];
    const legendItems = series.filter((s) => s.label && s.legend !== false);
    const legendRows = this.layoutLegend(ctx, legendItems, width - 16);
    const top = 10 + legendRows.length * 18;
    const bottom = height - 40;
    if (!dom.x || !dom.y) {
      this.drawEmpty(ctx, width, height);
      return;
    }
    // Left margin fits the widest y tick label.
    const ysProbe = makeScale({ log: yLog, domain: dom.y, range: [bottom, top] });
    const yticks = ysProbe.ticks(Math.max(2, Math.floor((bottom - top) / 36)));
    ctx.font = FONT_SMALL;
    const labelWidth = Math.max(...yticks.map((t) => ctx.measureText(t.label).width), 10);
    const left = Math.ceil(labelWidth + 30);
    const right = width - 14;
    const xs = makeScale({ log: xLog, domain: dom.x, range: [left, right] });
    const ys = makeScale({ log: yLog, domain: dom.y, range: [bottom, top] });
    let xticks = xs.ticks(Math.max(2, Math.floor((right - left) / 70)));
    if (this.options.xInteger) {
      xticks = xticks.filter((t) => Number.isInteger(t.value)).map((t) => ({ ...t, label: String(t.value) }));
    }
    this.scales = { xs, ys, left, right, top, bottom };

    // Grid and ticks.
    ctx.lineWidth = 1;
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    for (const t of yticks) { const p = Math.round(ys.map(t.value)) + 0.5; ctx.moveTo(left, p); ctx.lineTo(right, p); }
    for (const t of xticks) { const p = Math.round(xs.map(t.value)) + 0.5; ctx.moveTo(p, top); ctx.lineTo(p, bottom); }
    ctx.stroke();

    // Series, clipped to the plot area.
    ctx.save();
    ctx.beginPath();
    ctx.rect(left - 4, top - 4, right - left + 8, bottom - top + 8);  // room for the dots on the edges
    ctx.clip();
    for (const s of series) this.drawSeries(ctx, s, xs, ys);
    for (const m of markers) this.drawMarker(ctx, m, xs, top, bottom);
    const box = { left, right, top, bottom };
    const labelled = [...drawSpans(ctx, this.data.spans, xs, box), ...drawPins(ctx, this.data.pins, xs, box)];
    for (const t of labelled) this.points.push({ ...t, s: null, label: true });
    ctx.restore();
    // For tests and tools: what the axes show and what is labelled on the plot.
    this.element.dataset.labels = [...this.data.markers, ...this.data.spans, ...this.data.pins].map((l) => l.label).filter(Boolean).join('|');
    this.element.dataset.series = legendItems.map((l) => l.label).join('|');
    this.element.dataset.xDomain = dom.x.join(',');
    this.element.dataset.yDomain = dom.y.join(',');

    // Axes and labels.
    ctx.strokeStyle = INK;
    ctx.beginPath();
    ctx.moveTo(left + 0.5, top);
    ctx.lineTo(left + 0.5, bottom + 0.5);
    ctx.lineTo(right, bottom + 0.5);
    ctx.stroke();
    ctx.fillStyle = INK;
    ctx.font = FONT_SMALL;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of yticks) if (t.major !== false || yticks.length < 8) ctx.fillText(t.label, left - 5, ys.map(t.value));
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    let lastEnd = -Infinity;
    for (const t of xticks) {
      const p = xs.map(t.value), w = ctx.measureText(t.label).width;
      if (p - w / 2 < lastEnd + 4) continue;  // skip labels that would overlap
      ctx.fillText(t.label, p, bottom + 5);
      lastEnd = p + w / 2;
    }
    ctx.font = this.constructor.labelFont || FONT_SMALL;
    ctx.fillStyle = MUTED;
    ctx.fillText(xLabel, (left + right) / 2, bottom + 22);
    ctx.save();
    ctx.translate(11, (top + bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(yLabel, 0, 0);
    ctx.restore();

    this.drawLegend(ctx, legendRows);
    this.points.sort((a, b) => a.px - b.px);
    this.element.dataset.points = String(this.points.length);  // for tests: how much was drawn
  }

  drawSeries(ctx, s, xs, ys) {
    const { x, y } = s;
    if (!x?.length || !y?.length) return;
    const color = s.color || INK;
    const finite = (v, log) => v !== null && Number.isFinite(v) && (!log || v > 0);
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = s.width || 1.6;
    ctx.setLineDash(s.dash || []);
    const xlog = xs.log, ylog = ys.log;
    if (s.type === 'step') {
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < y.length; i++) {
        const a = x[i], b = x[i + 1], v = y[i];
        if (!finite(v, ylog) || !finite(a, xlog) || !finite(b, xlog)) { pen = false; continue; }
        const py = ys.map(v), pa = xs.map(a), pb = xs.map(b);
        if (!pen) { ctx.moveTo(pa, ys.range[0]); ctx.lineTo(pa, py); } else ctx.lineTo(pa, py);
        ctx.lineTo(pb, py);
        pen = true;
        const next = y[i + 1];
        if (!finite(next, ylog)) { ctx.lineTo(pb, ys.range[0]); pen = false; }
        this.points.push({ px: (pa + pb) / 2, py, s, text: s.format ? s.format(a, b, v) :
          `${s.label}: [${formatNumber(a)}, ${formatNumber(b)}) → ${formatNumber(v)}` });
      }
      ctx.stroke();
      ctx.setLineDash([]);
      return;
    }
    const text = (xv, yv, i) => (s.format ? s.format(xv, yv, i) :
      `${s.label}: ${this.options.xName || 'x'} = ${formatNumber(xv)}, ${this.options.yName || 'y'} = ${formatNumber(yv)}`);
    if (s.type !== 'points' && !s.clampTop) {
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < x.length; i++) {
        if (!finite(x[i], xlog) || !finite(y[i], ylog)) { pen = false; continue; }
        const px = xs.map(x[i]), py = ys.map(y[i]);
        if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    const dots = s.type === 'points' || s.type === 'linepoints';
    const r = s.radius || (s.type === 'points' ? 2 : 2.6);
    if (s.clampTop) {  // values off the axis' scale: a ▲ on the top edge, the value in its tooltip
      const py = this.scales.top + 1;
      for (let i = 0; i < x.length; i++) {
        if (!finite(x[i], xlog) || y[i] === null || y[i] === undefined) continue;
        const px = xs.map(x[i]);
        ctx.beginPath();
        ctx.moveTo(px, py - 1);
        ctx.lineTo(px - 4.5, py + 7);
        ctx.lineTo(px + 4.5, py + 7);
        ctx.closePath();
        ctx.fill();
        this.points.push({ px, py: py + 4, s, text: text(x[i], y[i], i) });
      }
      return;
    }
    for (let i = 0; i < x.length; i++) {
      if (!finite(x[i], xlog) || !finite(y[i], ylog)) continue;
      const px = xs.map(x[i]), py = ys.map(y[i]);
      if (dots) { ctx.beginPath(); ctx.arc(px, py, r, 0, 2 * Math.PI); ctx.fill(); }
      if (s.pick !== false && (dots || x.length <= 400 || i % Math.ceil(x.length / 400) === 0)) {
        this.points.push({ px, py, s, text: text(x[i], y[i], i) });
      }
    }
  }

  drawMarker(ctx, m, xs, top, bottom) {
    if (m.x === null || !Number.isFinite(m.x) || (xs.log && m.x <= 0)) return;
    const p = xs.map(m.x);
    ctx.strokeStyle = m.color || INK;
    ctx.lineWidth = 1.3;
    ctx.setLineDash(m.dash || [5, 4]);
    ctx.beginPath();
    ctx.moveTo(p, top);
    ctx.lineTo(p, bottom);
    ctx.stroke();
    ctx.setLineDash([]);
    if (m.label) {
      ctx.font = FONT_SMALL;
      ctx.fillStyle = m.color || INK;
      const w = ctx.measureText(m.label).width;
      const flip = p + w + 8 > this.scales.right;
      ctx.textAlign = flip ? 'right' : 'left';
      ctx.textBaseline = 'top';
      const lx = flip ? p - 4 : p + 4, ly = top + 4 + (m.row || 0) * 14;
      ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';  // keep the label readable over the curves
      ctx.fillRect(flip ? lx - w - 2 : lx - 2, ly - 1, w + 4, 14);
      ctx.fillStyle = m.color || INK;
      ctx.fillText(m.label, lx, ly);
    }
    this.points.push({ px: p, py: (top + bottom) / 2, s: m, text: m.text || `${m.label}: ${formatNumber(m.x)}` });
  }

  layoutLegend(ctx, items, maxWidth) {
    ctx.font = FONT_SMALL;
    const rows = [[]];
    let x = 0;
    for (const s of items) {
      const w = 26 + ctx.measureText(s.label).width + 14;
      if (x + w > maxWidth && rows.at(-1).length) { rows.push([]); x = 0; }
      rows.at(-1).push({ s, x, w });
      x += w;
    }
    return rows[0].length ? rows : [];
  }

  drawLegend(ctx, rows) {
    ctx.font = FONT_SMALL;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    rows.forEach((row, r) => {
      const y = 10 + r * 18;
      for (const { s, x } of row) {
        const x0 = 10 + x;
        ctx.strokeStyle = ctx.fillStyle = s.color || INK;
        ctx.lineWidth = s.width || 1.6;
        ctx.setLineDash(s.dash || []);
        if (s.clampTop) {
          ctx.beginPath(); ctx.moveTo(x0 + 10, y - 5); ctx.lineTo(x0 + 5.5, y + 3); ctx.lineTo(x0 + 14.5, y + 3); ctx.closePath(); ctx.fill();
        } else if (s.type === 'points') {
          ctx.beginPath(); ctx.arc(x0 + 10, y, 3, 0, 2 * Math.PI); ctx.fill();
        } else {
          ctx.beginPath(); ctx.moveTo(x0, y); ctx.lineTo(x0 + 20, y); ctx.stroke();
          if (s.type === 'linepoints') { ctx.beginPath(); ctx.arc(x0 + 10, y, 2.6, 0, 2 * Math.PI); ctx.fill(); }
        }
        ctx.setLineDash([]);
        ctx.fillStyle = INK;
        ctx.fillText(s.label, x0 + 26, y);
      }
    });
  }

  // The numbers drawn, one table per series (a histogram's bins as [from, to) → value), then the marks.
  tables() {
    const { xName = 'x', yName = 'y' } = this.options;
    const out = [];
    for (const s of this.data.series) {
      if (!s.x?.length || !s.y?.length || s.table === false) continue;
      if (s.type === 'step') {
        out.push({ caption: s.label, columns: [`${xName} from`, `${xName} to`, yName],
          rows: s.y.map((v, i) => [s.x[i], s.x[i + 1], v]) });
      } else {
        out.push({ caption: s.label, columns: [xName, yName], rows: s.x.map((v, i) => [v, s.y[i]]) });
      }
    }
    const marks = [
      ...this.data.markers.map((m) => [m.label || '', m.x, null]),
      ...this.data.spans.map((l) => [l.label, l.x0, l.x1]),
      ...this.data.pins.map((l) => [l.label, l.x, null]),
    ];
    if (marks.length) out.push({ caption: 'Marks and labels on the figure', columns: ['label', xName, `${xName} (end)`], rows: marks });
    return out;
  }

  pick(x, y) {
    let best = null, bestD = PICK_RADIUS * PICK_RADIUS;
    for (const p of this.points) {
      if (p.label && Math.abs(p.py - y) > LABEL_PICK_HEIGHT) continue;  // a label answers only on its own row
      const d = (p.px - x) ** 2 + ((p.py - y) ** 2) * 0.25;  // favour the x distance: hover follows columns
      if (d < bestD) { bestD = d; best = p; }
    }
    this.cursor = best ? this.points.indexOf(best) : -1;
    return best && { x: best.px, y: best.py, text: best.text };
  }

  // Keyboard: move to the previous/next point (in x order) and show its value.
  pickStep(dir) {
    if (!this.points.length) return null;
    this.cursor = this.cursor < 0 ? (dir > 0 ? 0 : this.points.length - 1)
      : Math.min(this.points.length - 1, Math.max(0, this.cursor + dir));
    const p = this.points[this.cursor];
    return { x: p.px, y: p.py, text: p.text };
  }
}
