// The texts ringpath writes to the CRM, in English, Spanish, Russian and Ukrainian.
import t from 'tap';
import {
  LANGUAGES,
  MERGE_FIELDS,
  catalogue,
  formatDateTime,
  formatDuration,
  formatRouting,
  formatUtm,
  mergeValues,
  render,
  template,
  unknownMergeFields,
} from '../../../src/crm/texts.ts';
import type { Language, TemplateKey } from '../../../src/crm/types.ts';
import { ANAS_CLIENT, BORIS, CLIENT, RECORDING, STRANGER, call, codes, decide, get, outbound, texts } from './fixtures.ts';

const PLACEHOLDER = /\{[a-z_]+\}/;
const KEYS = Object.keys(catalogue('en').templates) as TemplateKey[];
const values = (language: Language) =>
  mergeValues(call(), { employee: 'Borys Koval', manager: 'Ana García' }, { language, timeZone: 'Europe/Madrid', recordingUrl: RECORDING });

t.test('every language has every text, using only known merge fields, the same ones as English', async (t) => {
  for (const language of LANGUAGES) {
    const c = catalogue(language);
    t.same(Object.keys(c.templates).sort(), [...KEYS].sort(), `${language}: the same keys`);
    for (const key of KEYS) {
      t.same(unknownMergeFields(c.templates[key]), [], `${language}.${key}: known fields only`);
      const fields = (s: string) => [...s.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]).sort();
      t.same(fields(c.templates[key]), fields(catalogue('en').templates[key]), `${language}.${key}: same fields as en`);
    }
  }
});

t.test('rendered in each language: merge fields filled, nothing left in braces', async (t) => {
  const expected: Record<Language, string> = {
    en: `Call back ${CLIENT}`,
    es: `Devolver la llamada a ${CLIENT}`,
    ru: `Перезвонить ${CLIENT}`,
    uk: `Передзвонити ${CLIENT}`,
  };
  for (const language of LANGUAGES) {
    const v = values(language);
    for (const key of KEYS) t.notMatch(render(template(language, key), v), PLACEHOLDER, `${language}.${key}`);
    t.equal(render(template(language, 'taskCallbackSubject'), v), expected[language], `${language}: call back subject`);
    const colleague = render(template(language, 'taskColleagueBody'), v) + render(template(language, 'noteColleague'), v);
    for (const part of ['Ana García', 'Borys Koval', CLIENT, RECORDING, 'google / cpc', '2024-05-01 12:00 (Europe/Madrid)']) {
      t.ok(colleague.includes(part), `${language}: colleague task names ${part}`);
    }
    t.match(render(template(language, 'callBody'), v), 'spring_sale', `${language}: campaign in the call body`);
  }
});

t.test('the matrix writes in the configured language, with no placeholders, for every row', async (t) => {
  const missed = call({ disposition: 'missed', answeredBy: null, talkMs: 0, recordingUrl: undefined });
  const plans = (language: Language) => [
    decide({ settings: { language, completedTaskForEveryAnsweredCall: true } }),
    decide({ settings: { language }, mirror: ANAS_CLIENT, call: call({ answeredBy: BORIS }) }),
    decide({ settings: { language }, call: missed }),
    decide({ settings: { language }, mirror: ANAS_CLIENT, call: missed }),
    decide({ settings: { language }, call: call({ answeredBy: STRANGER }) }),
    decide({ settings: { language, createForUnknownOutbound: true }, call: outbound() }),
  ];
  const titles: Record<Language, RegExp> = { en: /^Inbound call/, es: /^Llamada entrante/, ru: /^Входящий звонок/, uk: /^Вхідний дзвінок/ };
  for (const language of LANGUAGES) {
    const all = plans(language).flatMap(texts);
    t.ok(all.length > 20, `${language}: texts written`);
    t.notOk(all.some((s) => PLACEHOLDER.test(s)), `${language}: no placeholders left`);
    t.match(get(plans(language)[0]!, 'call', 'createCall').title, titles[language], `${language}: call title`);
  }
  t.match(get(plans('ru')[1]!, 'task:answered', 'createTask').subject, `Вашему клиенту ${CLIENT} ответил коллега: Borys Koval`);
  t.match(get(plans('uk')[4]!, 'task:check-integration', 'createTask').subject, 'Перевірте налаштування інтеграції');
  t.match(get(plans('es')[2]!, 'call', 'createCall').body, /^Llamada perdida \(perdida\)\./);
});

