// The tour's engine: its own training worker (engine.js; the single-run view's is left alone), which runs a
// stage's configs one after the other from step 0 and hands back each run with its probe records and the
// latest figures, and the engine's findings of those runs (core/findings.hpp). No math here.
import { Engine } from '../engine.js';

export class TourRunner {
  // onProbe(index, run, figures): a probe of run `index` of the current batch arrived; onFail(message).
  constructor({ onProbe, onFail }) {
    this.onProbe = onProbe;
    this.onFail = onFail;
    this.ticket = 0;
    this.current = null;  // {run, figures, until, resolve, reject, ticket, index}
    this.ready = new Promise((resolve, reject) => {
      this.engine = new Engine({
        ready: () => resolve(),
        engineError: (message) => { this.failed = message; onFail?.(message); reject(new Error(message)); },
        invalid: (errors) => this.finish(new Error(errors.map((e) => `${e.field}: ${e.message}`).join('; '))),
        // Messages of a run this one replaced may still be on their way: a run's own start with 'started'.
        started: (config) => { if (this.current) { this.current.run.config = config; this.current.started = true; } },
        probe: (record, figures) => this.probe(record, figures),
        state: (s) => this.state(s),
        error: (message) => { onFail?.(message); this.finish(new Error(message)); },
      });
    });
    this.ready.catch(() => {});  // reported through onFail
  }

  // Runs each {config, until} in turn: resolves [{config, status, message, probes, figures}], or null when a
  // newer batch (or cancel) superseded this one.
  async runAll(jobs) {
    const ticket = ++this.ticket;
    this.engine.pause();
    await this.ready;
    const runs = [];
    for (const [index, job] of jobs.entries()) {
      if (ticket !== this.ticket) return null;
      const run = await new Promise((resolve, reject) => {
        this.current = { run: { config: job.config, status: 'ready', message: '', probes: [] }, figures: null,
          until: job.until, resolve, reject, ticket, index };
        this.engine.init(job.config);
        if (job.until > 0) this.engine.play(job.until);
      });
      if (!run) return null;
      runs.push(run);
    }
    return ticket === this.ticket ? runs : null;
  }

  cancel() {
    this.ticket++;
    this.engine?.pause();
    this.finish(null);
  }

  probe(record, figures) {
    const c = this.current;
    if (!c?.started || c.ticket !== this.ticket) return;
    const probes = c.run.probes;
    if (probes.at(-1)?.step !== record.step) probes.push(record);
    c.figures = figures;
    this.onProbe?.(c.index, c.run, figures);
  }

  // The worker's state after each tick: the run is over when it stopped at its last step or diverged.
  state(s) {
    const c = this.current;
    if (!c?.started || s.running) return;
    if (s.step >= c.until || s.status === 'diverged' || s.status === 'error') {
      c.run.status = s.status === 'ready' ? 'finished' : s.status;
      c.run.message = s.message;
      this.finish({ ...c.run, figures: c.figures });
    }
  }

  finish(result) {
    const c = this.current;
    if (!c) return;
    this.current = null;
    if (result instanceof Error) c.reject(result);
    else c.resolve(c.ticket === this.ticket ? result : null);
  }

  // The engine's findings of runs [{config, probes}] (RunsFindings) and of a sweep's runs (SweepFindings).
  async runFindings(runs) {
    await this.ready;
    return this.engine.runFindings(runs.map((r) => ({ config: r.config, probes: r.probes })));
  }

  async sweepFindings(runs) {
    await this.ready;
    return this.engine.sweepFindings(runs);
  }
}
