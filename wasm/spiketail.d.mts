// spiketail's WebAssembly API (embind). Hand-written: emscripten 3.1.6 has no --emit-tsd.
// Every document crossing the boundary is JSON in the schema of docs/schema.md; large arrays come back
// as typed arrays copied out of the wasm heap (safe to keep and to post out of a Worker).
//
// Errors. Documented invalid input — a config, a sweep, a matrix that does not fit — comes back as a status
// value with a message naming the field ({ok: false, errors} documents, Session.ok() false). A call that is
// wrong in itself throws a JS Error whose message names the function and the argument: a TypeError for an
// argument of the wrong type (a number argument that is NaN counts as one: embind turns "abc" into NaN), a
// RangeError for a number out of range, an Error for a call on a refused Session; embind itself throws a
// BindingError for a wrong number of arguments. A refused call allocates nothing: the wasm heap does not grow.
// Sizes are capped before anything is allocated: maxMemoryBytes() for a run, a matrix's analysis and an array
// copied in; 1,000,000 histogram bins (k_max_histogram_bins, core/spectrum.hpp); a sweep's runs and lists
// (core/sweep.hpp); JSON documents (core/io/json_document.hpp for configs and sweeps, 256 Mi characters for the
// others).

export interface FieldError { field: string; message: string; }
export interface Validation { ok: boolean; errors: FieldError[]; config?: Record<string, unknown>; }

/** What one tick of the run's schedule did. */
export interface Advance { stepped: boolean; probed: boolean; }

/** A curve or a density histogram, in the units of its figure's axes. */
export interface Curve { x: number[]; y: number[]; }
export interface HistogramData { edges: number[]; density: number[]; }
/** The ESD figures of one probe (core/figures.hpp): what the page draws, as it draws it. */
export interface EsdFigure {
  /** Eigenvalues at or below the floor (1e-5), left out of every figure. */
  dropped: number;
  /** What the histograms cover (the x axes): log10 λ in quarter decades, grown over a run, never narrowed. */
  range: { log: [number, number]; linear: [number, number] } | null;
  /** The MP law of the bulk now (its variance fitted to the median eigenvalue): edges and spike threshold. */
  bulk: { lower: number; upper: number; threshold: number; variance: number } | null;
  /** The spikes, descending: above bulk.threshold and apart from the bulk by a gap; the probe's num_spikes of them. */
  spikes: number[];
  /** Over log10 λ: density per unit log10 λ. */
  log: { current: HistogramData | null; initial: HistogramData | null; mp: Curve | null; hill: Curve | null; ks: Curve | null };
  /** Over λ. */
  linear: { current: HistogramData | null; initial: HistogramData | null; mp: Curve | null };
  /** P(Λ ≥ λ): the eigenvalues' and each fit's. */
  ccdf: { empirical: Curve | null; hill: Curve | null; ks: Curve | null };
}
/** Entries of W now and at initialisation, on common bins. */
export interface WeightFigure { edges: number[]; current: number[]; initial: number[]; }

// ---- Analyze weights: any model file, read tensor by tensor (docs/method.md §14-15, docs/limits.md) ----

/** Formats modelIndex reads. "tfjs": a model.json or *weights_manifest.json (its shards are other files). */
export type ModelFormat = "npy" | "npz" | "safetensors" | "gguf" | "tfjs" | "csv" | "tsv";
/** Bytes the page has read from one file, at their offset in it (File.slice(offset, offset + n)). */
export interface ByteChunk { offset: number; bytes: Uint8Array; }
/** A byte range of a file: of the indexed file itself when file is "", else of the TF.js shard of that path. */
export interface ByteRange { file: string; offset: number; length: number; }
/**
 * One tensor of the file, as modelIndex lists it. Pass the object back to analyzeLayer unchanged.
 * An npz member not yet read has dtype "unknown", shape [] and kind "pending": its own .npy header (inside the
 * member, which may be deflated) gives them when analyzeLayer reads it.
 */
