// The API description (GET /api/openapi.json, a static file) on the real runtime: a real validator
// accepts it as OpenAPI 3.1, and it stays true to the code: every route of the two workers' tables
// (src/edge/hot/mod.rs, src/edge/console/mod.rs) is in it, its error object lists exactly the codes of src/error.rs, and every
// error code an operation names has an answer with that code's status (src/edge/http.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api } from '../support/harness.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const source = (path) => readFileSync(join(ROOT, path), 'utf8');
const VALIDATOR = join(ROOT, '.tools/venv/bin/python');

async function served() {
  const res = await api('GET', '/api/openapi.json');
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  return { res, doc: res.json };
}

/** The body of the Rust function `name` in `text` (to its first line that is only `}`). */
function fnBody(text, name) {
  const start = text.indexOf(`fn ${name}(`);
  assert.ok(start >= 0, `fn ${name} not found`);
  return text.slice(start, text.indexOf('\n}\n', start));
}

/** The routers' tables: [method, OpenAPI path] for every arm that answers (not an `Err`). */
function routerRoutes() {
  const routes = [];
  const add = (methods, path) => {
    for (const [, m] of methods.matchAll(/Method::(\w+)/g)) if (m !== 'Options') routes.push([m === 'Head' ? 'get' : m.toLowerCase(), path]);
  };
  // The console worker's table matches path segments.
  const console = source('src/edge/console/mod.rs');
  const segmentArm = /\(((?:Method::\w+\s*\|?\s*)+),\s*\[([^\]]*)\]\)\s*=>\s*(?!Err)/g;
  for (const [, methods, segments] of fnBody(console, 'route').matchAll(segmentArm)) {
    if (segments.includes('..')) continue; // catch-alls
    add(methods, '/' + segments.split(',').map((s) => s.trim()).map((s) => (s.startsWith('"') ? JSON.parse(s) : `{${s}}`)).join('/'));
  }
  // The hot worker's table matches whole paths, on the runtime's own method strings.
  const hot = source('src/edge/hot/mod.rs');
  const hotArms = [...fnBody(hot, 'route').matchAll(/\("([A-Z]+)",\s*"([^"]+)"\)\s*=>\s*(?!Err)/g)];
  assert.ok(hotArms.length >= 4, 'the parse of the hot worker\'s route table is out of date');
  for (const [, method, path] of hotArms) routes.push([method === 'HEAD' ? 'get' : method.toLowerCase(), path]);
  // The hot path is decided before the tables: GET/HEAD of a one-segment path (paths::short_link).
  const mod = hot;
  assert.match(fnBody(mod, 'fetch'), /paths::short_link/);
  routes.push(['get', '/{code}']);
  return routes;
}

/** Every error code and its HTTP status, read from src/error.rs and src/edge/http.rs. */
function errorStatuses() {
  const errors = source('src/error.rs');
  const codes = new Map([...fnBody(errors, 'code').matchAll(/Error::(\w+)[^=]*=>\s*"(\w+)"/g)].map(([, v, c]) => [v, c]));
  const kinds = new Map();
  for (const [, arms, kind] of fnBody(errors, 'kind').matchAll(/((?:\|?\s*Error::\w+(?:\s*\([^)]*\)|\s*\{[^}]*\})?\s*)+)=>\s*\{?\s*ErrorKind::(\w+)/g)) {
    for (const [, v] of arms.matchAll(/Error::(\w+)/g)) kinds.set(v, kind);
  }
  const status = new Map([...fnBody(source('src/edge/http.rs'), 'status_of').matchAll(/ErrorKind::(\w+)\s*=>\s*(\d{3})/g)].map(([, k, s]) => [k, s]));
  assert.ok(codes.size >= 20 && kinds.size === codes.size && status.size >= 9, 'the parse of error.rs / http.rs is out of date');
  return new Map([...codes].map(([variant, code]) => [code, status.get(kinds.get(variant))]));
}

