// Known SIP scanners and war-diallers. drachtio-server discards most of them
// before ringpath sees them (sip/drachtio.conf.xml); this is the second line.
const SIGNATURES = [
  'friendly-scanner',
  'sipvicious',
  'sip-scan',
  'sipcli',
  'sip-cli',
  'sipsak',
  'iWar',
  'sundayddr',
  'VaxSIPUserAgent',
  'pplsip',
];

const PATTERN = new RegExp(SIGNATURES.map((s) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|'), 'i');

/** The scanner signature found in the User-Agent or From header, if any. */
export function scannerSignature(userAgent: string | undefined, from: string | undefined): string | undefined {
  for (const value of [userAgent, from]) {
    const m = value ? PATTERN.exec(value) : null;
    if (m) return m[0].toLowerCase();
  }
  return undefined;
}