export interface TensorEntry {
  name: string;
  dtype: "F16" | "BF16" | "F32" | "F64" | "U8" | "U16" | "I32" | "Q8_0" | "unknown";
  shape: number[];
  encoding: "raw" | "npy" | "text";
  fortran_order: boolean; big_endian: boolean;
  /** "deflate": inflate the concatenated ranges (DecompressionStream("deflate-raw")) to inflated_length bytes. */
  compression: "none" | "deflate";
  inflated_length: number;
  text_separator: string;
  quantized: boolean; scale: number; min: number;
  /** Concatenated in order they are the tensor's stored bytes (a TF.js weight may straddle two shards). */
  ranges: ByteRange[];
  byte_length: number;
  /** Why this tensor cannot be read, or null. */
  error: string | null;
  /** WeightWatcher's layer type: dense, conv2d, embedding, bias, norm, other; "pending" for an unread npz member. */
  kind: string;
  /** Whether to read and analyse it: readable, selected by options.layers, and a layer by WW's rules and sizes. */
  analyze: boolean;
  skip_reason: string | null;
  N: number; M: number; rf: number; num_evals: number;
  /**
   * The most memory analyzeLayer or a LayerBuffer takes for this tensor, in bytes (its bytes, their float32
   * values unless the bytes become them — float32 does —, a Conv2D kernel's slices and the Gram's work space;
   * an unread npz member's from its declared size); 0 when analyze is false. The page sizes its pool by it
   * (layerPoolSize).
   */
  memory_bytes: number;
}
/** A tensor's bytes in the heap (layerBuffer); an embind object: call delete() when done. */
export interface LayerBuffer {
  /** Its size in bytes. */
  length(): number;
  /**
   * A Uint8Array over bytes [offset, offset + length) of the buffer in the heap; valid until the next call into
   * the module (the heap may grow and move): write into it at once.
   * @throws {RangeError} the range is outside the buffer. @throws {Error} the buffer was analysed already.
   */
  view(offset: number, length: number): Uint8Array;
  /**
   * analyzeLayer's result from the bytes written; the buffer is empty afterwards.
   * @throws {TypeError} fileName not a string. @throws {Error} the buffer was analysed already.
   */
  analyze(fileName: string): { row: string; eigenvalues: Float64Array };
  delete(): void;
}
export type ModelIndexResult =
  | { status: "need"; need: { offset: number; length: number }[] }
  | { status: "ok"; format: ModelFormat; shards: string[]; tensors: TensorEntry[] };
/** Which tensors are layers (WeightWatcher's defaults: minSize 10, maxEvals 15000, maxN 50000; 0 = no bound). */
export interface LayerOptions { minSize?: number; maxEvals?: number; maxN?: number; skipEmbeddings?: boolean; }
export interface ModelIndexOptions extends LayerOptions {
  /** A JS regular expression; tensors whose name it does not match (RegExp.test) are listed, not analysed. */
  layers?: string;
  /** tfjs: the size in bytes of each shard found beside model.json, keyed by its path as "paths" writes it. */
  shardSizes?: Record<string, number>;
}
/**
 * One row of the analysis table: the same object as a layer of `spiketail analyze`'s document (docs/schema.md,
 * "Analyze document"): file, name, kind, shape, dtype, status ("success" | "failed" | "skipped"), message, N, M,
 * Q, rf, num_evals, lambda_max, spectral_norm, norm, log_norm, log_spectral_norm, alpha, xmin, xmax, D, sigma,
 * alpha_weighted, log_alpha_norm, stable_rank, entropy, mp_softrank, num_pl_spikes, num_spikes, mp_variance,
 * mp_lambda_minus, mp_lambda_plus, alpha_hill, warning; null where a value does not apply.
 */
