// @ts-check: type-checked against wasm/spiketail.d.mts by `npm run typecheck` (tsconfig.json).
// The "Analyze weights" commands of web/worker.js (which loads the engine and hands it here; its MODEL_COMMANDS
// lists them). Every reply carries the request's id, errors included, so that no request waits forever.
//
// page -> worker                                          worker -> page
//   {type:'model-formats', id, names}                     {type:'model-formats', id, formats}  ('' = no reader)
//   {type:'model-index', id, file, format, shards, options}  {type:'model-indexed', id, index} | {..., error}
//   {type:'analyze-layer', id, file, shards, tensor, options} {type:'layer-done', id, row, eigenvalues, ms} | {..., error}
//   {type:'layer-figure', id, eigenvalues, N, M, rf}      {type:'layer-figure', id, figure} | {..., error}
//   {type:'analyze-document', id, files, csv}             {type:'analyze-document', id, text} | {..., error}
//   {type:'layer-pool-size', id, cores, jobs, largestBytes} {type:'layer-pool-size', id, size}  (the engine's rule)
// file: a File (a handle: the worker reads its slices); shards: {path in the manifest: File}.
import { analyzeTensor, indexModel } from './read.js';

const messageOf = (err) => String(/** @type {any} */ (err)?.message || err);

/**
 * @param {import('../spiketail.mjs').SpiketailModule} engine
 * @param {any} msg
 * @param {(msg: any, transfer?: Transferable[]) => void} post
 */
export async function handleModelCommand(engine, msg, post) {
  const { id } = msg;
  try {
    switch (msg.type) {
      case 'model-formats':
        post({ type: 'model-formats', id, formats: msg.names.map((/** @type {string} */ n) => engine.modelFormatOf(n)) });
        break;
      case 'model-index': {
        const sizes = Object.fromEntries(Object.entries(msg.shards || {}).map(([k, f]) => [k, f.size]));
        post({ type: 'model-indexed', id, index: await indexModel(engine, msg.format, msg.file, sizes, msg.options || {}) });
        break;
      }
      case 'analyze-layer': {
        const t0 = performance.now();
        const chunk = JSON.parse(engine.methodConstants()).layer_read_chunk_bytes;
        const { row, eigenvalues } = await analyzeTensor(engine, msg.tensor, msg.file, msg.shards || {}, msg.options || {}, chunk);
        post({ type: 'layer-done', id, row: JSON.parse(row), eigenvalues, ms: performance.now() - t0 }, [eigenvalues.buffer]);
        break;
      }
      case 'layer-figure':
        post({ type: 'layer-figure', id, figure: JSON.parse(engine.layerFigure(msg.eigenvalues, msg.N, msg.M, msg.rf)) });
        break;
      case 'layer-pool-size':
        post({ type: 'layer-pool-size', id, size: engine.layerPoolSize(msg.cores, msg.jobs, msg.largestBytes) });
        break;
      case 'analyze-document':
        post({ type: 'analyze-document', id, text: engine.analyzeDocument(JSON.stringify(msg.files), !!msg.csv) });
        break;
      default:
        post({ type: msg.type, id, error: `unknown command ${msg.type}` });
    }
  } catch (err) {
    const type = { 'model-index': 'model-indexed', 'analyze-layer': 'layer-done' }[/** @type {string} */ (msg.type)] ?? msg.type;
    post({ type, id, error: messageOf(err) });
  }
}
