// /docs is a usable manual: every operation has a summary and a description, every
// field a description, and no pattern reaches a client as a bare regular expression.
import t from 'tap';
import { openApiGaps } from '../../support/openapi-audit.ts';
import { testApi } from '../../support/app.ts';

type Json = Record<string, unknown>;

t.test('every operation has a summary and a description, and every field a description', async (t) => {
  const api = await testApi(t);
  const res = await api.app.inject({ method: 'GET', url: '/docs/json' });
  t.equal(res.statusCode, 200);
  const doc = res.json<Json>();
  const operations = Object.values(doc.paths as Json).flatMap((item) => Object.keys(item as Json));
  t.ok(operations.length >= 40, `${operations.length} operations checked`);
  t.same(openApiGaps(doc), [], 'nothing undocumented');
});

t.test('the audit finds what is missing', async (t) => {
  const doc = {
    paths: {
      '/a': {
        get: {
          summary: 'A',
          parameters: [{ in: 'query', name: 'q', schema: { type: 'string' } }],
          responses: { 200: { content: { 'application/json': { schema: { type: 'object', properties: { x: { type: 'string', description: 'x' }, y: { type: 'object', properties: { z: {} } } } } } } } },
        },
        post: { description: 'B', requestBody: { content: { 'application/json': { schema: { type: 'array', items: { properties: { n: { anyOf: [{ type: 'integer', description: 'n' }, { type: 'null' }] }, type: { const: 'x' } } } } } } } },
      },
    },
  };
  t.same(openApiGaps(doc), [
    { where: 'GET /a', missing: 'description' },
    { where: 'GET /a query q', missing: 'description' },
    { where: 'GET /a 200(application/json).y', missing: 'description' },
    { where: 'GET /a 200(application/json).y.z', missing: 'description' },
    { where: 'POST /a', missing: 'summary' },
  ]);
});

t.test('every pattern in the API has a message for people', async (t) => {
  const api = await testApi(t);
  const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json<Json>();
  const bare: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${at}[${i}]`));
    if (typeof v !== 'object' || v === null) return;
    const o = v as Json;
    if (typeof o.pattern === 'string' && typeof o['x-message'] !== 'string') bare.push(at);
    for (const [k, x] of Object.entries(o)) walk(x, `${at}/${k}`);
  };
  for (const [path, item] of Object.entries(doc.paths as Json)) walk(item, path);
  t.same(bare, [], 'no pattern without x-message');
  t.match(JSON.stringify(doc), /"x-message":"must be a domain name such as example.com"/, 'the messages are in the document');
});
