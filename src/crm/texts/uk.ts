// Ukrainian texts written to the CRM. Merge fields are listed in ../texts.ts.
import type { Catalogue } from '../texts.ts';

export const uk: Catalogue = {
  templates: {
    dealName: 'Дзвінок від {client} ({source})',
    callTitleInbound: 'Вхідний дзвінок від {caller}',
    callTitleOutbound: 'Вихідний дзвінок на {callee}',
    callBody:
      'Джерело: {source}\nКампанія: {campaign}\nUTM: {utm}\nНомер колтрекінгу: {tracking_number}\nСпівробітник: {employee}\n' +
      'Результат: {disposition}, {duration}\nЗапис: {recording_url}\nID дзвінка: {call_id}\nМаршрутизація:\n{routing}',
    noteMissed: 'Пропущений дзвінок ({disposition}).',
    noteColleague: 'Відповів {employee}, а не відповідальний менеджер {manager}.',
    noteUnknownEmployee: "Дзвінок прийнято або здійснено через напрямок {destination}, не прив'язаний до жодного співробітника.",
    noteLowConfidence: 'Джерело визначено приблизно (низька достовірність).',
    taskCallbackSubject: 'Передзвонити {caller}',
    taskCallbackBody:
      'Пропущений дзвінок від {caller} {called_at} на номер {tracking_number}.\nДжерело: {source}\nКампанія: {campaign}\n' +
      'Передзвоніть клієнту якнайшвидше.',
    taskAnsweredSubject: 'Розмова з {client}, {duration}',
    taskAnsweredBody:
      'Розмова з {client} ({direction}) {called_at}, {duration}.\nСпівробітник: {employee}\nДжерело: {source}\n' +
      'Кампанія: {campaign}\nЗапис: {recording_url}',
    taskColleagueSubject: 'Вашому клієнту {caller} відповів колега: {employee}',
    taskColleagueBody:
      'Ваш клієнт {caller} телефонував {called_at}, відповів колега {employee} ({duration}). ' +
      'Прослухайте запис, щоб дізнатися, про що домовилися: {recording_url}\nДжерело: {source}\nКампанія: {campaign}',
    taskCheckIntegrationSubject: 'Перевірте налаштування інтеграції: дзвінок невідомого співробітника',
    taskCheckIntegrationBody:
      "Дзвінок ({direction}) з {client} {called_at} прийнято або здійснено через напрямок {destination}, не прив'язаний " +
      'до жодного співробітника в ringpath. Додайте його до основних або додаткових напрямків співробітника.\n' +
      'Номер колтрекінгу: {tracking_number}\nТривалість: {duration}\nЗапис: {recording_url}\nID дзвінка: {call_id}',
    taskNotMappedSubject: 'Перевірте налаштування інтеграції: співробітник {employee} не має користувача CRM',
    taskNotMappedBody:
      "Співробітник {employee} прийняв або здійснив дзвінок ({direction}) з {client} {called_at}, але в ringpath не прив'язаний " +
      "до активного користувача CRM, тому дзвінок не вдалося призначити на нього. Прив'яжіть співробітника до його користувача CRM.\n" +
      'ID дзвінка: {call_id}',
  },
  words: {
    none: 'не вказано',
    noRecording: 'немає запису',
    nobody: 'ніхто',
    unassigned: 'не призначено',
    unknownEmployee: 'невідомий співробітник',
    directions: { inbound: 'вхідний', outbound: 'вихідний' },
    dispositions: {
      answered: 'прийнято',
      missed: 'пропущено',
      busy: 'зайнято',
      failed: 'не вдався',
      abandoned: 'клієнт поклав слухавку',
      blocked: 'заблоковано планом набору',
    },
  },
};
