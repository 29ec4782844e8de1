// Our WebAssembly module (build-wasm/spiketail-node.cjs, the CommonJS build for Node) driven as the page's
// worker drives it: a Session from a config JSON, step(k), probe(detail), and analyzeMatrix for the ESD.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// A fresh module instance (its own heap), or null when the module is not built.
export async function loadOurWasm(cjsPath) {
  if (!fs.existsSync(cjsPath)) return null;
  const factory = require(cjsPath);
  // emscripten #16913: Node 18+ has fetch, which 3.1.6 then uses on a file path; hand over the bytes.
  return factory({ wasmBinary: fs.readFileSync(cjsPath.replace(/\.cjs$/, '.wasm')) });
}

// A session that only steps: lr 1e-3 keeps every shape finite (a diverged run stops stepping), and
// probes are left to the caller.
export function benchConfig({ n, d, h }, extra = {}) {
  return JSON.stringify({ n, d, h, n_test: Math.min(200, n), lr: 1e-3, num_steps: 1 << 20, probe_every: 1 << 20,
                          probe_update: false, top_k: Math.min(8, h, d), seed: 1, ...extra });
}

export function makeOurStepper(mod, shape) {
  const session = new mod.Session(benchConfig(shape));
  if (!session.ok()) throw new Error(`our Session refused the config: ${session.error()}`);
  const step = () => {
    if (session.step(1) !== 1) throw new Error(`our step did not run: ${session.status()} ${session.message()}`);
  };
  return { session, step, dispose: () => session.delete() };
}

// W: Float32Array rows x cols, row-major; returns the eigenvalue count (checks the call did its work).
export function ourEsd(mod, W, rows, cols) {
  const out = JSON.parse(mod.analyzeMatrix(W, rows, cols));
  if (!out.ok) throw new Error(`analyzeMatrix: ${out.error}`);
  return out.eigenvalues.length;
}

// The bytes of the arrays the method cannot do without at this shape (float32): the three data sets
// (train, probe: n x d; test: n_test x d; and their labels), W and Adam's two moments (h x d each),
// the activations A (n x h). Everything else (gradients, W0, probe work space) is the implementation's.
export function essentialBytes({ n, d, h }, nTest = Math.min(200, n)) {
  const floats = (2 * n + nTest) * (d + 1) + 3 * h * d + n * h;
  return 4 * floats;
}

// The wasm heap after a step and a detailed probe of the study's single run as configured by default (so
// with the update analysis), in a fresh instance that no earlier benchmark has grown. HEAPU8.length is the
// linear memory's size: wasm memory never shrinks, so this is the peak so far.
export async function heapAfterStepAndProbe(cjsPath, shape) {
  const mod = await loadOurWasm(cjsPath);
  const config = JSON.stringify({ n: shape.n, d: shape.d, h: shape.h, n_test: Math.min(200, shape.n),
                                  top_k: Math.min(8, shape.h, shape.d) });
  const session = new mod.Session(config);
  if (!session.ok()) throw new Error(session.error());
  session.probe(true);
  session.step(1);
  session.probe(true);
  const heap = mod.HEAPU8.length;
  const estimate = mod.estimateMemory(config);
  session.delete();
  return { heapBytes: heap, estimateBytes: estimate, essentialBytes: essentialBytes(shape) };
}
