// Builds the static site: copies web/ and the wasm module (build-wasm/spiketail.mjs + .wasm) into dist/.
// The result is self-contained (relative URLs only): copy dist/ to any static host, or open it in an iframe.
// Node builtins only. Usage: node scripts/build-web.mjs [--out DIR] [--engine DIR]
//   --engine DIR  take spiketail.mjs/.wasm from DIR instead of build-wasm/ (e.g. a test double)
import { cpSync, existsSync, mkdirSync, rmSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : fallback;
}

const out = option('--out', join(root, 'dist'));
const engine_dir = option('--engine', join(root, 'build-wasm'));
const engine_files = ['spiketail.mjs', 'spiketail.wasm'];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(join(root, 'web'), out, { recursive: true });

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