t.test('admin templates override the built-in ones; unknown fields are kept and warned about', async (t) => {
  const textOverrides = { taskCallbackSubject: 'Llamar a {caller} ({campaign}) — {manager}', taskCallbackBody: 'Ver {recording_link}', dealName: '  ' };
  const missed = call({ disposition: 'missed', answeredBy: null });
  const mirror = { ...ANAS_CLIENT, owners: { 'o-ana': { name: 'Ana García', archived: false } } };
  const r = decide({ mirror, call: missed, settings: { language: 'es', textOverrides } });
  const task = get(r, 'task:callback', 'createTask');
  t.equal(task.subject, `Llamar a ${CLIENT} (spring_sale) — Ana García`);
  const nobody = decide({ call: missed, settings: { language: 'es', textOverrides, seniorManagerOwnerId: null } });
  t.equal(get(nobody, 'task:callback', 'createTask').subject, `Llamar a ${CLIENT} (spring_sale) — sin asignar`, 'no owner: "unassigned"');
  t.equal(task.body, 'Ver {recording_link}');
  t.same(codes(r), ['TEMPLATE_UNKNOWN_FIELD']);
  t.equal(template('en', 'dealName', textOverrides), catalogue('en').templates.dealName, 'a blank override is ignored');
});

t.test('render and unknownMergeFields', async (t) => {
  const v = values('en');
  t.equal(render('{caller} via {source} / {campaign} for {manager}', v), `${CLIENT} via google / cpc / spring_sale for Ana García`);
  t.equal(render('{nope} {caller}{caller}', v), `{nope} ${CLIENT}${CLIENT}`);
  t.same(unknownMergeFields('{a} {caller} {a} {Upper} {tracking_number}'), ['a']);
  t.same(MERGE_FIELDS.filter((f) => v[f] === undefined), [], 'every merge field has a value');
});

t.test('missing values read "not set" in the language', async (t) => {
  const bare = call({ attribution: { confidence: 'none', label: '' }, trackingNumber: undefined, routingTrace: [] });
  const cases: Array<[Language, string, string]> = [
    ['en', 'not set', 'nobody'],
    ['es', 'no indicado', 'nadie'],
    ['ru', 'не указано', 'никто'],
    ['uk', 'не вказано', 'ніхто'],
  ];
  for (const [language, none, nobody] of cases) {
    const v = mergeValues(bare, {}, { language, recordingUrl: null });
    t.same([v.campaign, v.source, v.tracking_number, v.utm, v.routing, v.employee], [none, none, none, none, none, nobody], language);
  }
  const v = mergeValues(outbound(), { destination: '+34600111222' }, { language: 'en', recordingUrl: null });
  t.same([v.client, v.employee, v.recording_url, v.direction], [CLIENT, 'unknown employee (+34600111222)', 'no recording', 'outbound']);
});

t.test('formatting', async (t) => {
  const durations: Array<[number, string]> = [[0, '0:00'], [999, '0:01'], [59_000, '0:59'], [125_000, '2:05'], [3_725_000, '1:02:05'], [-5, '0:00']];
  for (const [ms, text] of durations) t.equal(formatDuration(ms), text, `${ms} ms`);
  const at = new Date('2024-12-31T23:30:00Z');
  t.equal(formatDateTime(at), '2024-12-31 23:30 (UTC)');
  t.equal(formatDateTime(at, 'Europe/Kyiv'), '2025-01-01 01:30 (Europe/Kyiv)');
  t.equal(formatDateTime(at, 'Mars/Olympus'), '2024-12-31 23:30 (UTC)', 'an unknown zone falls back to UTC');
  t.equal(formatUtm({ source: 'fb', campaign: 'x', medium: '', confidence: 'exact', label: 'fb' }), 'utm_source=fb, utm_campaign=x');
  t.equal(formatUtm({ confidence: 'none', label: '' }), undefined);
  t.equal(formatRouting([{ stepType: 'senior_manager', result: 'no_answer', ringMs: 20_400 }]), '1. senior_manager: no_answer, 20 s');
  t.equal(formatRouting([]), undefined);
});
