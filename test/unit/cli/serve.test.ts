import t from 'tap';
import { listenFailure } from '../../../src/cli/serve.ts';

const config = { port: 8080, host: '127.0.0.1' };
const errno = (code: string) => Object.assign(new Error(code), { code });

t.test('a server that cannot listen gets one line naming the setting to change', async (t) => {
  const cases: Array<[string, Error, string | undefined]> = [
    ['port taken', errno('EADDRINUSE'), 'port 8080 on 127.0.0.1 is already in use: set PORT to a free port (e.g. PORT=8081 npm start)'],
    ['privileged port', errno('EACCES'), 'port 8080 on 127.0.0.1 needs privileges this user lacks: set PORT to 1024 or above'],
    ['address not here', errno('EADDRNOTAVAIL'), '127.0.0.1 is not an address of this host: set HOST to one (e.g. 127.0.0.1 or 0.0.0.0)'],
    ['anything else is not a listen failure', new Error('database down'), undefined],
  ];
  for (const [name, err, line] of cases) t.equal(listenFailure(err, config), line, name);
});
