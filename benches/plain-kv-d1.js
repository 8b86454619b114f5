// "plain + D1": benches/plain-kv.js plus the click write ours makes, as a user would write it by
// hand: one D1 `INSERT OR IGNORE INTO clicks …` per redirect in waitUntil (same table, same
// de-duplication key, so after the first request it is a no-op like ours). A diagnostic row: what
// one D1 statement per request costs on this engine, independent of darkshare's code.
const SQL =
  'INSERT OR IGNORE INTO clicks (site, share, visitor, day, page, channel, depth, dark) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)';

export default {
  async fetch(request, env, ctx) {
    const code = new URL(request.url).pathname.slice(1);
    const url = await env.LINKS.get(code);
    if (!url) return new Response('not found', { status: 404 });
    const visitor = `${request.headers.get('cf-connecting-ip') ?? ''}|${request.headers.get('user-agent') ?? ''}`;
    const day = Math.floor(Date.now() / 86_400_000);
    ctx.waitUntil(env.DB.prepare(SQL).bind('bench', code, visitor, day, '/p', 'whatsapp', 1, 0).run());
    return Response.redirect(url, 302);
  },
};
