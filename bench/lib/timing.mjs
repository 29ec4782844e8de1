// Timing helpers: a warm-up, then several repetitions; we report the median (robust to the noise of a
// shared machine) and keep every sample in the JSON so that the spread can be inspected.
import { performance } from 'node:perf_hooks';

export function median(values) {
  const s = [...values].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

// Times fn (sync or async) `reps` times after `warmup` untimed calls; seconds.
export async function timeIt(fn, { warmup = 1, reps = 5 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) / 1e3);
  }
  return { median: median(samples), samples };
}

// FLOPs of C (m x n) = A (m x k) B (k x n): one multiply and one add per term.
export const gemmFlops = (m, n, k) => 2 * m * n * k;

// Times several functions in turns (a, b, c, a, b, c, ...) after one warm-up each, so that the bursts of
// a shared machine fall on all of them alike; seconds per function, as timeIt.
export async function timeInterleaved(fns, { warmup = 1, reps = 5 } = {}) {
  const names = Object.keys(fns);
  for (let i = 0; i < warmup; i++) for (const k of names) await fns[k]();
  const samples = Object.fromEntries(names.map((k) => [k, []]));
  for (let i = 0; i < reps; i++)
    for (const k of names) {
      const t0 = performance.now();
      await fns[k]();
      samples[k].push((performance.now() - t0) / 1e3);
    }
  return Object.fromEntries(names.map((k) => [k, { median: median(samples[k]), samples: samples[k] }]));
}
