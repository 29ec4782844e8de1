// Builds the static site: copies web/ and the wasm module (build-wasm/spiketail.mjs + .wasm) into dist/, and
// writes config-schema.js, the engine's configSchema() (core/config_schema.cpp), from which the page builds
// its form: asked of the Node build of the same module, so the page ships the schema of the engine it ships.
// The result is self-contained (relative URLs only): copy dist/ to any static host, or open it in an iframe.
// Node builtins only. Usage: node scripts/build-web.mjs [--out DIR] [--engine DIR]
//   --engine DIR  take spiketail.mjs/.wasm from DIR instead of build-wasm/ (e.g. a test double)
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISOLATION_HEADERS } from './serve.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : fallback;
}

const out = option('--out', join(root, 'dist'));
const engine_dir = option('--engine', join(root, 'build-wasm'));
const engine_files = ['spiketail.mjs', 'spiketail.wasm'];
// The threaded module and its pthread worker (docs/web.md): loaded only where the page is cross-origin isolated.
const threaded_files = ['spiketail-threads.mjs', 'spiketail-threads.wasm', 'spiketail-threads.worker.js'];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(join(root, 'web'), out, { recursive: true });
// The engine's types beside it, for pages that use the module directly (docs/embedding.md).
cpSync(join(root, 'wasm/spiketail.d.mts'), join(out, 'spiketail.d.mts'));
cpSync(join(root, 'wasm/spiketail-threads.d.mts'), join(out, 'spiketail-threads.d.mts'));
// The cross-origin isolation headers for hosts that read a _headers file (Netlify, Cloudflare Pages): the same
// as `npm start` sends (scripts/serve.mjs). Other hosts: docs/hosting.md.
writeFileSync(join(out, '_headers'), '/*\n' + Object.entries(ISOLATION_HEADERS).map(([k, v]) => `  ${k}: ${v}\n`).join(''));

const missing = engine_files.filter((f) => !existsSync(join(engine_dir, f)));
if (missing.length === engine_files.length) {
  // The page still builds and shows "engine not available" until the wasm exists.
  console.warn(`build-web: no ${engine_files.join(' / ')} in ${engine_dir}; run "npm run build:wasm" first`);
} else {
  for (const f of engine_files) {
    if (existsSync(join(engine_dir, f))) cpSync(join(engine_dir, f), join(out, f));
    else console.warn(`build-web: missing ${join(engine_dir, f)}`);
  }
}

if (threaded_files.every((f) => existsSync(join(engine_dir, f)))) {
  for (const f of threaded_files) cpSync(join(engine_dir, f), join(out, f));
} else if (missing.length < engine_files.length) {
  // The page then runs the single-thread module everywhere (worker.js falls back to it).
  console.warn(`build-web: no threaded module (${threaded_files.join(' / ')}) in ${engine_dir}`);
}

const nodeEngine = join(engine_dir, 'spiketail-node.cjs');
if (existsSync(nodeEngine)) {
  const factory = createRequire(import.meta.url)(nodeEngine);
  const engine = await factory({ wasmBinary: readFileSync(join(engine_dir, 'spiketail-node.wasm')) });
  const schema = JSON.parse(engine.configSchema());
  const constants = JSON.parse(engine.methodConstants());
  writeFileSync(join(out, 'config-schema.js'),
    `// Written by scripts/build-web.mjs from the engine's configSchema(): every config field's type, default and range,\n` +
    `// and methodConstants(): the method's constants the figures show.\n` +
    `export default ${JSON.stringify(schema, null, 1)};\n` +
    `export const METHOD = ${JSON.stringify(constants)};\n`);
} else if (missing.length < engine_files.length) {
  console.warn(`build-web: no ${nodeEngine}: the page will have no config fields`);
}

let bytes = 0, files = 0;
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) walk(p);
    else { bytes += s.size; files += 1; }
  }
})(out);
console.log(`build-web: wrote ${files} files (${(bytes / 1024).toFixed(0)} KiB) to ${out}`);
