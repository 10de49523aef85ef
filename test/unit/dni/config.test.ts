// The DNI settings of the configuration: trusted proxies, the rate limit, the sweep.
import t from 'tap';
import { ConfigError, loadConfig } from '../../../src/config.ts';

t.test('defaults: loopback proxies trusted, 300 requests a minute, a sweep every 15 s', async (t) => {
  const c = loadConfig({});
  t.same(c.trustedProxies, ['127.0.0.0/8', '::1/128']);
  t.same(c.dni, { rateLimitPerMinute: 300, sweepIntervalS: 15 });
});

t.test('values are read and checked', async (t) => {
  // [env, trusted proxies]
  const good: Array<[string, string[]]> = [
    ['10.0.0.0/8, 192.168.1.5', ['10.0.0.0/8', '192.168.1.5']],
    ['none', []],
    ['NONE', []],
    ['::1, fd00::/8', ['::1', 'fd00::/8']],
  ];
  for (const [value, want] of good) t.same(loadConfig({ TRUSTED_PROXIES: value }).trustedProxies, want, `TRUSTED_PROXIES=${value}`);
  t.same(loadConfig({ DNI_RATE_LIMIT: '1000000', DNI_SWEEP_S: '1' }).dni, { rateLimitPerMinute: 1_000_000, sweepIntervalS: 1 });
  // [variable, value, message fragment]
  const bad: Array<[string, string, RegExp]> = [
    ['TRUSTED_PROXIES', 'proxy.example.com', /IP addresses or CIDR ranges/],
    ['TRUSTED_PROXIES', '10.0.0.0/33', /IP addresses or CIDR ranges/],
    ['DNI_RATE_LIMIT', '0', /from 1 to 1000000/],
    ['DNI_RATE_LIMIT', 'lots', /from 1 to 1000000/],
    ['DNI_SWEEP_S', '0', /from 1 to 3600/],
    ['DNI_SWEEP_S', '7200', /from 1 to 3600/],
  ];
  for (const [name, value, message] of bad) {
    t.throws(() => loadConfig({ [name]: value }), ConfigError, `${name}=${value} refused`);
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      t.match((err as Error).message, new RegExp(`^${name} must be`), `${name}: names the variable`);
      t.match((err as Error).message, message, `${name}=${value}: ${(err as Error).message}`);
    }
  }
});
