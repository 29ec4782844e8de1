// Loads a build of bench/gemm/gemm_bench.cpp and times its products in this Node process.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { timeIt, gemmFlops } from '../lib/timing.mjs';

const require = createRequire(import.meta.url);
export const IMPL = { simd: 0, eigen: 1, reference: 2 };
export const KIND = { nt: 0, tn: 1, gram: 2 };

export async function loadGemmHarness(cjsPath) {
  const factory = require(cjsPath);
  // emscripten #16913: Node 18+ has fetch, which 3.1.6 then uses on a file path; hand over the bytes.
  const mod = await factory({ wasmBinary: fs.readFileSync(cjsPath.replace(/\.cjs$/, '.wasm')) });
  return {
    setup: (kind, m, n, k) => mod._gemm_bench_setup(KIND[kind], m, n, k),
    run: (impl) => mod._gemm_bench_run(IMPL[impl]),
    check: (impl) => mod._gemm_bench_check(IMPL[impl]),
    heapBytes: () => mod.HEAPU8.length,
  };
}

// GFLOPS (median) of one implementation on C = A B^T ('nt') or A^T B ('tn'), C: m x n, depth k.
export async function gemmGflops(h, impl, kind, m, n, k, { warmup = 1, reps = 5 } = {}) {
  h.setup(kind, m, n, k);
  const t = await timeIt(() => h.run(impl), { warmup, reps });
  return { gflops: gemmFlops(m, n, k) / t.median / 1e9, seconds: t.median, samples: t.samples };
}
