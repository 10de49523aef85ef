// The call's attribution in the CRM: each DNI confidence, the click ids and the
// confidence itself as properties, and what UTM-only mode does with each.
import t from 'tap';
import type { AttributionConfidence, CallAttribution } from '../../../src/crm/types.ts';
import { ANAS_CLIENT, call, codes, decide, get, keys } from './fixtures.ts';

const SESSION: CallAttribution = {
  confidence: 'exact',
  label: 'google / cpc',
  source: 'google',
  medium: 'cpc',
  campaign: 'brand',
  gclid: 'Cj0KCQ',
  gbraid: 'gb-1',
  wbraid: 'wb-1',
  msclkid: 'ms-1',
  gaClientId: 'GA1.1.42',
};
const withConfidence = (confidence: AttributionConfidence, label = SESSION.label): CallAttribution =>
  confidence === 'exact' || confidence === 'recent' ? { ...SESSION, confidence, label } : { confidence, label };

t.test('each confidence: the warning, the best-guess note and the confidence property', async (t) => {
  // [confidence, label, UNATTRIBUTED warning, best-guess note, ringpath_utm_source]
  const rows: Array<[AttributionConfidence, string, boolean, boolean, string | undefined]> = [
    ['exact', 'google / cpc', false, false, 'google'],
    ['recent', 'google / cpc', false, true, 'google'],
    ['static', 'Billboard A1', false, false, undefined],
    ['fallback', 'unattributed (pool exhausted)', true, false, undefined],
    ['none', 'unattributed (no visitor held the number)', true, false, undefined],
  ];
  for (const [confidence, label, warned, note, utmSource] of rows) {
    const r = decide({ call: call({ attribution: withConfidence(confidence, label) }) });
    t.equal(codes(r).includes('UNATTRIBUTED'), warned, `${confidence}: ${warned ? 'an' : 'no'} UNATTRIBUTED warning`);
    t.equal(/best guess/.test(get(r, 'call', 'createCall').body), note, `${confidence}: ${note ? 'a' : 'no'} best-guess note`);
    const contact = get(r, 'contact', 'upsertContact').properties;
    t.equal(contact.ringpath_attribution_confidence, confidence, `${confidence}: written as ringpath_attribution_confidence`);
    t.equal(contact.ringpath_source, label, `${confidence}: the label is the source`);
    t.equal(contact.ringpath_utm_source, utmSource, `${confidence}: utm_source ${utmSource ?? 'not written'}`);
  }
});

t.test('click ids and the confidence can be mapped onto CRM properties of the admin\'s choice', async (t) => {
  const fieldMapping = { gclid: 'gclid', gbraid: 'gbraid', wbraid: 'wbraid', msclkid: 'msclkid', attribution_confidence: 'lead_confidence' };
  const deal = get(decide({ call: call({ attribution: SESSION }), settings: { fieldMapping } }), 'deal', 'createDeal').properties;
  t.match(deal, { gclid: 'Cj0KCQ', gbraid: 'gb-1', wbraid: 'wb-1', msclkid: 'ms-1', lead_confidence: 'exact', ringpath_ga_client_id: 'GA1.1.42' });
});

t.test('UTM only: an attributed call writes its UTMs, a fallback or unattributed one nothing', async (t) => {
  // [confidence, writes]
  const rows: Array<[AttributionConfidence, string[]]> = [
    ['exact', ['deal:utm']],
    ['recent', ['deal:utm']],
    ['static', ['deal:utm']],
    ['fallback', []],
    ['none', []],
  ];
  for (const [confidence, writes] of rows) {
    const r = decide({ mirror: ANAS_CLIENT, settings: { utmOnly: true }, call: call({ attribution: withConfidence(confidence) }) });
    t.same(keys(r), writes, `${confidence}: ${writes.length ? writes.join(', ') : 'nothing written'}`);
  }
});
