// Signed recording links: what they look like, and that only an untouched,
// unexpired link passes.
import t from 'tap';
import { recordingLinks, RECORDING_FILE, signRecording, verifyRecordingLink } from '../../../src/recordings/sign.ts';

const SECRET = 'a-test-secret-of-some-length';
const NOW = 1_800_000_000;
const FILE = 'a84b4c76e66710@pc33.example.com.wav';

const links = (over: { now?: number; ttlS?: number; secret?: string } = {}) =>
  recordingLinks({ publicUrl: 'https://calls.example.com/', secret: over.secret ?? SECRET, ttlS: over.ttlS ?? 3600, now: () => over.now ?? NOW });

const parts = (url: string) => {
  const u = new URL(url);
  return { file: decodeURIComponent(u.pathname.replace(/^\/recordings\//, '')), expires: u.searchParams.get('expires') ?? undefined, signature: u.searchParams.get('signature') ?? undefined };
};

t.test('a link names the file, its expiry and a signature under PUBLIC_URL', async (t) => {
  const url = links().url(FILE);
  t.match(url, /^https:\/\/calls\.example\.com\/recordings\/a84b4c76e66710%40pc33\.example\.com\.wav\?expires=1800003600&signature=[A-Za-z0-9_-]{43}$/);
  const p = parts(url);
  t.equal(p.file, FILE);
  t.equal(p.signature, signRecording(SECRET, FILE, NOW + 3600));
});

t.test('the link it made verifies, until it expires', async (t) => {
  const p = parts(links().url(FILE));
  t.same(links().verify(p.file, p.expires, p.signature), { ok: true });
  t.same(links({ now: NOW + 3600 }).verify(p.file, p.expires, p.signature), { ok: true }, 'valid through its last second');
  const late = links({ now: NOW + 3601 }).verify(p.file, p.expires, p.signature);
  t.equal(late.ok, false);
  t.equal(!late.ok && late.reason, 'expired');
});

t.test('tampering is refused', async (t) => {
  const p = parts(links().url(FILE));
  const cases: Array<[string, string, string | undefined, string | undefined, string]> = [
    ['another file', 'other@pc33.example.com.wav', p.expires, p.signature, 'bad_signature'],
    ['a later expiry', FILE, String(Number(p.expires) + 86400), p.signature, 'bad_signature'],
    ['an altered signature', FILE, p.expires, `${p.signature!.slice(0, -1)}${p.signature!.endsWith('A') ? 'B' : 'A'}`, 'bad_signature'],
    ['another secret', FILE, p.expires, signRecording('another-secret-entirely', FILE, Number(p.expires)), 'bad_signature'],
    ['no signature', FILE, p.expires, undefined, 'missing'],
    ['no expiry', FILE, undefined, p.signature, 'missing'],
    ['a non-numeric expiry', FILE, '18e8', p.signature, 'malformed'],
    ['a signature of the wrong length', FILE, p.expires, p.signature!.slice(1), 'malformed'],
  ];
  for (const [what, file, expires, signature, reason] of cases) {
    const r = verifyRecordingLink(SECRET, file, expires, signature, NOW);
    t.equal(r.ok ? 'ok' : r.reason, reason, what);
  }
});

t.test('link() takes a stored recording path; only servable names get a link', async (t) => {
  const l = links();
  t.match(l.link({ recordingPath: `/var/lib/ringpath/recordings/${FILE}` }) ?? '', /\/recordings\/a84b4c76e66710%40pc33\.example\.com\.wav\?/);
  t.equal(l.link({ recordingPath: '/var/lib/ringpath/recordings/.hidden.wav' }), undefined);
  t.equal(l.link({ recordingPath: '/var/lib/ringpath/recordings/call.pcap' }), undefined);
  t.throws(() => l.url('../etc/passwd.wav'), /not a recording file name/);
});

t.test('recording file names', async (t) => {
  for (const ok of ['abc.wav', 'a84b4c76e66710@pc33.example.com.wav', 'x_y-z-2.wav']) t.ok(RECORDING_FILE.test(ok), ok);
  for (const bad of ['.abc.wav', 'a/b.wav', 'abc.mp3', 'abc', '..wav', 'a b.wav', `${'a'.repeat(201)}.wav`]) t.notOk(RECORDING_FILE.test(bad), bad);
});

t.test('a short secret is refused', async (t) => {
  t.throws(() => links({ secret: 'short' }), /at least 16/);
});
