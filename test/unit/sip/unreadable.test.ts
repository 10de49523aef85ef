// Which drachtio wire frames carry a request drachtio-srf cannot read (and would
// drop unanswered), and the 400 that answers one.
import t from 'tap';
import { badRequestFrame, unreadableRequest } from '../../../src/sip/unreadable.ts';

const leader = (txn = 'txn-1') => `msg-1|sip|network|512|udp|192.0.2.10|5060|12:00:00.000|${txn}|`;
const request = (requestLine: string) =>
  [requestLine, 'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1', 'From: <sip:+380501234567@192.0.2.10>;tag=a', 'To: <sip:+380441234567@x>', 'Call-ID: abc@192.0.2.10', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''].join('\r\n');

t.test('unreadable requests from the network are found, everything else is left alone', async (t) => {
  // [case, frame, unreadable]
  const rows: Array<[string, string, boolean]> = [
    ['a well-formed INVITE', `${leader()}\r\n${request('INVITE sip:+380441234567@x SIP/2.0')}`, false],
    ['two spaces after the method', `${leader()}\r\n${request('INVITE  sip:+380441234567@x SIP/2.0')}`, true],
    ['two spaces before the version', `${leader()}\r\n${request('INVITE sip:+380441234567@x  SIP/2.0')}`, true],
    ['a response', `${leader()}\r\n${request('SIP/2.0 200 OK').replace('CSeq: 1 INVITE', 'CSeq: 1 INVITE')}`, false],
    ['not from the network (our own request echoed)', `msg-1|sip|application|512|udp|1.2.3.4|5060|t|txn|\r\n${request('INVITE  sip:x@y SIP/2.0')}`, false],
    ['no transaction id', `msg-1|sip|network|512|udp|1.2.3.4|5060|t||\r\n${request('INVITE  sip:x@y SIP/2.0')}`, false],
    ['not a SIP frame', `msg-1|response|OK\r\n`, false],
    ['no CRLF at all', 'msg-1|sip|network', false],
  ];
  for (const [name, frame, unreadable] of rows) t.equal(unreadableRequest(frame) !== undefined, unreadable, name);
  t.same(unreadableRequest(`${leader('txn-9')}\r\n${request('INVITE  sip:+380441234567@x SIP/2.0')}`), {
    transactionId: 'txn-9',
    requestLine: 'INVITE  sip:+380441234567@x SIP/2.0',
    callId: 'abc@192.0.2.10',
  });
});

t.test('the answer: 400 with its reason, through the same transaction', async (t) => {
  t.equal(badRequestFrame('txn-9'), 'sip|txn-9|\r\nSIP/2.0 400 Bad Request\r\nX-Reason: MALFORMED_REQUEST\r\nContent-Length: 0\r\n\r\n');
});