export type LayerRow = Record<string, number | string | number[] | null>;
/** One file of an analysis as analyzeDocument takes it (core/io/analyze_document.hpp). */
export interface AnalyzedFile {
  file: string; format: ModelFormat | ""; bytes: number; tensors: number; error: string | null;
  results: (LayerRow | null)[];
}

export interface Session {
  /**
   * false when the config was refused (not a string, not JSON, a field out of range, or a run above
   * maxMemoryBytes()); error() then holds the JSON array of FieldError.
   */
  ok(): boolean;
  error(): string;
  /**
   * One tick of the run's schedule: the first tick probes step 0, every later one takes a step and probes
   * when the schedule says so (every probe_every steps and the last step); a diverged or finished run does nothing.
   */
  advance(): Advance;
  /** True while advance() would do something. */
  canAdvance(): boolean;
  /**
   * Tick to the end; onTick(step) after each tick unless null. Returns the run document as JSON
   * ({config, status, message, probes}); detail adds eigenvalues, v_beta_overlap and update to each probe.
   * "{}" for a refused session. A throw from onTick stops the run after that tick (the session stays usable)
   * and reaches the caller (a thrown non-Error as an Error naming it).
   * @throws {TypeError} onTick is neither a function nor null.
   */
  runToEnd(detail: boolean, onTick: ((step: number) => void) | null): string;
  /** The last probe's record as JSON ("{}" before any); detail as in runToEnd. */
  lastRecord(detail: boolean): string;
  /**
   * Take up to k optimiser steps without probing, never past the step budget (num_steps): a k beyond it takes
   * the steps left, so a finished run takes 0 (raise the budget with setNumSteps to go on). Stops on
   * divergence. Returns the steps taken.
   * @throws {TypeError} k is NaN (or not a number).
   * @throws {RangeError} k is not an integer >= 0.
   * @throws {Error} the session was refused (ok() is false).
   */
  step(k: number): number;
  /** Probe now, whatever the schedule: a JSON probe record (detail as in runToEnd). */
  probe(detail: boolean): string;
  stepCount(): number;
  /**
   * Raise (or lower) the step budget, e.g. to continue a finished run.
   * @throws {TypeError} n is NaN (or not a number).
   * @throws {RangeError} n is not an integer in 0..2^31 - 1.
   * @throws {Error} the session was refused (ok() is false).
   */
  setNumSteps(n: number): void;
  /** "ready" | "finished" | "diverged" | "error" */
  status(): string;
  message(): string;
  /** The resolved config as JSON. */
  config(): string;
  /** Arrays of the latest probe (empty before the first probe). */
  eigenvalues(): Float32Array;
  initialEigenvalues(): Float32Array;
  updateSingularValues(): Float32Array;
  vBetaOverlap(): Float32Array;
  /** The last probe's ESD figures: JSON EsdFigure ("{}" before any probe). */
  esdFigure(): string;
  /**
   * Widens the range the ESD figures bin over to hold [logLo, logHi] (log10 λ), e.g. a pinned run's, so that
   * both runs share the bins. Never narrows it.
   * @throws {TypeError} an end is NaN. @throws {RangeError} an end is not finite, or logLo >= logHi.
   */
  widenEsdRange(logLo: number, logHi: number): void;
  /** Entries of W now and at initialisation on 60 common bins: JSON WeightFigure ("null" for a refused session). */
  weightFigure(): string;
  delete(): void;
}

/** One config field (core/config_schema.hpp): what the form and every validator know of it. */
export interface ConfigField {
  key: string;                 // dotted for nested fields: "lr_scheduler.gamma"
  type: 'int' | 'number' | 'bool' | 'choice';
  default: number | boolean | string;
  min?: number | null; max?: number | null; min_exclusive?: boolean; max_exclusive?: boolean;
  max_expression?: string;     // a bound that depends on other fields, e.g. "min(h, d)"
  rule?: string;               // the range as messages say it: "must be finite and > 0"
  choices?: string[];
  meaning: string;
}

