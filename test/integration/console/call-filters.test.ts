// The call log's filters (SPEC §8): date range, source and campaign, result,
// answered by, record owner, and "missed and not called back within N days".
import t from 'tap';
import { testApi } from '../../support/app.ts';
import { storeCall } from '../../support/console.ts';

t.test('each filter narrows the call log to the calls it describes', async (t) => {
  const api = await testApi(t);
  const db = api.db.pool;
  const emp = async (email: string, owner: string | null) =>
    (await api.post('/api/v1/employees', { email, full_name: email.split('@')[0], ...(owner ? { hubspot_owner_id: owner } : {}) })).json().id as number;
  const anna = await emp('anna@example.com', 'own-anna');
  const boris = await emp('boris@example.com', null);
  await db.query(`INSERT INTO crm_contacts (id, owner_id) VALUES ('c1', 'own-anna')`);
  const day = (d: number) => new Date(Date.UTC(2026, 5, d, 9));
  const calls = {
    googleAnswered: await storeCall(db, { caller: '+380501110001', source: 'google / cpc', answeredByEmployeeId: anna, startedAt: day(1) }),
    googleMissed: await storeCall(db, { caller: '+380501110002', source: 'google / cpc', disposition: 'missed', crmContactId: 'c1', startedAt: day(2) }),
    billboardMissedCalledBack: await storeCall(db, { caller: '+380501110003', source: 'Billboard 50%_off', disposition: 'missed', startedAt: day(3) }),
    lateCallBack: await storeCall(db, { caller: '+380501110004', source: 'Billboard', disposition: 'missed', startedAt: day(4) }),
    borisAnswered: await storeCall(db, { caller: '+380501110005', source: 'facebook / paid', answeredByEmployeeId: boris, startedAt: day(5) }),
  };
  await db.query(`UPDATE calls SET attribution = attribution || '{"campaign": "Summer Sale"}' WHERE id = $1`, [calls.googleMissed]);
  const outbound = (callee: string, at: Date) =>
    db.query(
      `INSERT INTO calls (id, direction, callee, started_at, ended_at, disposition, crm_sync_state)
       VALUES (gen_random_uuid(), 'outbound', $1, $2, $2::timestamptz + interval '1 minute', 'answered', 'not_required')`,
      [callee, at],
    );
  await outbound('+380501110003', new Date(day(3).getTime() + 3600_000)); // called back within the hour
  await outbound('+380501110004', day(10)); // called back six days later
  const ids = async (query: string) => {
    const r = await api.get(`/api/v1/calls?direction=inbound&${query}`);
    t.equal(r.statusCode, 200, `${query}: ${r.body.slice(0, 200)}`);
    return (r.json().items as Array<{ id: string }>).map((c) => c.id).sort();
  };
  const sorted = (...xs: string[]) => xs.sort();
  t.same(await ids(''), sorted(...Object.values(calls)), 'no filter: every inbound call');
  t.same(await ids('from=2026-06-02T00:00:00Z&to=2026-06-04T00:00:00Z'), sorted(calls.googleMissed, calls.billboardMissedCalledBack), 'the date range (to is exclusive)');
  t.same(await ids('source=GOOGLE'), sorted(calls.googleAnswered, calls.googleMissed), 'source, any case');
  t.same(await ids('source=50%25_'), [calls.billboardMissedCalledBack], '% and _ are matched literally');
  t.same(await ids('campaign=summer'), [calls.googleMissed], 'campaign');
  t.same(await ids('disposition=missed'), sorted(calls.googleMissed, calls.billboardMissedCalledBack, calls.lateCallBack), 'result');
  t.same(await ids(`answered_by=${boris}`), [calls.borisAnswered], 'answered by');
  t.same(await ids(`record_owner=${anna}`), [calls.googleMissed], "the record owner: the contact's HubSpot owner mapped to Anna");
  t.same(await ids('not_called_back_days=1'), sorted(calls.googleMissed, calls.lateCallBack), 'missed and not called back within a day');
  t.same(await ids('not_called_back_days=7'), [calls.googleMissed], 'within a week the late call back counts');
  t.same(await ids('disposition=missed&source=billboard&not_called_back_days=1'), [calls.lateCallBack], 'filters combine');

  for (const bad of ['from=yesterday', 'not_called_back_days=0', 'answered_by=x', 'disposition=lost']) {
    const r = await api.get(`/api/v1/calls?${bad}`);
    t.equal(r.statusCode, 400, `${bad} is refused`);
    t.equal(r.json().code, 'VALIDATION_FAILED');
    t.ok(r.json().errors.length > 0, `${bad}: names the field`);
  }
});
