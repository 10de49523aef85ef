import t from 'tap';
import { allowedMethods } from '../../../src/http/methods.ts';

const routes = [
  { method: 'GET', url: '/api/v1/employees/' },
  { method: 'POST', url: '/api/v1/employees/' },
  { method: 'GET', url: '/api/v1/employees/:id' },
  { method: 'PATCH', url: '/api/v1/employees/:id' },
  { method: 'DELETE', url: '/api/v1/employees/:id' },
  { method: 'POST', url: '/api/v1/employees/:id/senior-manager' },
  { method: 'GET', url: '/docs/*' },
  { method: 'GET', url: '/dni.js' },
];

t.test('the methods a path answers to', async (t) => {
  const cases: Array<[string, string, string[]]> = [
    ['a collection, with or without its slash', '/api/v1/employees', ['GET', 'HEAD', 'POST']],
    ['the same with a trailing slash', '/api/v1/employees/', ['GET', 'HEAD', 'POST']],
    ['one record', '/api/v1/employees/12', ['DELETE', 'GET', 'HEAD', 'PATCH']],
    ['an action', '/api/v1/employees/12/senior-manager', ['POST']],
    ['a wildcard', '/docs/static/index.html', ['GET', 'HEAD']],
    ['a dot is a dot, not any character', '/dnixjs', []],
    ['a parameter is one segment only', '/api/v1/employees/12/13', []],
    ['an unknown path', '/api/v1/nothing', []],
  ];
  for (const [name, path, methods] of cases) t.same(allowedMethods(routes, path), methods, name);
});
