// The floor: the cheapest answer a worker can give to GET /{code} on this engine (a constant 302,
// no storage, no parsing). Anything ours spends above this is the cost of doing the work.
export default {
  fetch() {
    return new Response(null, { status: 302, headers: { location: 'http://localhost/p?x=1' } });
  },
};
