import t from 'tap';
import { secretProblem, urlProblem } from '../../../src/http/routes/v1/outbound-webhooks.ts';

t.test('webhook URLs', async (t) => {
  // [url, problem]
  const rows: Array<[string, RegExp | undefined]> = [
    ['https://hooks.example.com/ringpath', undefined],
    ['http://hooks.example.com:8080/x?y=1', undefined],
    ['not a url', /is not a URL/],
    ['ftp://hooks.example.com/', /must be http or https \(got ftp\)/],
    ['javascript:alert(1)', /must be http or https/],
    ['https://user:pw@hooks.example.com/', /user name or password/],
    ['http://10.0.0.5/hook', /^is refused: 10\.0\.0\.5 is a private address \(WEBHOOK_ALLOW_PRIVATE allows it\)$/],
    ['http://169.254.169.254/latest/meta-data', /is refused: 169\.254\.169\.254 is a linkLocal address/],
    ['http://localhost:8080/', /is refused: localhost is a loopback name/],
  ];
  for (const [url, problem] of rows) {
    if (problem) t.match(urlProblem(url), problem, url);
    else t.equal(urlProblem(url), undefined, url);
  }
  t.equal(urlProblem('http://10.0.0.5/hook', true), undefined, 'the setting allows private addresses');
});

t.test('webhook secrets: whsec_ and base64 of 24 to 64 bytes', async (t) => {
  const b64 = (n: number) => Buffer.alloc(n, 7).toString('base64');
  // [secret, problem]
  const rows: Array<[string, RegExp | undefined]> = [
    [`whsec_${b64(32)}`, undefined],
    [`whsec_${b64(24)}`, undefined],
    [`whsec_${b64(64)}`, undefined],
    [`whsec_${b64(23)}`, /24 to 64 bytes \(this one holds 23\)/],
    [`whsec_${b64(65)}`, /this one holds 65/],
    [b64(32), /must be whsec_/],
    ['whsec_not base64!', /must be whsec_ followed by base64/],
  ];
  for (const [secret, problem] of rows) {
    if (problem) t.match(secretProblem(secret), problem, secret);
    else t.equal(secretProblem(secret), undefined, secret);
  }
});
