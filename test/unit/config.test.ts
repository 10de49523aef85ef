import t from 'tap';
import { ConfigError, loadConfig } from '../../src/config.ts';

t.test('defaults need no environment at all', async (t) => {
  const c = loadConfig({}, '/srv/ringpath');
  t.equal(c.port, 8080);
  t.equal(c.host, '127.0.0.1');
  t.equal(c.databaseUrl, undefined, 'no DATABASE_URL means the embedded PostgreSQL');
  t.equal(c.dataDir, '/srv/ringpath/data');
  t.equal(c.defaultCountry, 'US');
  t.equal(c.publicUrl, 'http://127.0.0.1:8080');
  t.equal(c.adminPassword, undefined);
  t.ok(Object.isFrozen(c));
});

t.test('values are parsed and normalised', async (t) => {
  const c = loadConfig(
    {
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db:5432/ringpath',
      DATA_DIR: '/var/lib/ringpath',
      DEFAULT_COUNTRY: 'ua',
      LOG_LEVEL: 'DEBUG',
      PUBLIC_URL: 'https://calls.example.com/',
      ADMIN_EMAIL: 'Boss@Example.com',
      ADMIN_PASSWORD: 'a-long-enough-password',
    },
    '/x',
  );
  t.equal(c.port, 9000);
  t.equal(c.host, '0.0.0.0');
  t.equal(c.databaseUrl, 'postgres://u:p@db:5432/ringpath');
  t.equal(c.dataDir, '/var/lib/ringpath');
  t.equal(c.defaultCountry, 'UA');
  t.equal(c.logLevel, 'debug');
  t.equal(c.publicUrl, 'https://calls.example.com', 'trailing slash dropped');
  t.equal(c.adminEmail, 'boss@example.com');
});

const bad: Array<[Record<string, string>, string, RegExp]> = [
  [{ PORT: 'abc' }, 'PORT', /integer from 1 to 65535/],
  [{ PORT: '0' }, 'PORT', /integer/],
  [{ PORT: '70000' }, 'PORT', /integer/],
  [{ PORT: '80.5' }, 'PORT', /integer/],
  [{ EMBEDDED_PG_PORT: '-1' }, 'EMBEDDED_PG_PORT', /integer/],
  [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE', /from 1 to 200/],
  [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', /postgres/],
  [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', /URL/],
  [{ DEFAULT_COUNTRY: 'XX' }, 'DEFAULT_COUNTRY', /ISO 3166-1/],
  [{ DEFAULT_COUNTRY: 'Ukraine' }, 'DEFAULT_COUNTRY', /ISO 3166-1/],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /one of/],
  [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL', /http/],
  [{ ADMIN_EMAIL: 'nobody' }, 'ADMIN_EMAIL', /email/],
  [{ ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD', /12 characters/],
  [{ HOST: 'bad host!' }, 'HOST', /host name/],
];
for (const [env, variable, expected] of bad) {
  t.test(`${variable}=${Object.values(env)[0]} is refused with a message naming ${variable}`, async (t) => {
    try {
      loadConfig(env);
      t.fail('should have thrown');
    } catch (err) {
      t.type(err, ConfigError);
      const e = err as ConfigError;
      t.equal(e.variable, variable);
      t.match(e.message, new RegExp(`^${variable} must be`));
      t.match(e.message, expected);
    }
  });
}

t.test('an ADMIN_PASSWORD error does not echo the password', async (t) => {
  t.throws(() => loadConfig({ ADMIN_PASSWORD: 'secret1' }), { message: /"\*{7}"/ });
});

t.test('the SIP side is off without DRACHTIO_HOST, and parsed when set', async (t) => {
  t.equal(loadConfig({}).sip.drachtioHost, undefined);
  const c = loadConfig({
    DRACHTIO_HOST: '127.0.0.1',
    DRACHTIO_PORT: '9023',
    TRUNK_URI: 'sip:carrier.example.com:5060',
    TRUNK_ALLOWLIST: '203.0.113.10, 198.51.100.0/24,2001:db8::/32',
    RTPENGINE_NG: '127.0.0.1:22222',
    DATA_DIR: '/d',
  });
  t.equal(c.sip.drachtioHost, '127.0.0.1');
  t.equal(c.sip.drachtioPort, 9023);
  t.equal(c.sip.drachtioSecret, 'cymru');
  t.same(c.sip.trunkAllowlist, ['203.0.113.10', '198.51.100.0/24', '2001:db8::/32']);
  t.same(c.sip.rtpengineNg, { host: '127.0.0.1', port: 22222 });
  t.equal(c.sip.recordingsDir, '/d/recordings');
  t.equal(c.sip.lookupBudgetMs, 50);
});

const badSip: Array<[Record<string, string>, string]> = [
  [{ TRUNK_ALLOWLIST: '10.0.0.1,carrier.example.com' }, 'TRUNK_ALLOWLIST'],
  [{ TRUNK_ALLOWLIST: '10.0.0.0/33' }, 'TRUNK_ALLOWLIST'],
  [{ RTPENGINE_NG: '127.0.0.1' }, 'RTPENGINE_NG'],
  [{ RTPENGINE_NG: 'host:99999' }, 'RTPENGINE_NG'],
  [{ TRUNK_URI: 'carrier.example.com' }, 'TRUNK_URI'],
  [{ TRUNK_AUTH_USER: 'carrier' }, 'TRUNK_AUTH_PASSWORD'],
  [{ LOOKUP_BUDGET_MS: '0' }, 'LOOKUP_BUDGET_MS'],
];
for (const [env, variable] of badSip) {
  t.test(`${Object.keys(env)[0]}=${Object.values(env)[0]} is refused naming ${variable}`, async (t) => {
    const err = (() => {
      try {
        loadConfig(env);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    t.type(err, ConfigError);
    t.equal((err as ConfigError).variable, variable);
  });
}
