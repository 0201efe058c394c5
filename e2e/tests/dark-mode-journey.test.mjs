// Journey: a user picks Dark in the user menu and the whole app turns dark at once; the choice survives a
// reload, and the page is dark before the app's code has even run (no flash of the light theme). System
// follows the browser's colour scheme, also while the page is open; Light wins over a dark system.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { signUp } from '../lib/account.mjs';
import { lowContrastText } from '../lib/contrast.mjs';
import { journeySteps, launchBrowser, screenshotsFor, startServer } from '../lib/harness.mjs';

const USER = { name: 'Grace', email: 'grace@example.com', password: 'correct horse battery' };

describe('dark mode journey', () => {
  let server;
  let browser;
  let screenshot;

  before(async () => {
    screenshot = await screenshotsFor('dark-mode-journey');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ browser }),
    () => screenshot,
  );

  const url = (path) => `${server.baseURL}${path}`;
  const isDark = (page) => page.evaluate(() => document.documentElement.classList.contains('dark'));
  const stored = (page) => page.evaluate(() => localStorage.getItem('switchboard.theme'));
  const bodyBackground = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dashboardReady = (page) => page.getByRole('heading', { name: /, Grace$/ }).waitFor();

  /** Picks a theme in the user menu; the menu stays open with the choice checked, Escape closes it. */
  const choose = async (page, label) => {
    await page.getByRole('button', { name: 'Open user menu' }).click();
    const item = page.getByRole('menuitemradio', { name: label });
    await item.click();
    assert.equal(await item.getAttribute('aria-checked'), 'true', `${label} is checked`);
    await page.keyboard.press('Escape');
  };

  step('the server starts and a user signs up, in a browser set to light', ['401 GET /api/auth/session'], async () => {
    server = await startServer();
    browser = await launchBrowser();
    browser.page.setDefaultTimeout(10_000);
    await browser.page.emulateMedia({ colorScheme: 'light' });
    await signUp(browser.page, server.baseURL, USER);
    await dashboardReady(browser.page);
    assert.equal(await isDark(browser.page), false);
    assert.equal(await bodyBackground(browser.page), 'rgb(255, 255, 255)');
  });

  step('Dark in the user menu turns the page dark at once and is kept', [], async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Open user menu' }).click();
    assert.equal(
      await page.getByRole('menuitemradio', { name: 'System' }).getAttribute('aria-checked'),
      'true',
      'System is the starting choice',
    );
    await page.keyboard.press('Escape');
    await choose(page, 'Dark');
    assert.equal(await isDark(page), true);
    assert.equal(await stored(page), 'dark');
    assert.notEqual(await bodyBackground(page), 'rgb(255, 255, 255)');
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme), 'dark');
    assert.deepEqual(await lowContrastText(page), [], 'text readable on the dark dashboard');
    await screenshot(page, 'dashboard-dark');
  });

  step('after a reload the page is dark before the app renders', [], async () => {
    const { page } = browser;
    // Hold the app's script until the page has been looked at: <html> must already be dark, with nothing
    // rendered yet, so there is no light frame before the app starts.
    let release;
    const held = new Promise((resolve) => {
      release = resolve;
    });
    let seen = false;
    let continued;
    const sent = new Promise((resolve) => {
      continued = resolve;
    });
    const appScript = /\/assets\/index-[^/]*\.js$/;
    await page.route(appScript, async (route) => {
      seen = true;
      await held;
      await route.continue();
      continued();
    });
    const navigation = page.goto(url('/'), { waitUntil: 'commit' });
    await navigation;
    await page.waitForFunction(() => document.getElementById('root') !== null);
    const before = await page.evaluate(() => ({
      dark: document.documentElement.classList.contains('dark'),
      rendered: document.getElementById('root').childElementCount,
    }));
    release();
    await sent;
    await page.unroute(appScript);
    assert.ok(seen, 'the app script was requested');
    assert.deepEqual(before, { dark: true, rendered: 0 }, 'dark before the app rendered anything');
    await dashboardReady(page);
    assert.equal(await isDark(page), true);
    await page.getByRole('button', { name: 'Open user menu' }).click();
    assert.equal(await page.getByRole('menuitemradio', { name: 'Dark' }).getAttribute('aria-checked'), 'true');
    await page.keyboard.press('Escape');
  });

  step('System follows the browser’s colour scheme, also while the page is open', [], async () => {
    const { page } = browser;
    await choose(page, 'System');
    assert.equal(await stored(page), null, 'System forgets the explicit choice');
    assert.equal(await isDark(page), false, 'the browser is set to light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
    await page.reload();
    await dashboardReady(page);
    assert.equal(await isDark(page), true, 'a dark system after a reload');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(() => !document.documentElement.classList.contains('dark'));
  });

  step('Light wins over a dark system, after a reload too', [], async () => {
    const { page } = browser;
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
    await choose(page, 'Light');
    assert.equal(await isDark(page), false);
    await page.reload();
    await dashboardReady(page);
    assert.equal(await isDark(page), false);
    assert.equal(await stored(page), 'light');
  });
});
