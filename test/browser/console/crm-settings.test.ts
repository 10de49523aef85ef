// The CRM settings on the CRM page in Chromium, against the HubSpot emulator:
// the field mapping picked from HubSpot's properties (read-only ones cannot be
// picked), a pipeline rule and the matrix options saved; a bad tracking number
// refused beside its field with nothing saved; a property that disappeared from
// HubSpot refused beside its field, then created on request.
import t from 'tap';
import { consoleWorld, describedBy, logIn, shot } from '../../support/console-browser.ts';
import { consoleUser, PASSWORD } from '../../support/console.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';

t.test('CRM settings: mapping picked from HubSpot, pipeline rule and options saved, refusals beside their fields', async (t) => {
  const { emulator, client } = await hubspotForTest(t);
  emulator.control.defineProperty('deals', { name: 'google_click_id', label: 'Google click id' });
  const w = await consoleWorld(t, { env: { HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url } });
  t.equal((await w.api('POST', '/api/v1/crm/refresh')).statusCode, 200, 'pipelines and stages in the mirror');
  const pipeline = (await w.api('GET', '/api/v1/crm/pipelines')).json().items[0] as { id: string; label: string; stages: Array<{ id: string; label: string }> };
  const settings = async () => (await w.api('GET', '/api/v1/settings')).json();
  await consoleUser(w.db.pool, { email: 'boss@shop.example', accessLevel: 'admin', salesRole: 'head' });
  await logIn(w, 'boss@shop.example', PASSWORD);
  const page = w.page;
  await page.getByRole('link', { name: 'CRM', exact: true }).click();
  const form = page.getByRole('form', { name: 'CRM settings' });
  await form.waitFor();

  // the field mapping: HubSpot's deal properties to pick from
  const gclid = form.getByRole('textbox', { name: 'gclid', exact: true });
  await gclid.click();
  const readOnly = page.getByRole('option', { name: /\(hs_is_closed\) — read-only/ });
  t.equal(await readOnly.getAttribute('data-combobox-disabled'), 'true', 'a read-only property is marked and cannot be picked');
  await page.getByRole('option', { name: 'Google click id (google_click_id)' }).click();

  // the matrix options
  await form.getByRole('textbox', { name: 'Language of tasks and notes' }).click();
  await page.getByRole('option', { name: 'Ukrainian' }).click();
  await form.getByLabel('Log every answered call as a completed task').uncheck({ force: true });

  // a pipeline rule with a tracking number that is not one
  await form.getByRole('button', { name: 'Add a rule' }).click();
  const rule = form.getByRole('group', { name: 'Rule 1' });
  await rule.getByRole('textbox', { name: 'When the call has' }).click();
  await page.getByRole('option', { name: 'Tracking number' }).click();
  await rule.getByRole('textbox', { name: 'Tracking number' }).fill('call us');
  await rule.getByRole('textbox', { name: 'Stage' }).click();
  await page.getByRole('option', { name: pipeline.stages[1]!.label, exact: true }).click();
  await form.getByRole('button', { name: 'Save CRM settings' }).click();
  await form.getByText('Nothing was saved. Fix the fields marked below.').waitFor();
  t.match(await describedBy(rule.getByRole('textbox', { name: 'Tracking number' })), /phone number|tracking/i, 'the refusal is beside the tracking number');
  await shot(page, 'console-crm-settings-refused');
  const untouched = await settings();
  t.same([untouched.crm_field_mapping, untouched.crm_deal_pipeline_rules, untouched.crm_language], [{}, [], 'en'], 'nothing was saved');

  await rule.getByRole('textbox', { name: 'Tracking number' }).fill('044 123 4567');
  await form.getByRole('button', { name: 'Save CRM settings' }).click();
  await form.getByText('CRM settings saved.').waitFor();
  const saved = await settings();
  t.same(saved.crm_field_mapping, { gclid: 'google_click_id' }, 'the mapping picked from the list');
  t.same(saved.crm_deal_pipeline_rules, [{ match: { tracking_number: '+380441234567' }, pipeline_id: pipeline.id, stage_id: pipeline.stages[1]!.id }], 'the rule');
  t.equal(saved.crm_language, 'uk');
  t.equal(saved.crm_completed_task_for_answered_calls, false);
  await shot(page, 'console-crm-settings');

  // the property disappears from HubSpot: saving again names it beside its field
  await client.crm.properties.coreApi.archive('deals', 'google_click_id');
  await page.reload();
  await form.waitFor();
  await t.resolveMatch(form.getByRole('textbox', { name: 'gclid', exact: true }).inputValue(), /google_click_id — not in HubSpot/, 'a stored property HubSpot no longer has is shown as such');
  await form.getByRole('button', { name: 'Save CRM settings' }).click();
  await form.getByText('Nothing was saved. Fix the fields marked below.').waitFor();
  t.match(await describedBy(form.getByRole('textbox', { name: 'gclid', exact: true })), /deals have no property "google_click_id"/, 'named beside the field');
  await form.getByRole('button', { name: 'Create the missing properties in HubSpot and save' }).click();
  await form.getByText('CRM settings saved.').waitFor();
  t.equal((await client.crm.properties.coreApi.getByName('deals', 'google_click_id')).name, 'google_click_id', 'created again in HubSpot');
  t.same((await settings()).crm_field_mapping, { gclid: 'google_click_id' });
});
