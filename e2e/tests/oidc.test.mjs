// Single sign-on in real Chromium: the SSO button, the provider's login form, back to the runs page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launch, shot, watchedPage } from './lib/browser.mjs';
import { startOidcProvider } from './lib/oidc.mjs';
import { startDemoServer } from './lib/server.mjs';

const T = { timeout: 120_000 };
let provider;
let server;
let browser;
let page;
let seen;

before(async () => {
  provider = await startOidcProvider({ issuerId: 'corp' });
  server = await startDemoServer({
    args: ['--oidc-issuer', provider.issuer, '--oidc-client-id', 'sextant-e2e', '--oidc-client-secret', 'e2e-secret', '--oidc-name', 'Corp SSO'],
  });
  browser = await launch();
  ({ page, seen } = await watchedPage(browser));
  page.setDefaultTimeout(20_000);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await provider?.stop();
});

describe('single sign-on', () => {
  it('signs in through the provider and lands on the runs page as that user', T, async () => {
    await page.goto(server.url + '/runs');
    const sso = page.getByRole('link', { name: 'Sign in with Corp SSO' });
    await sso.waitFor();
    await sso.click();
    // the provider's own login form
    await page.waitForURL((u) => u.toString().startsWith(provider.issuer + '/authorize'));
    await page.locator('input[name=username]').fill('sub-olivia');
    await page.locator('textarea[name=claims]').fill(JSON.stringify({ preferred_username: 'Olivia', groups: ['default:viewer'] }));
    await page.locator('input[type=submit][value=Sign-in]').click();
    // back at Sextant, signed in
    await page.waitForURL((u) => u.toString().startsWith(server.url));
    await page.locator('.runs-table tbody tr').first().waitFor();
    assert.equal(await page.locator('.user').innerText(), 'olivia');
    assert.equal(new URL(page.url()).searchParams.get('sso_error'), null);
    const session = (await page.context().cookies(server.url)).find((c) => c.name === 'sextant_session');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true);
    const me = await page.evaluate(async () => (await fetch('/v1/auth/me')).json());
    assert.equal(me.username, 'olivia');
    assert.deepEqual(seen.pageErrors, []);
    await shot(page, 'sso-runs.png');
  });

  it('shows why on the login page when the provider refuses the sign-in', T, async () => {
    await page.context().clearCookies();
    await page.goto(server.url + '/v1/auth/oidc/callback?error=access_denied&error_description=not+in+group');
    await page.getByText('Single sign-on failed: the provider answered access_denied: not in group').waitFor();
    await page.getByRole('link', { name: 'Sign in with Corp SSO' }).waitFor();
  });
});
