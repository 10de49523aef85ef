// The console is served at / with its assets, and its own paths load index.html.
import { existsSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { CONSOLE_DIR } from '../../../src/http/routes/console-static.ts';
import { testApi } from '../../support/app.ts';

t.test('GET / and the app paths answer the built index.html; API paths stay problems', async (t) => {
  if (!existsSync(path.join(CONSOLE_DIR, 'index.html'))) throw new Error('dist/console is not built: npm install (or npm run build:console) builds it');
  const api = await testApi(t);
  const root = await api.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
  t.equal(root.statusCode, 200);
  t.match(root.headers['content-type'], /text\/html/);
  t.match(root.body, /<div id="root"><\/div>/);
  t.equal(root.headers['cache-control'], 'no-cache');
  const deep = await api.app.inject({ method: 'GET', url: '/calls?disposition=missed', headers: { accept: 'text/html' } });
  t.equal(deep.statusCode, 200, 'a deep link loads the app');
  t.equal(deep.body, root.body);
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(root.body)![1]!;
  const js = await api.app.inject({ method: 'GET', url: asset });
  t.equal(js.statusCode, 200, asset);
  t.match(js.headers['cache-control'], /immutable/);
  const apiMiss = await api.app.inject({ method: 'GET', url: '/api/v1/nothing', headers: { accept: 'text/html' } });
  t.equal(apiMiss.statusCode, 404, 'an unknown API path is a problem, not the app');
  t.match(apiMiss.headers['content-type'], /problem\+json/);
  const fileMiss = await api.app.inject({ method: 'GET', url: '/assets/missing.js', headers: { accept: 'text/html' } });
  t.equal(fileMiss.statusCode, 404);
  t.match(fileMiss.headers['content-type'], /problem\+json/);
});
