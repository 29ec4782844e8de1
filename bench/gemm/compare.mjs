// Compares builds of the GEMM harness on the study's shapes, interleaved round by round so that the
// noise of a shared machine hits every variant alike. Builds: bench/gemm/build.sh [TAG -D...].
//   node bench/gemm/compare.mjs base 16x2 kc512 ...     (base = build-bench/gemm-bench.cjs)
// Prints, per variant and product, the first call (includes V8's baseline-to-optimised tier-up), then the
// median and best GFLOPS of the following calls.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadGemmHarness } from './harness.mjs';
import { gemmFlops, median } from '../lib/timing.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tags = process.argv.slice(2).length ? process.argv.slice(2) : ['base'];
const rounds = Number(process.env.ROUNDS ?? 3), reps = Number(process.env.REPS ?? 3);
const shapes = [['nt', 2000, 1500, 1000], ['tn', 1500, 1000, 2000], ['gram', 1000, 1000, 1500]];
const file = (t) => path.join(root, `build-bench/gemm-bench${t === 'base' ? '' : '-' + t}.cjs`);

const h = {}, first = {}, samples = {};
for (const t of tags) h[t] = await loadGemmHarness(file(t));
for (let round = 0; round < rounds; round++)
  for (const t of tags)
    for (const [kind, m, n, k] of shapes) {
      h[t].setup(kind, 37, 29, 300);
      if (!(h[t].check('simd') < 1e-5)) throw new Error(`${t} ${kind}: wrong result`);
      h[t].setup(kind, m, n, k);
      const key = `${t} ${kind}`;
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        h[t].run('simd');
        const s = (performance.now() - t0) / 1e3;
        if (!(key in first)) first[key] = s;
        else (samples[key] ??= []).push(gemmFlops(m, n, k) / s / 1e9);
      }
    }
for (const [key, g] of Object.entries(samples))
  console.log(`${key.padEnd(16)} first ${first[key].toFixed(3)} s   median ${median(g).toFixed(1)}   best ${Math.max(...g).toFixed(1)} GFLOPS`);
