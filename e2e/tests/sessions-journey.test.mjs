// Journey: a user signed in on two browsers sees both sessions on the profile page, signs the
// other one out, and that browser is sent to the sign-in page on its next action.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { signIn, signUp } from '../lib/account.mjs';
import { journeySteps, launchBrowser, screenshotsFor, startServer } from '../lib/harness.mjs';

const USER = {
  name: 'Ada',
  email: 'ada@example.com',
  password: 'correct horse battery',
};

describe('sessions journey', () => {
  let server;
  let laptop; // the first browser profile
  let phone; // a second, separate profile
  let screenshot;

  before(async () => {
    screenshot = await screenshotsFor('sessions-journey');
  });

  after(async () => {
    await laptop?.close();
    await phone?.close();
    await server?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ laptop, phone }),
    () => screenshot,
  );

  const url = (path) => `${server.baseURL}${path}`;
  const sessionsCard = (page) => page.locator('#sessions');

  step('the server starts and two browser profiles open', {}, async () => {
    server = await startServer();
    laptop = await launchBrowser();
    phone = await launchBrowser();
    laptop.page.setDefaultTimeout(10_000);
    phone.page.setDefaultTimeout(10_000);
  });

  step('the user signs up on the laptop', { laptop: ['401 GET /api/auth/session'] }, async () => {
    await signUp(laptop.page, server.baseURL, USER);
  });

  step('and signs in on the phone', { phone: ['401 GET /api/auth/session'] }, async () => {
    const page = phone.page;
    await page.goto(url('/auth'));
    await signIn(page, server.baseURL, USER);
    await page.getByRole('heading', { name: /^Good \w+, Ada$/ }).waitFor();
  });

  step('the laptop sees both sessions, its own marked', {}, async () => {
    const page = laptop.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
    await page.waitForURL(url('/settings/profile'));
    const list = sessionsCard(page).getByRole('list', { name: 'Sessions' });
    await list.waitFor();
    assert.equal(await list.getByRole('listitem').count(), 2);
    await list.getByText('This browser').waitFor();
    assert.equal(await list.getByText(/^Chrome on Linux$/).count(), 2, 'both are headless Chromium on Linux');
    await screenshot(page, '01-two-sessions');
  });

  step('the laptop signs the phone out', {}, async () => {
    const page = laptop.page;
    const card = sessionsCard(page);
    await card.getByRole('button', { name: 'Sign out Chrome on Linux' }).click();
    await page.locator('[data-sonner-toast]', { hasText: 'Session signed out' }).waitFor();
    await card
      .getByRole('list', { name: 'Sessions' })
      .getByRole('listitem')
      .nth(1)
      .waitFor({ state: 'detached' });
    assert.equal(await card.getByRole('listitem').count(), 1);
    assert.ok(await card.getByRole('button', { name: 'Sign out everywhere else' }).isDisabled());
    await screenshot(page, '02-one-session');
  });

  step(
    'the phone is sent to the sign-in page on its next action',
    { phone: ['401 GET /api/auth/sessions'] },
    async () => {
      const page = phone.page;
      const sessionsAnswered = page.waitForResponse(
        (response) => response.url() === url('/api/auth/sessions'),
      );
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
      await sessionsAnswered;
      await page.waitForURL(url('/auth?next=%2Fsettings%2Fprofile'));
      // The profile page reads the profile (when the shell's copy is older than 30 seconds) and the
      // two-factor status beside the sessions, all at once; whichever of them went out before the
      // page was left answers 401 too. Wait for them, then leave only the sessions' 401 to check.
      await page.waitForLoadState('networkidle');
      for (const alongside of ['401 GET /api/profile', '401 GET /api/auth/two-factor']) {
        const at = phone.clientErrors.indexOf(alongside);
        if (at !== -1) phone.clientErrors.splice(at, 1);
      }
      await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
      await screenshot(page, '03-phone-signed-out');
    },
  );

  step('the laptop is still signed in', {}, async () => {
    const page = laptop.page;
    await page.reload();
    await sessionsCard(page).getByText('This browser').waitFor();
  });
});
