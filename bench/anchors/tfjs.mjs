// Anchor: TensorFlow.js 4.x with its WebAssembly backend (XNNPACK, SIMD), one thread, in this process.
//
// The network is the study's (docs/method.md §3-4): Z = X W^T / sqrt d, p = tanh(Z) a / sqrt h, L = mean (p - y)^2,
// full batch, Adam (b1 0.9, b2 0.999, eps 1e-8) on W only, a frozen. X: n x d, W: h x d, a: h.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
let tf = null;

// Loads TF.js and switches to the wasm backend with one thread (must happen before the backend starts).
export async function initTfjs() {
  if (tf) return tf;
  tf = require('@tensorflow/tfjs');
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(dist + path.sep);
  wasm.setThreadsCount(1);
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('TF.js: the wasm backend did not initialise');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { tf, info: { version: tf.version.tfjs, backend: tf.getBackend(), simd, threads: wasm.getThreadsCount() } };
}

// One training setup at the given shape; step() runs one full-batch Adam step and waits for its result.
export function makeTfjsTrainer({ n, d, h, lr = 1, seed = 1 }) {
  return tf.tidy(() => {
    const X = tf.keep(tf.randomNormal([n, d], 0, 1, 'float32', seed));
    const beta = tf.randomNormal([d, 1], 0, 1, 'float32', seed + 1);
    const betaUnit = beta.div(beta.norm());
    const noise = tf.randomNormal([n, 1], 0, 0.3, 'float32', seed + 2);
    const y = tf.keep(tf.softplus(X.matMul(betaUnit)).add(noise));
    const W = tf.variable(tf.randomNormal([h, d], 0, 1, 'float32', seed + 3), true, `W${seed}`);
    const a = tf.keep(tf.randomNormal([h, 1], 0, 1, 'float32', seed + 4));
    const opt = tf.train.adam(lr, 0.9, 0.999, 1e-8);
    const invSqrtD = 1 / Math.sqrt(d), invSqrtH = 1 / Math.sqrt(h);
    const loss = () => {
      const Z = tf.matMul(X, W, false, true).mul(invSqrtD);
      const p = tf.tanh(Z).matMul(a).mul(invSqrtH);
      return p.sub(y).square().mean();
    };
    const step = () => {
      const cost = opt.minimize(loss, true, [W]);
      const value = cost.dataSync()[0];
      cost.dispose();
      return value;
    };
    const dispose = () => { X.dispose(); y.dispose(); W.dispose(); a.dispose(); opt.dispose(); };
    return { step, dispose };
  });
}

// C (m x n) = A B^T ('nt', A: m x k, B: n x k), A^T B ('tn', A: k x m, B: k x n) or A B ('nn', A: m x k,
// B: k x n); returns a runner. TF.js 4.22's wasm BatchMatMul reaches XNNPACK only without transposes
// ('nn'); with transposeA or transposeB it runs a scalar loop (measured: ~2 vs ~25 GFLOPS here).
export function makeTfjsMatmul(kind, m, n, k, seed = 7) {
  const shapes = { nt: [[m, k], [n, k]], tn: [[k, m], [k, n]], nn: [[m, k], [k, n]] }[kind];
  const A = tf.randomNormal(shapes[0], 0, 1, 'float32', seed);
  const B = tf.randomNormal(shapes[1], 0, 1, 'float32', seed + 1);
  const run = () => {
    const C = tf.matMul(A, B, kind === 'tn', kind === 'nt');
    C.dataSync();  // waits for the result; the copy out is O(mn), small next to the O(mnk) product
    C.dispose();
  };
  const dispose = () => { A.dispose(); B.dispose(); };
  return { run, dispose };
}
