// Reading a model file in pieces, inside a worker (wasm/spiketail.d.mts, modelIndex and layerBuffer): the
// header by File.slice as the engine asks for it (its "need" protocol), then one tensor's byte ranges at a
// time, straight into the engine's heap (a LayerBuffer) in slices of the engine's layer_read_chunk_bytes. A File
// is a handle, not its bytes: nothing here ever reads the whole file, nor a whole layer outside the heap, so a
// 1 GB model costs one layer's bytes at a time, once. Deflated npz members go through the browser's
// DecompressionStream('deflate-raw'), stopped as soon as they grow past the size their zip directory declares
// (a zip bomb).

// The engine asks for a file's header in a few rounds (npz: up to 5); more means a bug, not a file.
const MAX_INDEX_ROUNDS = 32;

async function sliceBytes(blob, offset, length) {
  return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
}

// The table of contents of `file` (ModelIndexResult "ok"). Throws the engine's Error (the what and where of a
// malformed file) or a RangeError/TypeError of a wrong call.
export async function indexModel(engine, format, file, shardSizes, options) {
  const chunks = [];
  for (let round = 0; round < MAX_INDEX_ROUNDS; round++) {
    const result = JSON.parse(engine.modelIndex(format, file.name, file.size, chunks, { ...options, shardSizes }));
    if (result.status === 'ok') return result;
    for (const { offset, length } of result.need) chunks.push({ offset, bytes: await sliceBytes(file, offset, length) });
  }
  throw new Error(`the index still asks for more header bytes after ${MAX_INDEX_ROUNDS} rounds`);
}

// Inflates a deflated member into `buffer` (a LayerBuffer of exactly the declared length); a stream that would
// grow past it is a zip bomb and stops there, one that ends short is named too.
async function inflateInto(blob, buffer, where) {
  const declared = buffer.length();
  let filled = 0;
  const reader = blob.stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.length > declared - filled) {
        throw new Error(`${where} inflates past the ${declared} bytes its zip directory declares (a zip bomb?); stopped there`);
      }
      buffer.view(filled, value.length).set(value);
      filled += value.length;
    }
  } catch (err) {
    reader.cancel().catch(() => {});
    if (err instanceof TypeError) throw new Error(`${where}: the deflated data is corrupt (${err.message})`);
    throw err;
  }
  if (filled !== declared) throw new Error(`${where} inflated to ${filled} bytes; its zip directory declares ${declared}`);
}

// Copies `blob` into `buffer` from byte `at`, a slice of at most `chunk` bytes at a time (each slice's
// ArrayBuffer is garbage at once; the heap's view is fetched again for each, as the heap may have moved).
async function copyInto(blob, buffer, at, chunk) {
  for (let offset = 0; offset < blob.size; offset += chunk) {
    const bytes = new Uint8Array(await blob.slice(offset, Math.min(blob.size, offset + chunk)).arrayBuffer());
    buffer.view(at + offset, bytes.length).set(bytes);
  }
}

// One tensor analysed from its stored bytes: its ranges (of the file, or of the TF.js shard each names) read
// into a LayerBuffer of the engine's heap, inflated there when deflated, and analysed where they are (the
// buffer is freed whatever happens). shards: {path as the manifest writes it: File}; chunk: the engine's
// layer_read_chunk_bytes. Returns {row, eigenvalues} as the engine's LayerBuffer.analyze.
export async function analyzeTensor(engine, tensor, file, shards, options, chunk) {
  const parts = [];
  for (const r of tensor.ranges) {
    const source = r.file ? shards[r.file] : file;
    if (!source) throw new Error(`tensor '${tensor.name}': shard '${r.file}' was not among the files given with ${file.name}`);
    if (r.offset + r.length > source.size) {
      throw new Error(`tensor '${tensor.name}': bytes ${r.offset}–${r.offset + r.length} are past the end of ${r.file || file.name} (${source.size} bytes)`);
    }
    parts.push(source.slice(r.offset, r.offset + r.length));
  }
  const buffer = engine.layerBuffer(tensor, options);  // throws when the heap cannot hold the analysis
  try {
    if (tensor.compression === 'deflate') {
      const at = tensor.ranges[0]?.offset ?? 0;
      await inflateInto(new Blob(parts), buffer, `tensor '${tensor.name}' (deflated, at byte ${at})`);
    } else {
      let at = 0;
      for (const part of parts) {
        await copyInto(part, buffer, at, chunk);
        at += part.size;
      }
    }
    return buffer.analyze(file.name);
  } finally {
    buffer.delete();
  }
}
