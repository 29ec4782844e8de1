// Reading a model file in pieces, inside a worker (wasm/spiketail.d.mts, modelIndex and analyzeLayer): the
// header by File.slice as the engine asks for it (its "need" protocol), then one tensor's byte ranges at a
// time. A File is a handle, not its bytes: nothing here ever reads the whole file, so a 1 GB model costs one
// layer's bytes at a time. Deflated npz members go through the browser's DecompressionStream('deflate-raw'),
// stopped as soon as they grow past the size their zip directory declares (a zip bomb).

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

// Inflates a deflated member into exactly `declared` bytes; a stream that would grow past them is a zip bomb
// and stops there. A shorter stream is returned short: analyzeLayer names the mismatch.
async function inflate(blob, declared, where) {
  const out = new Uint8Array(declared);
  let filled = 0;
  const reader = blob.stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (value.length > declared - filled) {
        throw new Error(`${where} inflates past the ${declared} bytes its zip directory declares (a zip bomb?); stopped there`);
      }
      out.set(value, filled);
      filled += value.length;
    }
  } catch (err) {
    reader.cancel().catch(() => {});
    if (err instanceof TypeError) throw new Error(`${where}: the deflated data is corrupt (${err.message})`);
    throw err;
  }
  return filled === declared ? out : out.subarray(0, filled);
}

// The stored bytes of one tensor: its ranges (of the file, or of the TF.js shard each names) concatenated,
// inflated when deflated. shards: {path as the manifest writes it: File}.
export async function tensorBytes(tensor, file, shards) {
  const parts = [];
  for (const r of tensor.ranges) {
    const source = r.file ? shards[r.file] : file;
    if (!source) throw new Error(`tensor '${tensor.name}': shard '${r.file}' was not among the files given with ${file.name}`);
    if (r.offset + r.length > source.size) {
      throw new Error(`tensor '${tensor.name}': bytes ${r.offset}–${r.offset + r.length} are past the end of ${r.file || file.name} (${source.size} bytes)`);
    }
    parts.push(source.slice(r.offset, r.offset + r.length));
  }
  const stored = new Blob(parts);  // slices of the file: read only below
  if (tensor.compression !== 'deflate') return new Uint8Array(await stored.arrayBuffer());
  const at = tensor.ranges[0]?.offset ?? 0;
  return inflate(stored, tensor.inflated_length, `tensor '${tensor.name}' (deflated, at byte ${at})`);
}
