// Serves dist/ (or the folder given as the first argument) on localhost with correct MIME types,
// including application/wasm so that WebAssembly.instantiateStreaming works. Node builtins only.
// Port: PORT env or 8080; when taken, the next free one. Host: HOST env or 127.0.0.1. Prints the URL.
// Every response carries the cross-origin isolation headers (ISOLATION_HEADERS), so that the page can use
// SharedArrayBuffer and loads the threaded engine (docs/hosting.md); `--no-isolation` (or isolated: false)
// serves without them, as a host that sets no headers does: the page then runs the single-thread engine.
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root_dir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const mime_types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

// What makes the page cross-origin isolated (scripts/build-web.mjs writes the same into dist/_headers).
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// A static file server for `dir`; resolves to { server, port, url } once listening.
export function serve(dir, { port = 8080, host = '127.0.0.1', tries = 20, quiet = false, isolated = true } = {}) {
  const base = resolve(dir);
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    let file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': mime_types[extname(file).toLowerCase()] || 'application/octet-stream',
      'Content-Length': statSync(file).size,
      'Cache-Control': 'no-cache',
      ...(isolated ? ISOLATION_HEADERS : {}),
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve_listen, reject) => {
    let attempt = 0;
    const listen = (p) => {
      const on_error = (err) => {
        server.off('listening', on_listening);
        if ((err.code === 'EADDRINUSE' || err.code === 'EACCES') && attempt < tries) {
          attempt += 1;
          // After a few taken ports in a row ask the OS for any free one.
          listen(attempt < tries - 1 ? p + 1 : 0);
        } else reject(err);
      };
      const on_listening = () => {
        server.off('error', on_error);
        const actual = server.address().port;
        const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/`;
        if (!quiet) console.log(`spiketail: serving ${base} at ${url.replace('//127.0.0.1:', '//localhost:')}` +
                                (isolated ? ' (cross-origin isolated)' : ' (without isolation headers)'));
        resolve_listen({ server, port: actual, url });
      };
      server.once('error', on_error);
      server.once('listening', on_listening);
      server.listen(p, host);
    };
    listen(port);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const isolated = !process.argv.includes('--no-isolation');
  const folder = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const dir = folder ? resolve(folder) : join(root_dir, 'dist');
  if (!existsSync(join(dir, 'index.html'))) {
    console.error(`serve: ${dir}/index.html not found; run "npm run build" first`);
    process.exit(1);
  }
  const port = process.env.PORT ? Number(process.env.PORT) : 8080;
  // HOST=0.0.0.0 makes the page reachable from a phone on the same network.
  serve(dir, { port, host: process.env.HOST || '127.0.0.1', isolated }).catch((err) => {
    console.error(`serve: ${err.message}`);
    process.exit(1);
  });
}
