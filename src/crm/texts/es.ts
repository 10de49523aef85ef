// Spanish texts written to the CRM. Merge fields are listed in ../texts.ts.
import type { Catalogue } from '../texts.ts';

export const es: Catalogue = {
  templates: {
    dealName: 'Llamada de {client} ({source})',
    callTitleInbound: 'Llamada entrante de {caller}',
    callTitleOutbound: 'Llamada saliente a {callee}',
    callBody:
      'Fuente: {source}\nCampaña: {campaign}\nUTM: {utm}\nNúmero de seguimiento: {tracking_number}\nEmpleado: {employee}\n' +
      'Resultado: {disposition}, {duration}\nGrabación: {recording_url}\nID de llamada: {call_id}\nEnrutamiento:\n{routing}',
    noteMissed: 'Llamada perdida ({disposition}).',
    noteColleague: 'Atendió {employee}, no el gestor responsable {manager}.',
    noteUnknownEmployee: 'Atendida o realizada en {destination}, que no está vinculado a ningún empleado.',
    noteLowConfidence: 'La fuente es aproximada (confianza baja).',
    taskCallbackSubject: 'Devolver la llamada a {caller}',
    taskCallbackBody:
      'Llamada perdida de {caller} el {called_at} al {tracking_number}.\nFuente: {source}\nCampaña: {campaign}\n' +
      'Devuelva la llamada al cliente lo antes posible.',
    taskAnsweredSubject: 'Llamada con {client}, {duration}',
    taskAnsweredBody:
      'Llamada con {client} ({direction}) el {called_at}, {duration}.\nEmpleado: {employee}\nFuente: {source}\n' +
      'Campaña: {campaign}\nGrabación: {recording_url}',
    taskColleagueSubject: '{employee} atendió a su cliente {caller}',
    taskColleagueBody:
      'Su cliente {caller} llamó el {called_at} y atendió {employee} ({duration}). ' +
      'Escuche la grabación para saber qué se acordó: {recording_url}\nFuente: {source}\nCampaña: {campaign}',
    taskCheckIntegrationSubject: 'Revise la configuración de la integración: llamada con un empleado desconocido',
    taskCheckIntegrationBody:
      'La llamada ({direction}) con {client} del {called_at} se atendió o realizó en {destination}, que no está vinculado ' +
      'a ningún empleado en ringpath. Añádalo a los destinos principales o adicionales de un empleado.\n' +
      'Número de seguimiento: {tracking_number}\nDuración: {duration}\nGrabación: {recording_url}\nID de llamada: {call_id}',
    taskNotMappedSubject: 'Revise la configuración de la integración: {employee} no tiene usuario en el CRM',
    taskNotMappedBody:
      '{employee} atendió o realizó la llamada ({direction}) con {client} del {called_at}, pero no está vinculado a un ' +
      'usuario activo del CRM en ringpath, así que no se le pudo asignar la llamada. Vincule al empleado con su usuario ' +
      'del CRM.\nID de llamada: {call_id}',
  },
  words: {
    none: 'no indicado',
    noRecording: 'sin grabación',
    nobody: 'nadie',
    unassigned: 'sin asignar',
    unknownEmployee: 'empleado desconocido',
    directions: { inbound: 'entrante', outbound: 'saliente' },
    dispositions: {
      answered: 'atendida',
      missed: 'perdida',
      busy: 'ocupado',
      failed: 'fallida',
      abandoned: 'el cliente colgó',
      blocked: 'bloqueada por el plan de marcación',
    },
  },
};
