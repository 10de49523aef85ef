// Account information, as HubSpot documents it:
//   GET /account-info/v3/details   the portal id, account type, time zone and currency
import type { Router } from './router.ts';

export function accountRoutes(router: Router, portalId: number): void {
  router.add('GET', '/account-info/v3/details', () => ({
    status: 200,
    body: { portalId, accountType: 'STANDARD', timeZone: 'Europe/Kyiv', companyCurrency: 'UAH', additionalCurrencies: [], utcOffset: '+02:00', utcOffsetMilliseconds: 7_200_000, uiDomain: 'app.hubspot.com', dataHostingLocation: 'eu1' },
  }));
}
