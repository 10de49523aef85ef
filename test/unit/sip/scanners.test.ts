// Known SIP scanners, recognised in User-Agent or From.
import t from 'tap';
import { scannerSignature } from '../../../src/sip/middleware/scanners.ts';

t.test('scanner signatures', async (t) => {
  // [case, User-Agent, From, signature]
  const rows: Array<[string, string | undefined, string | undefined, string | undefined]> = [
    ['friendly-scanner', 'friendly-scanner', '<sip:100@203.0.113.9>;tag=1', 'friendly-scanner'],
    ['sipvicious in any case', 'SIPVicious 0.3.4', undefined, 'sipvicious'],
    ['inside a longer User-Agent', 'Mozilla sipcli/v1.8 (x)', undefined, 'sipcli'],
    ['sip-scan', 'sip-scan', undefined, 'sip-scan'],
    ['sipsak', 'sipsak 0.9.8', undefined, 'sipsak'],
    ['iWar', 'iWar', undefined, 'iwar'],
    ['VaxSIPUserAgent', 'VaxSIPUserAgent/3.1', undefined, 'vaxsipuseragent'],
    ['pplsip', 'pplsip', undefined, 'pplsip'],
    ['sundayddr', 'sundayddr', undefined, 'sundayddr'],
    ['in the From display name', 'Asterisk PBX', '"sipvicious"<sip:100@1.1.1.1>;tag=3361', 'sipvicious'],
    ['User-Agent is checked before From', 'friendly-scanner', '"sipvicious" <sip:1@h>', 'friendly-scanner'],
    ['a carrier', 'Sonus SBC', '<sip:+380501234567@carrier.example>;tag=1', undefined],
    ['softphones', 'MicroSIP/3.21.3', '"Alice" <sip:alice@ringpath.local>', undefined],
    ['Linphone', 'Linphone/5.2 (belle-sip/5.2)', undefined, undefined],
    ['Zoiper', 'Z 5.6.1 v2.10.20.2', undefined, undefined],
    ['no headers at all', undefined, undefined, undefined],
    ['empty headers', '', '', undefined],
    ['regex characters are taken literally', 'sip.cli', 'sip*cli', undefined],
    ['a very long header', `${'a'.repeat(100_000)}sipvicious`, undefined, 'sipvicious'],
  ];
  for (const [name, ua, from, expected] of rows) t.equal(scannerSignature(ua, from), expected, name);
});

t.test("every scanner drachtio-server discards (sip/drachtio.conf.xml) is one ringpath recognises too", async (t) => {
  const { readFile } = await import('node:fs/promises');
  const conf = await readFile(new URL('../../../sip/drachtio.conf.xml', import.meta.url), 'utf8');
  const spammers = /<spammers[\s\S]*?<\/spammers>/.exec(conf)?.[0] ?? '';
  const values = [...spammers.matchAll(/<value>([^<]+)<\/value>/g)].map((m) => m[1]!);
  t.ok(values.length >= 10, `${values.length} values`);
  for (const v of values) t.ok(scannerSignature(v, undefined), `${v} is recognised by ringpath`);
  for (const spelling of ['SIPVicious', 'sipvicious', 'friendly-scanner']) t.ok(values.includes(spelling), `drachtio-server discards ${spelling}`);
});