const resolve = (doc, node) => (node && node.$ref ? node.$ref.split('/').slice(1).reduce((n, k) => n[k], doc) : node);
const operations = (doc) => Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));

/** The validator is the reference implementation's (PyPI openapi-spec-validator), not ours. */
test('the served document is valid OpenAPI 3.1', async () => {
  const { res, doc } = await served();
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(res.headers.get('access-control-allow-origin'), '*', 'readable by tools on any origin');
  assert.ok(existsSync(VALIDATOR), 'run scripts/setup --browser (installs .tools/venv)');
  const dir = mkdtempSync(join(tmpdir(), 'ds-openapi-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), res.text);
    const out = execFileSync(VALIDATOR, ['-m', 'openapi_spec_validator', join(dir, 'openapi.json')], { encoding: 'utf8' });
    assert.match(out, /OK/);
    writeFileSync(join(dir, 'broken.json'), JSON.stringify({ ...doc, paths: { '/x': { get: { responses: { 200: {} } } } } }));
    assert.throws(() => execFileSync(VALIDATOR, ['-m', 'openapi_spec_validator', join(dir, 'broken.json')], { stdio: 'ignore' }), 'the validator can fail');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every route of the router is described', async (t) => {
  const { doc } = await served();
  const routes = routerRoutes();
  assert.ok(routes.length >= 12, `router parse found only ${routes.length} routes`);
  for (const [method, path] of routes) {
    assert.ok(doc.paths[path] && doc.paths[path][method], `${method.toUpperCase()} ${path} is in the router but not in openapi.json`);
  }
  const known = new Set(routes.map(([m, p]) => `${m} ${p}`));
  const elsewhere = operations(doc).filter(({ path, method }) => !known.has(`${method} ${path}`) && method !== 'options');
  t.diagnostic(`described but answered by static assets or not routed here: ${elsewhere.map(({ method, path }) => `${method.toUpperCase()} ${path}`).join(', ')}`);
});

test('the error object lists exactly the codes of the error enum, each answered with its status', async () => {
  const { doc } = await served();
  const statusOf = errorStatuses();
  const schema = doc.components.schemas.Error.properties.error;
  assert.deepEqual([...schema.properties.code.enum].sort(), [...statusOf.keys()].sort());
  assert.deepEqual(schema.required, ['code', 'message']);
  for (const { path, method, op } of operations(doc)) {
    for (const code of op['x-error-codes'] || []) {
      const where = `${method.toUpperCase()} ${path}: ${code}`;
      assert.ok(statusOf.has(code), `${where} is not an error code`);
      const answer = resolve(doc, op.responses[statusOf.get(code)]);
      assert.ok(answer, `${where} has no ${statusOf.get(code)} answer`);
      assert.equal(answer.content['application/json'].schema.$ref, '#/components/schemas/Error', where);
      assert.ok(answer.description.includes(code), `${where}: the ${statusOf.get(code)} answer does not name it`);
    }
  }
  for (const { path, method, op } of operations(doc)) {
    if (path.startsWith('/api/') && method !== 'options' && !['/api/health', '/api/openapi.json'].includes(path)) {
      assert.ok((op['x-error-codes'] || []).length > 0, `${method.toUpperCase()} ${path} names no error codes`);
    }
  }
});

/** Every operation says how it is authorized, with the two bearer schemes the API has. */
test('operations name their bearer scheme', async () => {
  const { doc } = await served();
  const schemes = doc.components.securitySchemes;
  assert.deepEqual(Object.keys(schemes).sort(), ['adminToken', 'statsToken']);
  for (const s of Object.values(schemes)) assert.deepEqual([s.type, s.scheme], ['http', 'bearer']);
  for (const { path, method, op } of operations(doc)) {
    assert.ok(Array.isArray(op.security), `${method} ${path} has no security`);
    const tokenCodes = (op['x-error-codes'] || []).includes('missing_token');
    const needsToken = op.security.some((r) => Object.keys(r).length > 0);
    if (tokenCodes) assert.ok(needsToken, `${method} ${path} answers missing_token but names no scheme`);
  }
});
