// One analysis of the files the reader gave: which reader each goes to (the engine's modelFormatOf), their
// indexes (headers only, on the planner), then every layer on the pool, rows kept per file in file order as
// the engine's analysis document wants them (core/io/analyze_document.hpp). A TF.js model.json takes the
// files without a reader of their own as its shards; one left over is reported, as is any file that cannot
// be indexed: the others go on.
import { LayerPool } from './pool.js';

const NO_READER = 'no reader for this file: give .npy, .npz, .safetensors, .gguf, .csv or .tsv files, or a TF.js model.json ' +
  'together with the .bin shards it names';

// The row of a layer whose bytes could not be read or analysed (the engine's message): the same keys the
// engine's rows start with; analyzeDocument fills in the rest as null.
function failedRow(file, tensor, message) {
  return { file: file.name, name: tensor.name, kind: tensor.kind, shape: tensor.shape, dtype: tensor.dtype, status: 'failed', message };
}

export class Analysis {
  // onChange(): anything shown changed (throttled by the view); onDone(): every layer is in or cancelled.
  constructor(planner, { onChange, onDone }) {
    this.planner = planner;
    this.onChange = onChange;
    this.onDone = onDone;
    this.files = [];
    this.running = false;
    this.ticket = 0;
    this.pool = new LayerPool({
      onStart: (job) => this.started(job),
      onResult: (job, result) => this.finished(job, result),
      onDone: () => this.complete(),
    });
  }

  async start(fileList, options) {
    this.cancel();
    const ticket = ++this.ticket;
    const given = [...fileList];
    this.running = true;
    this.files = [];
    const formats = await this.planner.formats(given.map((f) => f.name));
    if (ticket !== this.ticket) return;
    const spare = {};  // files without a reader: a manifest's shards, by name
    given.forEach((f, i) => { if (!formats[i]) spare[f.name] = f; });
    this.files = given.map((file, i) => ({
      file, name: file.name, format: formats[i], bytes: file.size, state: formats[i] ? 'indexing' : 'unread',  // unread: a shard, or no reader
      error: null, note: '', index: null, shards: {}, results: [], eigenvalues: new Map(),
      layers: 0, layersDone: 0, bytesTotal: 0, bytesDone: 0, startedAt: 0, finishedAt: 0, workerMs: 0,
    }));
    this.onChange();
    const claimed = new Set();
    const jobs = [];
    for (const f of this.files.filter((x) => x.format)) {
      if (f.format === 'tfjs') f.shards = spare;
      try {
        f.index = await this.planner.index(f.file, f.format, f.shards, options);
      } catch (err) {
        if (ticket !== this.ticket) return;
        f.state = 'error';
        f.error = `${f.name}: ${err.message}`;
        this.onChange();
        continue;
      }
      if (ticket !== this.ticket) return;
      const missing = f.index.shards.filter((s) => !spare[s]);
      f.index.shards.forEach((s) => claimed.add(s));
      if (missing.length) f.note = `missing shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: give them together with ${f.name}`;
      f.results = f.index.tensors.map((t) => (t.analyze ? null
        : { name: t.name, kind: t.kind, shape: t.shape, status: 'skipped', message: t.skip_reason }));
      f.index.tensors.forEach((tensor, t) => {
        if (!tensor.analyze) return;
        jobs.push({ f, t, file: f.file, shards: f.shards, tensor, options });
        f.layers++;
        f.bytesTotal += tensor.byte_length;
      });
      f.state = f.layers ? 'queued' : 'done';
      this.onChange();
    }
    // A file without a reader that no manifest named: the reader should hear about it.
    this.files = this.files.filter((f) => f.format || !claimed.has(f.name));
    for (const f of this.files.filter((x) => !x.format)) Object.assign(f, { state: 'error', error: `${f.name}: ${NO_READER}` });
    this.onChange();
    if (!jobs.length) {
      this.complete();
      return;
    }
    let size;
    try {
      size = await this.planner.poolSize(jobs);
    } catch (err) {
      if (ticket !== this.ticket) return;
      for (const f of this.files.filter((x) => x.layers)) Object.assign(f, { state: 'error', error: `${f.name}: ${err.message}` });
      this.complete();
      return;
    }
    if (ticket !== this.ticket) return;
    this.pool.start(jobs, size);
  }

  started({ f }) {
    if (!f.startedAt) f.startedAt = performance.now();
    if (f.state === 'queued') f.state = 'running';
  }

  finished({ f, t, tensor }, result) {
    if (result.error !== undefined) {
      f.results[t] = failedRow(f.file, tensor, result.error);
    } else {
      f.results[t] = result.row;
      f.workerMs += result.ms;  // the workers' time on its layers (reading, decoding, analysing)
      if (result.eigenvalues?.length) f.eigenvalues.set(t, result.eigenvalues);
    }
    f.layersDone++;
    f.bytesDone += tensor.byte_length;
    if (f.layersDone === f.layers) {
      f.state = 'done';
      f.finishedAt = performance.now();
    }
    this.onChange();
  }

  complete() {
    this.running = false;
    this.onChange();
    this.onDone?.();
  }

  // Stops the pool now: layers in flight are dropped, the finished ones stay (in the table and the exports).
  cancel() {
    this.ticket++;
    const wasRunning = this.running;
    this.pool.cancel();
    this.running = false;
    for (const f of this.files) if (!['done', 'error'].includes(f.state)) f.state = 'cancelled';
    if (wasRunning) this.onChange();
  }

  // The layers to list: every tensor read, with its row once it is in (an npz member that turned out not to
  // be a layer leaves the list).
  layers() {
    const out = [];
    this.files.forEach((f, fileIndex) => {
      f.index?.tensors.forEach((tensor, t) => {
        if (!tensor.analyze) return;
        const row = f.results[t];
        if (row?.status === 'skipped') return;
        out.push({ key: `${fileIndex}:${t}`, fileIndex, t, tensor, row, state: f.state });
      });
    });
    return out;
  }

  eigenvaluesOf(fileIndex, t) {
    return this.files[fileIndex]?.eigenvalues.get(t) ?? null;
  }

  // AnalyzedFile[] for analyzeDocument (wasm/spiketail.d.mts).
  documentFiles() {
    return this.files.map((f) => ({
      file: f.name, format: f.format, bytes: f.bytes, tensors: f.index?.tensors.length ?? 0, error: f.error, results: f.results,
    }));
  }
}
