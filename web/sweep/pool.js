// Workers for the sweep view (web/worker-pool.js):
//   Planner     one long-lived worker that expands and validates sweep documents (expandSweep), computes
//               the sweep's statistics (summarizeSweep), collects files onto the grid (collectSweep), makes
//               the sweep's document (sweepDocument), lays out its file (formatDocument) and sizes the pool
//               (runPoolSize)
//   SweepPool   W workers that take the runs in the given order, one at a time each, to their end;
//               cancel() terminates every worker at once (a run in flight is lost, finished ones are kept)
import { RequestWorker, WorkerPool } from '../worker-pool.js';

export { MAX_WORKERS, coreCount, defaultWorkers } from '../worker-pool.js';

export class Planner extends RequestWorker {
  // onFail(message): the engine could not be loaded.
  constructor({ onFail }) {
    super({ onFail }, 'sweep planner');
  }

  reply(msg) {
    if (msg.type === 'expanded') this.requests.resolve(msg.id, msg);
    if (msg.type === 'summary') this.requests.resolve(msg.id, msg.summary);
    if (msg.type === 'formatted') this.requests.resolve(msg.id, msg.text);
    if (msg.type === 'run-pool-size') this.requests.resolve(msg.id, msg.size);
    if (msg.type === 'collected' || msg.type === 'sweep-document') this.requests.resolve(msg.id, msg);
  }

  // A sweep document -> {ok, errors: [{field, message}], runs: [{config, optimizer, lr, repeat, param, value}],
  // config (the document's resolved config), memory (the largest run's bytes)}
  expand(sweep) {
    return this.requests.send({ type: 'expand-sweep', sweep });
  }

  // Runs [{optimizer, lr, repeat, param, value, status?, probes}] -> the engine's mean ± std over repeats
  // (SweepSummary in wasm/spiketail.d.mts).
  summarize(runs) {
    return this.requests.send({ type: 'summarize-sweep', runs });
  }

  // Sweep documents onto one grid, with merge's checks (collectSweep in wasm/spiketail.d.mts):
  // {documents: [{name, document}], sweep?, rerun_errors?, record?} -> {ok, errors, notes, sweep_id, record,
  // config, runs, memory, entries: [entry | null per run], missing: [index], duplicates}
  collect(request) {
    return this.requests.send({ type: 'collect-sweep', request });
  }

  // {sweep: its config, entries: [entry | null per run], record?} -> {ok, errors, document}: the document
  // `spiketail sweep` writes, partial ({config, partial, runs}) when entries are missing.
  sweepDocument(request) {
    return this.requests.send({ type: 'sweep-document', request });
  }

  // Workers to start for `runs` runs of at most `bytesPerRun` bytes each when `requested` are asked for
  // (the engine's runPoolSize).
  poolSize(requested, runs, bytesPerRun) {
    return this.requests.send({ type: 'run-pool-size', requested, runs, bytesPerRun });
  }

  // A document -> its text, laid out as the CLI writes its files.
  format(document) {
    return this.requests.send({ type: 'format-document', document });
  }
}

export class SweepPool extends WorkerPool {
  // handlers: onStart(index), onStep(index, step), onResult(index, {status, message, probes, ms}), onDone()
  constructor(handlers) {
    super(handlers);
    this.configs = [];
  }

  // configs[i] is run i; `order` lists the indices to run, first first.
  start(configs, order, size) {
    this.configs = configs;
    this.startJobs(order, size);
  }

  post(worker, index) {
    worker.postMessage({ type: 'run', id: index, config: this.configs[index] });
  }

  handle(slot, msg) {
    if (msg.type === 'run-step') this.handlers.onStep?.(msg.id, msg.step);
    if (msg.type !== 'run-done') return;
    const { status, message, probes, ms } = msg;
    this.handlers.onResult?.(msg.id, { status, message, probes, ms });
    this.done(slot, status === 'error');
  }

  failed(index, message) {
    this.handlers.onResult?.(index, { status: 'error', message, probes: [], ms: 0 });
  }
}
