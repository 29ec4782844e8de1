// The page's handle on the training worker: sends commands, turns replies into callbacks and promises.
// Holds no math and never touches the wasm module itself (worker.js does).

export class Engine {
  // handlers: {ready, engineError, invalid, started, probe, state, error}
  constructor(handlers) {
    this.handlers = handlers;
    this.ready = false;
    this.info = null;
    this.pending = new Map();
    this.next_id = 1;
    try {
      this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
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
      case 'ready':
        this.ready = true;
        this.info = msg;
        h.ready?.(msg);
        break;
      case 'engine-error': h.engineError?.(msg.message); break;
      case 'invalid': h.invalid?.(msg.errors); break;
      case 'started': h.started?.(msg.config); break;
      case 'probe': h.probe?.(msg.record, msg.figures); break;
      case 'state': h.state?.(msg); break;
      case 'validation':
      case 'figures': {
        const resolve = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        resolve?.(msg.type === 'validation' ? msg.errors : msg.figures);
        break;
      }
      default: h.error?.(msg.message || `unexpected message ${msg.type}`);
    }
  }

  send(msg) { this.worker?.postMessage(msg); }

  request(msg) {
    const id = this.next_id++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ ...msg, id });
    });
  }

  init(config) { this.send({ type: 'init', config }); }
  step(count = 1) { this.send({ type: 'step', count }); }
  play(until) { this.send({ type: 'play', until }); }
  pause() { this.send({ type: 'pause' }); }
  reset() { this.send({ type: 'reset' }); }
  setNumSteps(count) { this.send({ type: 'num-steps', count }); }
  // [{field, message}] — empty when the config is valid and fits in memory.
  validate(config) { return this.request({ type: 'validate', config }); }
  // Histograms and MP curve for a stored probe record (an imported run).
  figures(config, record, initial) { return this.request({ type: 'figures', config, record, initial }); }
}
