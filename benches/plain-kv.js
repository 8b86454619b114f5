// "plain": the short-link redirect a user would write by hand in JavaScript: one KV read per
// request, no cache, no counting. The baseline for ours' throughput target.
export default {
  async fetch(request, env) {
    const code = new URL(request.url).pathname.slice(1);
    const url = await env.LINKS.get(code);
    return url ? Response.redirect(url, 302) : new Response('not found', { status: 404 });
  },
};
