// Russian texts written to the CRM. Merge fields are listed in ../texts.ts.
import type { Catalogue } from '../texts.ts';

export const ru: Catalogue = {
  templates: {
    dealName: 'Звонок от {client} ({source})',
    callTitleInbound: 'Входящий звонок от {caller}',
    callTitleOutbound: 'Исходящий звонок на {callee}',
    callBody:
      'Источник: {source}\nКампания: {campaign}\nUTM: {utm}\nНомер коллтрекинга: {tracking_number}\nСотрудник: {employee}\n' +
      'Результат: {disposition}, {duration}\nЗапись: {recording_url}\nID звонка: {call_id}\nМаршрутизация:\n{routing}',
    noteMissed: 'Пропущенный звонок ({disposition}).',
    noteColleague: 'Ответил {employee}, а не ответственный менеджер {manager}.',
    noteUnknownEmployee: 'Звонок принят или совершён через направление {destination}, не привязанное ни к одному сотруднику.',
    noteLowConfidence: 'Источник определён приблизительно (низкая достоверность).',
    taskCallbackSubject: 'Перезвонить {caller}',
    taskCallbackBody:
      'Пропущенный звонок от {caller} {called_at} на номер {tracking_number}.\nИсточник: {source}\nКампания: {campaign}\n' +
      'Перезвоните клиенту как можно скорее.',
    taskAnsweredSubject: 'Разговор с {client}, {duration}',
    taskAnsweredBody:
      'Разговор с {client} ({direction}) {called_at}, {duration}.\nСотрудник: {employee}\nИсточник: {source}\n' +
      'Кампания: {campaign}\nЗапись: {recording_url}',
    taskColleagueSubject: 'Вашему клиенту {caller} ответил коллега: {employee}',
    taskColleagueBody:
      'Ваш клиент {caller} звонил {called_at}, ответил коллега {employee} ({duration}). ' +
      'Прослушайте запись, чтобы узнать, о чём договорились: {recording_url}\nИсточник: {source}\nКампания: {campaign}',
    taskCheckIntegrationSubject: 'Проверьте настройки интеграции: звонок неизвестного сотрудника',
    taskCheckIntegrationBody:
      'Звонок ({direction}) с {client} {called_at} принят или совершён через направление {destination}, не привязанное ' +
      'ни к одному сотруднику в ringpath. Добавьте его в основные или дополнительные направления сотрудника.\n' +
      'Номер коллтрекинга: {tracking_number}\nДлительность: {duration}\nЗапись: {recording_url}\nID звонка: {call_id}',
    taskNotMappedSubject: 'Проверьте настройки интеграции: у сотрудника {employee} нет пользователя CRM',
    taskNotMappedBody:
      'Сотрудник {employee} принял или совершил звонок ({direction}) с {client} {called_at}, но в ringpath не привязан ' +
      'к активному пользователю CRM, поэтому звонок не удалось назначить на него. Привяжите сотрудника к его пользователю CRM.\n' +
      'ID звонка: {call_id}',
  },
  words: {
    none: 'не указано',
    noRecording: 'нет записи',
    nobody: 'никто',
    unassigned: 'не назначен',
    unknownEmployee: 'неизвестный сотрудник',
    directions: { inbound: 'входящий', outbound: 'исходящий' },
    dispositions: {
      answered: 'принят',
      missed: 'пропущен',
      busy: 'занято',
      failed: 'не удался',
      abandoned: 'клиент положил трубку',
      blocked: 'заблокирован планом набора',
    },
  },
};
