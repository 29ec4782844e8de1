// The page's handle on the training worker: sends commands, turns replies into callbacks and promises.
// Holds no math and never touches the wasm module itself (worker.js does).
import { createRequester } from './requester.js';

export class Engine {
  // handlers: {ready, engineError, invalid, started, probe, state, error}
  constructor(handlers) {
    this.handlers = handlers;
    this.requests = createRequester((msg) => this.send(msg));
    try {
      // ?threads: this worker may load the threaded module (worker.js says when); the pools' workers do not.
      this.worker = new Worker(new URL('./worker.js?threads', import.meta.url), { type: 'module' });
    } catch (err) {
      queueMicrotask(() => handlers.engineError?.(`cannot start the training worker: ${err.message}`));
      return;
    }
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      handlers.engineError?.(e.message || 'the training worker failed to start');
    };
  }

  receive(msg) {
    const h = this.handlers;
    switch (msg.type) {
      case 'ready': h.ready?.(msg); break;
      case 'engine-error': h.engineError?.(msg.message); break;
      case 'invalid': h.invalid?.(msg.errors); break;
      case 'started': h.started?.(msg.config); break;
      case 'probe': h.probe?.(msg.record, msg.figures); break;
      case 'state': h.state?.(msg); break;
      case 'validation': this.requests.resolve(msg.id, msg.errors); break;
      case 'figures': this.requests.resolve(msg.id, msg.figures); break;
      case 'findings': this.requests.resolve(msg.id, msg.findings); break;
      case 'pinned': this.requests.resolve(msg.id, msg); break;
      default: h.error?.(msg.message || `unexpected message ${msg.type}`);
    }
  }

  send(msg) { this.worker?.postMessage(msg); }

  init(config) { this.send({ type: 'init', config }); }
  step(count = 1) { this.send({ type: 'step', count }); }
  play(until) { this.send({ type: 'play', until }); }
  pause() { this.send({ type: 'pause' }); }
  setNumSteps(count) { this.send({ type: 'num-steps', count }); }
  // [{field, message}] — empty when the config is valid and fits in memory.
  validate(config) { return this.requests.send({ type: 'validate', config }); }
  // Histograms and MP curve for a stored probe record (an imported run).
  figures(config, record, initial) { return this.requests.send({ type: 'figures', config, record, initial }); }
  // What runs ([{config, probes}]) and a sweep's runs show (RunsFindings, SweepFindings: wasm/spiketail.d.mts).
  runFindings(runs) { return this.requests.send({ type: 'run-findings', runs }); }
  sweepFindings(runs) { return this.requests.send({ type: 'sweep-findings', runs }); }
  // Pins a run to compare ({config, probes} or only {config}: computed in the worker): {run, error}.
  pin(run) { return this.requests.send({ type: 'pin', run }); }
  unpin() { this.send({ type: 'unpin' }); }
}
