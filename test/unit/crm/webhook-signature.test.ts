// HubSpot webhook signatures v3, against vectors computed independently
// (openssl dgst -sha256 -hmac SECRET -binary | base64).
import { Signature } from '@hubspot/api-client';
import t from 'tap';
import { checkSignatureV3, MAX_SIGNATURE_AGE_MS, signatureV3, signedUri } from '../../../src/crm/mirror/webhook-signature.ts';

const URI = 'https://ringpath.example.com/webhooks/hubspot';
const BODY =
  '[{"eventId":1,"subscriptionType":"contact.propertyChange","objectId":123,"propertyName":"phone","propertyValue":"+380501234567","occurredAt":1700000000000}]';
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const TS = '1700000000000';
const NOW = 1_700_000_060_000; // a minute later

const VECTORS = [
  { name: 'an event batch', secret: SECRET, uri: URI, body: BODY, ts: TS, expected: '7J+Kb/c4CsvakA+uFlwDyDvRGfj6nqfjn7T6L7aOJZM=' },
  {
    name: 'URL-encoded characters in the URI are signed decoded',
    secret: 'secret',
    uri: `${URI}?portal=42&x=a%3Ab`,
    body: '',
    ts: '1700000000123',
    expected: 'JEyW+g7EXAHNx8t7yKhTAEItIOem1xvbwBtT3Au6Jpk=',
  },
  {
    name: 'non-ASCII body and secret, as UTF-8',
    secret: 'секрет',
    uri: URI,
    body: '[{"objectId":1,"propertyValue":"Іван Петренко"}]',
    ts: TS,
    expected: '58dgFOF9+Q6iOTGIkzNcQKRCXhnu9XmuL/WJgaENsvs=',
  },
];

t.test('known vectors', async (t) => {
  for (const v of VECTORS) {
    t.equal(signatureV3(v.secret, 'POST', v.uri, v.body, v.ts), v.expected, v.name);
    t.same(
      checkSignatureV3(v.secret, { method: 'POST', uri: v.uri, body: v.body, signature: v.expected, timestamp: v.ts }, Number(v.ts) + 1_000),
      { ok: true },
      `${v.name}: accepted`,
    );
  }
  t.equal(
    signatureV3(SECRET, 'POST', URI, BODY, TS),
    Signature.getSignature('POST', 'v3', { signature: '', clientSecret: SECRET, requestBody: BODY, url: URI, timestamp: Number(TS) }),
    "the official client's signer agrees",
  );
});

t.test('the URI: only the characters HubSpot lists are decoded', async (t) => {
  t.equal(signedUri('https://x.example/a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm'), "https://x.example/a:b/c?d@e!f$g'h(i)j*k,l;m");
  t.equal(signedUri('https://x.example/a%20b%25c'), 'https://x.example/a%20b%25c', 'others stay encoded');
  t.equal(signedUri('https://x.example/a%3ab'), 'https://x.example/a:b', 'lower-case escapes too');
});

t.test('refusals', async (t) => {
  const good = VECTORS[0]!.expected;
  const req = { method: 'POST', uri: URI, body: BODY, signature: good, timestamp: TS };
  t.match(checkSignatureV3(SECRET, { ...req, signature: undefined }, NOW), { ok: false, reason: 'MISSING' });
  t.match(checkSignatureV3(SECRET, { ...req, timestamp: undefined }, NOW), { ok: false, reason: 'MISSING' });
  t.match(checkSignatureV3(SECRET, { ...req, timestamp: '2023-11-14T22:13:20Z' }, NOW), { ok: false, reason: 'MALFORMED' });
  t.match(
    checkSignatureV3(SECRET, req, Number(TS) + MAX_SIGNATURE_AGE_MS + 1),
    { ok: false, reason: 'STALE', message: /301 s/ },
    'older than 5 minutes',
  );
  t.same(checkSignatureV3(SECRET, req, Number(TS) + MAX_SIGNATURE_AGE_MS), { ok: true }, 'exactly 5 minutes old is still fine');
  t.match(checkSignatureV3(SECRET, req, Number(TS) - MAX_SIGNATURE_AGE_MS - 1), { ok: false, reason: 'STALE' }, 'more than 5 minutes ahead');
  t.match(checkSignatureV3('other-secret', req, NOW), { ok: false, reason: 'MISMATCH' }, 'another secret');
  t.match(checkSignatureV3(SECRET, { ...req, body: BODY.replace('123', '124') }, NOW), { ok: false, reason: 'MISMATCH' }, 'a changed body');
  t.match(checkSignatureV3(SECRET, { ...req, uri: 'https://evil.example/webhooks/hubspot' }, NOW), { ok: false, reason: 'MISMATCH' }, 'another URL');
  t.match(checkSignatureV3(SECRET, { ...req, method: 'PUT' }, NOW), { ok: false, reason: 'MISMATCH' }, 'another method');
  t.match(checkSignatureV3(SECRET, { ...req, signature: good.slice(0, -4) }, NOW), { ok: false, reason: 'MISMATCH' }, 'a shorter signature');
  t.match(checkSignatureV3(SECRET, { ...req, signature: `${good}AAAA` }, NOW), { ok: false, reason: 'MISMATCH' }, 'a longer signature');
  // the timestamp is part of what is signed: replaying the body with a fresh timestamp fails
  t.match(checkSignatureV3(SECRET, { ...req, timestamp: String(NOW) }, NOW), { ok: false, reason: 'MISMATCH' }, 'a fresh timestamp on an old signature');
});