/** Mean and population standard deviation over a group's repeats; count = finite values that entered. */
export interface MetricStats { mean: number; std: number; count: number; }
/** One (optimizer, lr, value) of a sweep and its statistics (core/sweep_stats.hpp). */
export interface SweepGroup {
  optimizer: string; lr: number; param: string | null; value: number | null;
  /** Indices into the runs given: all of the group's, those that count (finished), those left out. */
  runs: number[]; finished: number[]; left_out: number[];
  /** Per metric, over the finished runs' last probes; null without a finite value. */
  last: Record<string, MetricStats | null>;
  steps: number[];
  per_step: Record<string, (MetricStats | null)[]>;
}
export interface SweepSummary { metrics: string[]; groups: SweepGroup[]; }

/** The first update M = W_t − W_{t−1} of a run's last probe (core/findings.hpp); numbers null when not finite. */
export interface UpdateFindings {
  step: number; lr: number | null;
  /** ‖M‖_F, σ₁(M), σ₁²/‖M‖_F², and η√(hd): the norm of ±η in every entry (Adam's first update). */
  norm: number | null; top: number | null; top_share: number | null; sign_norm: number | null;
  /** ⟨u₁(W_t), u₁(M)⟩² and ⟨v₁(W_t), v₁(M)⟩²; *_prev_top: the same with W_{t−1}. */
  u_overlap_top: number | null; v_overlap_top: number | null;
  u_overlap_prev_top: number | null; v_overlap_prev_top: number | null;
  /** top_share > 1/2; aligned: both top overlaps with W_t above 1/2 (cos² > 1/2). */
  near_rank_one: boolean; aligned: boolean;
}
/** What one run shows: first probe against last (core/findings.hpp). */
export interface RunFindings {
  ok: boolean; message?: string;
  first_step: number; last_step: number;
  lambda_max_initial: number | null; lambda_max: number | null;
  mp_lower: number | null; mp_upper: number | null; mp_threshold: number | null;
  /** λ_max / MP upper edge. */
  edge_ratio: number | null;
  /** How many of the first probe's eigenvalues lie inside [mp_lower, mp_threshold] (0 without eigenvalues). */
  bulk_count: number; eigenvalue_count: number;
  inside_bulk_initial: boolean; spike: boolean; num_spikes: number; beyond_threshold: number;
  /** sim(W, β*) at the first and last probe; sim_gain = last / first; sim_rises: last > first. */
  sim_initial: number | null; sim: number | null; sim_gain: number | null; sim_rises: boolean;
  alpha_hill_initial: number | null; alpha_hill: number | null; alpha_ks: number | null; ks_xmin: number | null;
  /** 1 − α_KS: the slope of the fitted tail on the log–log CCDF. */
  ks_slope: number | null;
  train_loss: number | null; test_loss: number | null;
  /** α_Hill < heavy_tail_alpha at the last probe; alpha_crosses: ≥ it at the first probe and < it later. */
  heavy_tail: boolean; alpha_crosses: boolean; first_heavy_step: number | null; heavy_tail_alpha: number;
  /** α_Hill lower at the last probe than at the first. */
  alpha_falls: boolean;
  update: UpdateFindings | null;
}
export interface RunsFindings {
  runs: RunFindings[];
  /** Run i's first update against run 0's: ‖M_0‖/‖M_i‖ and the η at which run i's update is as large. */
  versus_first: ({ update_norm_ratio: number | null; lr_to_match: number | null } | null)[];
}
export interface OptimizerCurveFindings {
  optimizer: string; lrs: number[];
  alpha_hill_smallest_lr: number | null; alpha_hill_largest_lr: number | null;
  alpha_hill_min: number | null; alpha_hill_min_lr: number | null;
  /** The first η whose mean α_Hill is below heavy_tail_alpha; null: none on the grid. */
  first_heavy_lr: number | null;
  sim_smallest_lr: number | null; sim_max: number | null; sim_max_lr: number | null;
}
export interface SweepFindings {
  curves: OptimizerCurveFindings[];
  /** GD's first heavy η / Adam's; null unless both exist. */
  heavy_lr_ratio: number | null;
  param: string | null;
  points: { value: number | null; train_loss: number | null; test_loss: number | null; alpha_hill: number | null }[];
  /** The step of the study's last probe (0 without a study). */
  last_step: number;
  /** +1: rises with the value at every step, −1: falls, 0: neither. */
  test_loss_trend: number; alpha_hill_trend: number;
  heavy_tail_alpha: number;
}

