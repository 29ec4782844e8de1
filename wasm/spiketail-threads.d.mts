// The threaded module (spiketail-threads.mjs, built with Emscripten pthreads): the same API as spiketail.mjs,
// with threads() and setThreads() in effect. It needs SharedArrayBuffer, i.e. a cross-origin isolated page
// (docs/hosting.md), and its pthread worker spiketail-threads.worker.js beside it.
export * from './spiketail.mjs';
export { default } from './spiketail.mjs';
