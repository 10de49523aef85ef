// English texts written to the CRM. Merge fields are listed in ../texts.ts.
import type { Catalogue } from '../texts.ts';

export const en: Catalogue = {
  templates: {
    dealName: 'Call from {client} ({source})',
    callTitleInbound: 'Inbound call from {caller}',
    callTitleOutbound: 'Outbound call to {callee}',
    callBody:
      'Source: {source}\nCampaign: {campaign}\nUTM: {utm}\nTracking number: {tracking_number}\nEmployee: {employee}\n' +
      'Result: {disposition}, {duration}\nRecording: {recording_url}\nCall id: {call_id}\nRouting:\n{routing}',
    noteMissed: 'Missed call ({disposition}).',
    noteColleague: 'Answered by {employee}, not by the responsible manager {manager}.',
    noteUnknownEmployee: 'Answered or placed on {destination}, which is not linked to any employee.',
    noteLowConfidence: 'The source is a best guess (low confidence).',
    taskCallbackSubject: 'Call back {caller}',
    taskCallbackBody:
      'Missed call from {caller} on {called_at} to {tracking_number}.\nSource: {source}\nCampaign: {campaign}\n' +
      'Call the client back as soon as possible.',
    taskAnsweredSubject: 'Call with {client}, {duration}',
    taskAnsweredBody:
      'Call with {client} ({direction}) on {called_at}, {duration}.\nEmployee: {employee}\nSource: {source}\n' +
      'Campaign: {campaign}\nRecording: {recording_url}',
    taskColleagueSubject: '{employee} answered your client {caller}',
    taskColleagueBody:
      'Your client {caller} called on {called_at} and {employee} answered ({duration}). ' +
      'Listen to the recording to see what was agreed: {recording_url}\nSource: {source}\nCampaign: {campaign}',
    taskCheckIntegrationSubject: 'Check the integration settings: a call with an unknown employee',
    taskCheckIntegrationBody:
      'The {direction} call with {client} on {called_at} was answered or placed on {destination}, which is not linked ' +
      "to any employee in ringpath. Add it to an employee's main or additional destinations.\n" +
      'Tracking number: {tracking_number}\nDuration: {duration}\nRecording: {recording_url}\nCall id: {call_id}',
    taskNotMappedSubject: 'Check the integration settings: {employee} has no CRM user',
    taskNotMappedBody:
      '{employee} answered or placed the {direction} call with {client} on {called_at}, but is not linked to an active ' +
      'CRM user in ringpath, so the call could not be assigned to them. Link the employee to their CRM user.\nCall id: {call_id}',
  },
  words: {
    none: 'not set',
    noRecording: 'no recording',
    nobody: 'nobody',
    unassigned: 'unassigned',
    unknownEmployee: 'unknown employee',
    directions: { inbound: 'inbound', outbound: 'outbound' },
    dispositions: {
      answered: 'answered',
      missed: 'missed',
      busy: 'busy',
      failed: 'failed',
      abandoned: 'caller hung up',
      blocked: 'blocked by the dial plan',
    },
  },
};
