// Heatmaps of k × k matrices with values in [0, 1], side by side with one shared colour bar:
// here the squared overlaps ⟨w_i, m_j⟩² between the top-k singular vectors of W and of the update M.
//
// heatmap.setData({ panels: [{title, k, values /* k*k row-major, entry (i, j) */}], empty })
import { Figure, FONT_SMALL, INK, MUTED } from './figure.js';
import { formatNumber } from './scale.js';

// Perceptually uniform (viridis-like) stops from 0 to 1.
const STOPS = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37],
];

export function colorOf(v) {
  const t = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(t)), f = t - i;
  const c = STOPS[i].map((a, j) => Math.round(a + (STOPS[i + 1][j] - a) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export class HeatmapGrid extends Figure {
  // options: Figure's + {rowLabel, colLabel}
  constructor(container, options) {
    super(container, options);
    this.data = { panels: [] };
    this.cells = [];
  }

  setData(data) {
    this.data = { panels: [], ...data };
    this.render();
  }

  draw(ctx, width, height) {
    const panels = this.data.panels.filter((p) => p.values?.length);
    this.cells = [];
    if (!panels.length) {
      this.drawEmpty(ctx, width, height);
      return;
    }
    const barWidth = 46;
    const available = width - barWidth - 8;
    // As many columns as fit with squares of at least 90 px, at most all panels in one row.
    let cols = Math.min(panels.length, Math.max(1, Math.floor(available / 130)));
    if (cols === 3 && panels.length === 4) cols = 2;
    const rows = Math.ceil(panels.length / cols);
    const cellWidth = available / cols, cellHeight = (height - 4) / rows;
    const side = Math.max(40, Math.min(cellWidth - 30, cellHeight - 40));
    ctx.font = FONT_SMALL;
    panels.forEach((p, n) => {
      const c = n % cols, r = Math.floor(n / cols);
      const x0 = c * cellWidth + (cellWidth - side) / 2 + 10, y0 = r * cellHeight + 20;
      const k = p.k, s = side / k;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          const v = p.values[i * k + j];
          ctx.fillStyle = colorOf(v);
          ctx.fillRect(x0 + j * s, y0 + i * s, Math.ceil(s), Math.ceil(s));
          this.cells.push({ x: x0 + j * s, y: y0 + i * s, s, text: `${p.title}: W vector ${i + 1}, M vector ${j + 1} → ${formatNumber(v, 3)}` });
        }
      }
      ctx.strokeStyle = INK;
      ctx.lineWidth = 1;
      ctx.strokeRect(x0 - 0.5, y0 - 0.5, side + 1, side + 1);
      ctx.fillStyle = INK;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      ctx.fillText(p.title, x0 + side / 2, y0 - 4);
      ctx.fillStyle = MUTED;
      ctx.textBaseline = 'top';
      ctx.fillText(this.options.colLabel || 'j', x0 + side / 2, y0 + side + 3);
      ctx.save();
      ctx.translate(x0 - 6, y0 + side / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textBaseline = 'bottom';
      ctx.fillText(this.options.rowLabel || 'i', 0, 0);
      ctx.restore();
    });
    this.element.dataset.points = String(this.cells.length);
    // Colour bar.
    const bx = width - barWidth + 4, by = 20, bh = Math.max(40, Math.min(height - 40, side));
    for (let y = 0; y < bh; y++) {
      ctx.fillStyle = colorOf(1 - y / bh);
      ctx.fillRect(bx, by + y, 12, 1.5);
    }
    ctx.strokeStyle = INK;
    ctx.strokeRect(bx - 0.5, by - 0.5, 13, bh + 1);
    ctx.fillStyle = INK;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    for (const v of [0, 0.5, 1]) ctx.fillText(String(v), bx + 16, by + (1 - v) * bh);
  }

  // Each panel as a k × k table: row i (W vector), columns j (M vector).
  tables() {
    const { rowLabel = 'i', colLabel = 'j' } = this.options;
    return this.data.panels.filter((p) => p.values?.length).map((p) => ({
      caption: p.title,
      columns: [rowLabel, ...Array.from({ length: p.k }, (_, j) => `${colLabel} ${j + 1}`)],
      rows: Array.from({ length: p.k }, (_, i) => [i + 1, ...Array.from(p.values.slice(i * p.k, (i + 1) * p.k))]),
    }));
  }

  pick(x, y) {
    const c = this.cells.find((q) => x >= q.x && x < q.x + q.s && y >= q.y && y < q.y + q.s);
    return c ? { x: c.x + c.s / 2, y: c.y, text: c.text } : null;
  }

  pickStep(dir) {
    if (!this.cells.length) return null;
    this.cursor = this.cursor === undefined || this.cursor < 0 ? 0
      : Math.min(this.cells.length - 1, Math.max(0, this.cursor + dir));
    const c = this.cells[this.cursor];
    return { x: c.x + c.s / 2, y: c.y, text: c.text };
  }
}
