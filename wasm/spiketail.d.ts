// spiketail's WebAssembly API (embind). Hand-written: emscripten 3.1.6 has no --emit-tsd.
// Every document crossing the boundary is JSON in the schema of docs/schema.md; large arrays come back
// as typed arrays copied out of the wasm heap (safe to keep and to post out of a Worker).
// Nothing here throws: invalid input comes back as a status value with a message naming the field.

export interface FieldError { field: string; message: string; }
export interface Validation { ok: boolean; errors: FieldError[]; config?: Record<string, unknown>; }

export interface Session {
  /** false when the config was invalid; error() then holds the JSON array of FieldError. */
  ok(): boolean;
  error(): string;
  /** Take up to k optimiser steps (stops on divergence or error); returns the steps taken. */
  step(k: number): number;
  /** Probe at the current step: a JSON probe record; detail adds eigenvalues, v_beta_overlap and update. */
  probe(detail: boolean): string;
  /** True when the schedule probes the current step (step 0, multiples of probe_every, num_steps). */
  probeDue(): boolean;
  stepCount(): number;
  /** Raise (or lower) the step budget, e.g. to continue a finished run. */
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
  /** Histogram of the entries of W, current and initial, on common edges: JSON {edges, current, initial}. */
  weightHistogram(bins: number): string;
  delete(): void;
}

export interface SpiketailModule {
  Session: { new (configJson: string): Session };
  /** The study's single-run defaults as JSON. */
  defaultConfig(): string;
  /** JSON Validation; the resolved config when ok. */
  validateConfig(configJson: string): string;
  /** Bytes the run's arrays need; configs above maxMemoryBytes() are refused. */
  estimateMemory(configJson: string): number;
  maxMemoryBytes(): number;
  /** Spectral analysis of any matrix (row-major rows x cols): JSON of the probe's spectral fields + eigenvalues. */
  analyzeMatrix(values: Float32Array, rows: number, cols: number): string;
  /** Density histogram: JSON {edges, density}; lo >= hi uses the values' range. */
  histogram(values: Float64Array, bins: number, lo: number, hi: number): string;
  /** Marchenko-Pastur density of the eigenvalues of W^T W for rows x cols i.i.d. entries of the given variance. */
  mpDensity(x: Float64Array, rows: number, cols: number, variance: number): Float64Array;
  /** Expand a sweep config into its runs: JSON {ok, errors, runs: [{config, optimizer, lr, repeat, param, value}]}. */
  expandSweep(sweepJson: string): string;
  version(): string;
}

export default function createSpiketail(options?: { wasmBinary?: ArrayBuffer | Uint8Array; locateFile?: (path: string) => string }): Promise<SpiketailModule>;
