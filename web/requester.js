// Request/response over worker messages: a request gets a fresh `id`, its reply carries the same `id`
// back and resolves the request's promise. One helper for every page-side worker handle (engine.js,
// sweep/pool.js), so that message ids are numbered and matched in one place.
//
//   const requests = createRequester((msg) => worker.postMessage(msg));
//   const errors = await requests.send({ type: 'validate', config });   // posts {type, config, id}
//   // in onmessage:  requests.resolve(msg.id, msg.errors)
export function createRequester(post) {
  const pending = new Map();
  let nextId = 1;
  return {
    send(msg) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        post({ ...msg, id });
      });
    },
    // Settles request `id` with `value`; false when no such request is waiting (a stale or foreign id).
    resolve(id, value) {
      const done = pending.get(id);
      if (!done) return false;
      pending.delete(id);
      done(value);
      return true;
    },
  };
}