export interface SpiketailModule {
  /** A session of the config; a refused config gives a Session whose ok() is false (it does not throw). */
  Session: { new (configJson: string): Session };
  /** The study's single-run defaults as JSON. */
  defaultConfig(): string;
  /** Every config field with its type, default and range: JSON ConfigField[]. */
  configSchema(): string;
  /**
   * The method's constants a front end shows or uses: JSON {eigenvalue_floor, min_fit_eigenvalues,
   * heavy_tail_alpha, no_power_law_alpha, max_memory_bytes, max_pool_workers, default_pool_workers,
   * run_pool_memory_budget_bytes, layer_pool_memory_budget_bytes, layer_read_chunk_bytes} (the last five:
   * core/pool_plan.hpp, the page's worker pools and how a worker reads a layer into its heap).
   */
  methodConstants(): string;
  /**
   * JSON Validation; the resolved config when ok. An invalid config (also one above maxMemoryBytes(): field
   * "memory") is a status, not a throw.
   * @throws {TypeError} configJson is not a string.
   */
  validateConfig(configJson: string): string;
  /**
   * Bytes the run's arrays need, also above maxMemoryBytes() (such a config is refused by validateConfig and
   * new Session, with the field "memory").
   * @throws {Error} a field of the config is invalid (the estimate would be of another config): the message
   *   lists the errors and the Error's `errors` property holds them as FieldError[]; call validateConfig first.
   * @throws {TypeError} configJson is not a string.
   */
  estimateMemory(configJson: string): number;
  maxMemoryBytes(): number;
  /**
   * Spectral analysis of any matrix (row-major rows x cols): JSON {ok: true, ...the spectral fields of a probe
   * record (no step, lr, losses, kta or sim_w_beta), eigenvalues}. A matrix that does not fit is a status
   * {ok: false, error}: the analysis would need more than maxMemoryBytes() (checked from rows and cols before
   * anything is copied), values.length is not rows x cols, an entry is not finite, or the heap cannot grow now.
   * @throws {TypeError} values is not a typed array of numbers, or rows or cols is NaN.
   * @throws {RangeError} rows or cols is not an integer >= 1.
   */
  analyzeMatrix(values: Float32Array, rows: number, cols: number): string;
  /**
   * Density histogram: JSON {edges, density}; lo >= hi uses the values' range (non-finite values are left out).
   * @throws {TypeError} values is not a typed array of numbers, or bins, lo or hi is NaN.
   * @throws {RangeError} bins is not an integer in 1..1000000, lo or hi is infinite, or the values' copy would
   *   be above maxMemoryBytes() or the heap cannot hold it now.
   */
  histogram(values: Float64Array, bins: number, lo: number, hi: number): string;
  /**
   * Marchenko-Pastur density of the eigenvalues of W^T W for rows x cols i.i.d. entries of the given variance
   * (0 outside the support, ±Infinity included).
   * @throws {TypeError} x is not a typed array of numbers, an x is NaN, or rows, cols or variance is NaN.
   * @throws {RangeError} rows, cols or variance is not a finite number > 0, or x is too large to copy (as histogram).
   */
  mpDensity(x: Float64Array, rows: number, cols: number, variance: number): Float64Array;
  /**
   * The ESD figures of a stored probe record (with eigenvalues) of a run with this config: JSON EsdFigure.
   * Text that is not JSON, or a record without eigenvalues, leaves the curves out.
   * @throws {TypeError} configJson or recordJson is not a string, or initialEigenvalues not a typed array.
   */
  esdFigureOf(configJson: string, recordJson: string, initialEigenvalues: Float64Array): string;
  /**
   * As esdFigureOf, binned over [logLo, logHi] (log10 λ) widened by the record's and initial eigenvalues: a
   * pinned run drawn on the live run's bins.
   * @throws {TypeError} a document is not a string, initialEigenvalues not a typed array, an end NaN.
   * @throws {RangeError} an end is not finite, or logLo >= logHi.
   */
  esdFigureIn(configJson: string, recordJson: string, initialEigenvalues: Float64Array, logLo: number, logHi: number): string;
  /**
   * [logLo, logHi] widened to hold the eigenvalues above the floor, snapped outwards to quarter decades (pass
   * logLo >= logHi for "no range yet"): [lo, hi], or [] when there is still nothing in it.
   * @throws {TypeError} eigenvalues is not a typed array, or an end is NaN. @throws {RangeError} an end is infinite.
   */
  growEsdRange(eigenvalues: Float64Array, logLo: number, logHi: number): Float64Array;
  /**
   * Statistics of a sweep's runs ([{optimizer, lr, repeat, param, value, status, probes}], a run without
   * status has not finished): JSON SweepSummary.
   * @throws {TypeError} runsJson is not a string.
   */
  summarizeSweep(runsJson: string): string;
  /**
   * What runs show, as the page's guided tour states it (core/findings.hpp, docs/method.md §13): run documents
   * ([{config, probes}], detail records) in, JSON RunsFindings out. Entries that are not runs give {ok: false}.
   * @throws {TypeError} runsJson is not a string.
   */
  runFindings(runsJson: string): string;
  /**
   * What a sweep shows (core/findings.hpp), from its runs as summarizeSweep takes them: JSON SweepFindings.
   * @throws {TypeError} runsJson is not a string.
   */
  sweepFindings(runsJson: string): string;
  /**
   * A JSON document laid out as the CLI writes its files (one item a line at the top levels); "" if not JSON.
   * @throws {TypeError} json is not a string.
   * @throws {RangeError} json nests deeper than 64 levels (a run or sweep document has 5).
   */
  formatDocument(json: string): string;
  /**
   * Expand a sweep config into its runs: JSON {ok, errors, runs: [{config, optimizer, lr, repeat, param, value}],
   * config, memory}: config is the sweep document's resolved config as `spiketail sweep` writes it, memory the
   * largest run's estimate in bytes. An invalid sweep is a status ({ok: false, errors}, no runs), among them one
   * of more runs or longer lists than the sweep caps allow (core/sweep.hpp), refused before anything is expanded.
   * @throws {TypeError} sweepJson is not a string.
   */
  expandSweep(sweepJson: string): string;
  /**
   * Sweep documents (a `spiketail sweep` file, shards of one, the page's export, complete or partial) collected
   * onto one grid, with merge's checks (core/io/sweep_collect.hpp): requestJson is {documents: [{name, document}],
   * sweep?: a sweep config they must belong to (else the first document's), rerun_errors?: runs in error count as
   * missing, record?: what every partial document's probes must hold}. JSON {ok, errors: [{field, message}],
   * notes: [string], sweep_id, record, config, runs, memory, entries: [entry | null per run], missing: [index],
   * duplicates}; config, runs and memory as expandSweep's; not ok: only ok, errors and notes. A document of another
   * sweep is an error naming it.
   * @throws {TypeError} requestJson is not a string.
   * @throws {RangeError} requestJson nests deeper than 64 levels.
   */
  collectSweep(requestJson: string): string;
  /**
   * The sweep document of a grid's entries, as `spiketail sweep` writes it: requestJson is {sweep: a sweep config,
   * entries: [entry | null per run], record?: "default" | "eigenvalues" | "detail"}. JSON {ok, errors, document}:
   * {config, runs} when every entry is there, else {config, partial, runs} (docs/schema.md, "Partial sweep").
   * @throws {TypeError} requestJson is not a string.
   * @throws {RangeError} requestJson nests deeper than 64 levels.
   */
  sweepDocument(requestJson: string): string;
  version(): string;
  /** The threads the products and the ESD's reduction run on: 1 in the single-thread module (spiketail.mjs). */
  threads(): number;
  /**
   * Sets threads() in the threaded module (spiketail-threads.mjs), at most methodConstants().max_threads and at
   * most 1 + the helperThreads given to its factory (each a Web Worker started with it); returns threads(). In
   * the single-thread module it changes nothing and returns 1. Results do not depend on it (docs/method.md §9).
   * @throws {TypeError} threads is not a number. @throws {RangeError} threads is not an integer in [1, max_threads].
   */
  setThreads(threads: number): number;
  /**
   * The table of contents of a model file, from its header bytes, in rounds. The page never holds the file:
   *
   * options is required by embind's argument count: pass {} (or undefined) for WeightWatcher's defaults.
   *
   *   let chunks = [], r;
   *   while ((r = JSON.parse(m.modelIndex(format, file.name, file.size, chunks, options))).status === "need")
   *     for (const {offset, length} of r.need)
   *       chunks.push({offset, bytes: new Uint8Array(await file.slice(offset, offset + length).arrayBuffer())});
   *
   * npy and safetensors take 1-2 rounds (the header), gguf a few (prefixes of 1 MiB, doubling, up to 256 MiB:
   * its metadata has no length field), npz up to 5 (the zip's tail, zip64 record, central
   * directory, local headers, stored members' .npy headers), csv/tsv and tfjs one (the whole text, capped).
   * For tfjs pass options.shardSizes (the files dropped with model.json). Then, for each tensor with analyze
   * true: read its ranges (File.slice of the file, or of the shard named by range.file), concatenate them,
   * inflate them when compression is "deflate" (new DecompressionStream("deflate-raw"), stopping with an error
   * as soon as the output exceeds inflated_length: that is a zip bomb), and call analyzeLayer. Returns JSON
   * ModelIndexResult.
   * @throws {Error} the file is malformed, truncated or hostile: the message names what and where (byte
   *   offset, tensor name), e.g. "safetensors: tensor 'h.0.w' has data_offsets [0, 36] outside the 32 data bytes".
   * @throws {TypeError} an argument of the wrong type (chunks not [{offset, bytes: Uint8Array}], ...).
   * @throws {RangeError} format unknown, fileSize or an option not an integer >= 0, a chunk past fileSize, or
   *   chunks above a quarter of maxMemoryBytes().
   * @throws {SyntaxError} options.layers is not a regular expression.
   */
  modelIndex(format: ModelFormat, fileName: string, fileSize: number, chunks: ByteChunk[], options: ModelIndexOptions | undefined): string;
  /**
   * Decode and analyse one tensor from its bytes (the concatenation of entry.ranges, inflated when deflated):
   * row is JSON LayerRow (status "skipped" when the tensor turns out not to be a layer, "failed" with a message
   * when it cannot be decoded, holds a NaN or infinity, or has no power-law fit); eigenvalues is the pooled ESD
   * (ascending, empty when not analysed) for layerFigure. Only this one tensor is in the heap. options: as
   * modelIndex's (pass the same, or {}); the name filter was applied by modelIndex.
   * @throws {TypeError} bytes is not a Uint8Array, tensor not an entry of modelIndex, fileName not a string.
   * @throws {RangeError} the analysis would need more than maxMemoryBytes(), or the heap cannot grow to it now.
   * @throws {Error} a deflated member's bytes are not inflated_length long.
   */
  analyzeLayer(bytes: Uint8Array, tensor: TensorEntry, fileName: string, options: LayerOptions | undefined): { row: string; eigenvalues: Float64Array };
  /**
   * A buffer in the heap for one tensor's bytes (entry.ranges concatenated, or a deflated member's
   * inflated_length bytes), so that the page reads them straight into the heap instead of into a Uint8Array
   * that analyzeLayer would copy: write each slice read through buffer.view(offset, length).set(slice), then
   * buffer.analyze(fileName) — a float32 tensor is analysed in the buffer itself — and buffer.delete().
   * options: as analyzeLayer's. Throws as analyzeLayer does when the analysis would not fit, before allocating.
   */
  layerBuffer(tensor: TensorEntry, options: LayerOptions | undefined): LayerBuffer;
  /**
   * How many workers the Analyze view runs (core/pool_plan.hpp): one per core up to
   * methodConstants().default_pool_workers, no more than jobs, and few enough that as many analyses of
   * largestBytes (the largest memory_bytes) fit methodConstants().layer_pool_memory_budget_bytes; at least 1.
   * @throws {TypeError|RangeError} cores or jobs not an integer >= 0, largestBytes not finite.
   */
  layerPoolSize(cores: number, jobs: number, largestBytes: number): number;
  /**
   * How many workers the sweep view runs (core/pool_plan.hpp): the workers requested, no more than
   * methodConstants().max_pool_workers nor runs, and few enough that as many runs of bytesPerRun (the plan's
   * memory) fit methodConstants().run_pool_memory_budget_bytes; at least 1.
   * @throws {TypeError|RangeError} requested or runs not an integer >= 0, bytesPerRun not finite.
   */
  runPoolSize(requested: number, runs: number, bytesPerRun: number): number;
  /**
   * The figures of a layer from its eigenvalues and its row's N, M and rf: JSON EsdFigure (log and linear ESD
   * histograms with the MP law of the layer's entry variance, the KS and Hill power-law lines, the tail CCDF;
   * no "initial" histogram).
   * @throws {TypeError} eigenvalues not a typed array of numbers, or holds NaN; N, M or rf NaN.
   * @throws {RangeError} N, M or rf not an integer >= 1; eigenvalues too large to copy.
   */
  layerFigure(eigenvalues: Float64Array, N: number, M: number, rf: number): string;
  /**
   * The reader of a file, from its name: .npy .npz .safetensors .gguf .csv .tsv/.tab, any .json as a TF.js manifest;
   * "" when none reads it (a TF.js shard, e.g. group1-shard1of1.bin, which its model.json names).
   * @throws {TypeError} fileName is not a string.
   */
  modelFormatOf(fileName: string): ModelFormat | "";
  /**
   * The analysis document of several files, as `spiketail analyze` writes it (docs/schema.md, "Analyze
   * document"): filesJson is a JSON array of AnalyzedFile; each file's results are its rows in file order: analyzeLayer's
   * rows, and for a tensor modelIndex did not select {name, kind, shape, status: "skipped", message: its skip_reason};
   * null entries (not analysed yet: a cancelled analysis) are left out. Returns the
   * JSON document laid out as the CLI's files, with each file's summary (the means of WeightWatcher's summary
   * columns over its layers), or with csv true the CSV of its layers.
   * @throws {TypeError} filesJson is not a string or not an array of AnalyzedFile (the message names the field),
   *   csv not a boolean.
   * @throws {RangeError} filesJson is longer than a result document may be, or nests deeper than 64 levels.
   */
  analyzeDocument(filesJson: string, csv: boolean): string;
}

/**
 * The module's factory. helperThreads (threaded module only): the Web Workers started with the module, each a
 * thread that setThreads may then use (the page gives threads - 1).
 */
export default function createSpiketail(options?: { wasmBinary?: ArrayBuffer | Uint8Array; locateFile?: (path: string) => string; helperThreads?: number }): Promise<SpiketailModule>;
