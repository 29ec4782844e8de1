// Workers for the "Analyze weights" view (web/worker-pool.js):
//   ModelPlanner  one long-lived worker for the quick calls: which reader a file goes to, a file's index (its
//                 header only), the pool's size, a layer's figures, the analysis document (JSON or CSV)
//   LayerPool     W workers that take the layers in order, one at a time each; a File is posted, not its
//                 bytes: each worker reads its own layer's slices into its heap. cancel() terminates every
//                 worker at once.
// The pool's size is the engine's (layerPoolSize, core/pool_plan.hpp): one worker per core, at most 8, and few
// enough that the workers' heaps, each holding the largest layer's analysis, fit its memory budget.
import { RequestWorker, WorkerPool, coreCount } from '../worker-pool.js';

// A request to the planner: a reply with `error` rejects with that message, any other resolves with the reply.
async function ask(requests, msg) {
  const reply = await requests.send(msg);
  if (reply.error !== undefined) throw new Error(reply.error);
  return reply;
}

export class ModelPlanner extends RequestWorker {
  // onFail(message): the engine could not be loaded or the worker died.
  constructor({ onFail }) {
    super({ onFail }, 'analysis worker');
  }

  // File names -> the engine's reader of each ('' for none: a TF.js shard, or not a model file).
  async formats(names) {
    return (await ask(this.requests, { type: 'model-formats', names })).formats;
  }

  // A file's table of contents (ModelIndexResult "ok"); rejects with the engine's message naming the offset.
  async index(file, format, shards, options) {
    return (await ask(this.requests, { type: 'model-index', file, format, shards, options })).index;
  }

  // A layer's figures (EsdFigure) from its eigenvalues and its row's N, M, rf.
  async figure(eigenvalues, { N, M, rf }) {
    return (await ask(this.requests, { type: 'layer-figure', eigenvalues, N, M, rf })).figure;
  }

  // Workers for these jobs ([{tensor}]): the engine's rule from this device's cores, the job count and the
  // largest layer's memory (each tensor's memory_bytes, what one analysis holds in a heap).
  async poolSize(jobs) {
    const largestBytes = jobs.reduce((most, j) => Math.max(most, j.tensor.memory_bytes || 0), 0);
    return (await ask(this.requests, { type: 'layer-pool-size', cores: coreCount(), jobs: jobs.length, largestBytes })).size;
  }

  // The analysis document (AnalyzedFile[] in): its JSON text as the CLI writes it, or its CSV.
  async document(files, csv = false) {
    return (await ask(this.requests, { type: 'analyze-document', files, csv })).text;
  }
}

export class LayerPool extends WorkerPool {
  // handlers: onStart(job), onResult(job, {row, eigenvalues, ms} | {error}), onDone()

  // jobs: [{file, shards, tensor, options}], analysed first first, on `size` workers (ModelPlanner.poolSize).
  start(jobs, size) {
    this.startJobs(jobs, size);
  }

  post(worker, { file, shards, tensor, options }) {
    worker.postMessage({ type: 'analyze-layer', id: 1, file, shards, tensor, options });
  }

  handle(slot, msg) {
    if (msg.type !== 'layer-done') return;  // 'ready': the job waits behind the engine's loading
    this.handlers.onResult?.(slot.job, msg);
    this.done(slot, msg.error !== undefined);
  }

  failed(job, message) {
    this.handlers.onResult?.(job, { error: message });
  }
}
