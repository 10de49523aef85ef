import { createHash } from 'node:crypto';
import t from 'tap';
import {
  describeUnmetRules,
  normalizeSipUri,
  sipDigests,
  unmetSipPasswordRules,
  type SipPasswordRule,
} from '../../../src/auth/sip-credentials.ts';

const hex = (alg: 'md5' | 'sha256', s: string) => createHash(alg).update(s).digest('hex');

// The digest `response` of RFC 2617 / RFC 7616 (qop=auth), built from an HA1, to check
// our HA1 against the responses the RFCs publish.
function response(alg: 'md5' | 'sha256', ha1: string, c: { nonce: string; nc: string; cnonce: string; method: string; uri: string }) {
  return hex(alg, [ha1, c.nonce, c.nc, c.cnonce, 'auth', hex(alg, `${c.method}:${c.uri}`)].join(':'));
}

t.test('HA1 digests match the RFC examples', async (t) => {
  const rfc2617 = sipDigests('Mufasa', 'testrealm@host.com', 'Circle Of Life');
  t.equal(rfc2617.ha1_md5, '939e7578ed9e3c518a452acee763bce9', 'RFC 2617 §3.5 HA1 (MD5)');
  t.equal(
    response('md5', rfc2617.ha1_md5, { nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', nc: '00000001', cnonce: '0a4f113b', method: 'GET', uri: '/dir/index.html' }),
    '6629fae49393a05397450978507c4ef1',
    'RFC 2617 §3.5 response from our HA1',
  );

  const c7616 = { nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', nc: '00000001', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ', method: 'GET', uri: '/dir/index.html' };
  const rfc7616 = sipDigests('Mufasa', 'http-auth@example.org', 'Circle of Life');
  t.equal(rfc7616.ha1_sha256, '7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232', 'RFC 7616 HA1 (SHA-256), from coreutils sha256sum');
  t.equal(rfc7616.ha1_md5, '3d78807defe7de2157e2b0b6573a855f', 'RFC 7616 HA1 (MD5), from coreutils md5sum');
  t.equal(response('sha256', rfc7616.ha1_sha256, c7616), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1', 'RFC 7616 §3.9.1 SHA-256 response');
  t.equal(response('md5', rfc7616.ha1_md5, c7616), '8ca523f5e9506fed4657c9700eebdbec', 'RFC 7616 §3.9.1 MD5 response');
  t.equal(rfc7616.realm, 'http-auth@example.org', 'the realm the digests were made for');
});

t.test('HA1 digests hash the UTF-8 bytes of login:realm:password', async (t) => {
  // printf 'bob:ringpath.local:Пароль-Секрет2024' | md5sum / sha256sum
  const d = sipDigests('bob', 'ringpath.local', 'Пароль-Секрет2024');
  t.equal(d.ha1_md5, '19b6488683ecb572633da151e751977b');
  t.equal(d.ha1_sha256, '3188c0c49a62cb4973d60175f6cdd52baadc1d643363627ce70a69d5a97b359d');
  t.not(sipDigests('Bob', 'ringpath.local', 'Пароль-Секрет2024').ha1_md5, d.ha1_md5, 'the login is case-sensitive in the digest');
});

t.test('the SIP password policy lists every unmet rule', async (t) => {
  const cases: Array<[string, SipPasswordRule[], string]> = [
    ['Str0ng!Passw0rd#', [], 'all rules met'],
    ['Correct Horse 42 battery', [], 'a space is a special character'],
    ['ПарольСекрет2024-', [], 'letters of any script count'],
    ['Sh0rt!Pass', ['length'], '10 characters'],
    ['Abcdefghij1!x', ['length'], '13 characters'],
    ['Abcdefghij1!xy', [], 'exactly 14 characters'],
    ['Abcdefghij1!😀', ['length'], 'length counts characters, not UTF-16 units (13 characters, 14 units)'],
    ['all-lower-case-1', ['upper'], 'no upper case letter'],
    ['ALL-UPPER-CASE-1', ['lower'], 'no lower case letter'],
    ['No-Digits-Here!', ['digit'], 'no digit'],
    ['NoSpecialChars123', ['special'], 'no special character'],
    ['password', ['length', 'upper', 'digit', 'special'], 'four rules unmet'],
    ['', ['length', 'upper', 'lower', 'digit', 'special'], 'empty: everything unmet'],
  ];
  for (const [password, unmet, name] of cases) t.same(unmetSipPasswordRules(password), unmet, name);
});

t.test('unmet rules read as one sentence', async (t) => {
  t.equal(describeUnmetRules([]), undefined, 'nothing missing');
  t.equal(describeUnmetRules(['digit']), 'needs a digit');
  t.equal(describeUnmetRules(['upper', 'digit']), 'needs an upper case letter and a digit');
  t.equal(describeUnmetRules(['length', 'lower', 'special']), 'needs at least 14 characters, a lower case letter and a special character (anything but letters and digits)');
});

t.test('external SIP URIs are normalised to sip:login@host', async (t) => {
  const ok: Array<[string, string]> = [
    ['login@sip.example.com', 'sip:login@sip.example.com'],
    ['sip:login@sip.example.com', 'sip:login@sip.example.com'],
    ['  SIP:Login@SIP.Example.COM  ', 'sip:Login@sip.example.com'],
    ['alice@pbx.example.com:5061', 'sip:alice@pbx.example.com:5061'],
    ['sip:100@192.0.2.10', 'sip:100@192.0.2.10'],
    ['alice@[2001:db8::1]:5060', 'sip:alice@[2001:db8::1]:5060'],
    ['first.last+ua%20x@pbx', 'sip:first.last+ua%20x@pbx'],
  ];
  for (const [input, uri] of ok) t.same(normalizeSipUri(input), { ok: true, uri }, input);

  const bad: Array<[string, RegExp]> = [
    ['alice', /login@sip\.example\.com/],
    ['@sip.example.com', /login part/],
    ['alice@@sip.example.com', /login@sip\.example\.com/],
    ['sips:alice@sip.example.com', /sip: address/],
    ['tel:+380501234567', /sip: address/],
    ['alice@sip.example.com;transport=tcp', /parameters/],
    ['alice@sip.example.com?subject=x', /parameters/],
    ['al ice@sip.example.com', /login part/],
    ['alice@bad_host', /host/],
    ['alice@-bad.example.com', /host/],
    ['alice@999.1.1.1', /host/],
    ['alice@[not-ipv6]', /host/],
    ['alice@sip.example.com:0', /port/],
    ['alice@sip.example.com:70000', /port/],
    ['alice@sip.example.com:', /host/],
  ];
  for (const [input, message] of bad) {
    const r = normalizeSipUri(input);
    t.equal(r.ok, false, `${input} refused`);
    if (!r.ok) t.match(r.message, message, `${input}: ${r.message}`);
  }
});
