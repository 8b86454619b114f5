// The floor of a snippet write on this engine: a JS worker that reads a POST's body and answers a
// constant JSON, as POST /api/views does with everything else taken away (benches/run.mjs).
export default {
  async fetch(request) {
    if (request.method === 'POST') await request.arrayBuffer();
    return new Response('{"fp":"0"}', { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
  },
};
