// Journey: a user picks Dark in the user menu and the whole app turns dark at once; the choice survives a
// reload, and the page is dark before the app's code has even run (no flash of the light theme). System
// follows the browser's colour scheme, also while the page is open; Light wins over a dark system. In dark,
// the user menu, a dialog with a field error, a toast and the Operations chart's tooltip are readable.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { signUp } from '../lib/account.mjs';
import { lowContrastText } from '../lib/contrast.mjs';
import { toast } from '../lib/account.mjs';
import {
  journeySteps,
  launchBrowser,
  screenshotsFor,
  startFakePlatforms,
  startServer,
} from '../lib/harness.mjs';

const USER = { name: 'Grace', email: 'grace@example.com', password: 'correct horse battery' };

describe('dark mode journey', () => {
  let fake;
  let server;
  let browser;
  let screenshot;

  before(async () => {
    screenshot = await screenshotsFor('dark-mode-journey');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await fake?.stop();
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

  /** Escape, then wait until the menu has gone: a click on the trigger while it closes would be lost. */
  const closeMenu = async (page) => {
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
  };

  /** Picks a theme in the user menu; the menu stays open with the choice checked, Escape closes it. */
  const choose = async (page, label) => {
    await page.getByRole('button', { name: 'Open user menu' }).click();
    const item = page.getByRole('menuitemradio', { name: label });
    await item.click();
    assert.equal(await item.getAttribute('aria-checked'), 'true', `${label} is checked`);
    await closeMenu(page);
  };

  step(
    'the server starts and a user signs up, in a browser set to light',
    ['401 GET /api/auth/session'],
    async () => {
      fake = await startFakePlatforms(); // a Telegram account, so the Operations chart has a line
      server = await startServer({ env: fake.env });
      browser = await launchBrowser();
      browser.page.setDefaultTimeout(10_000);
      await browser.page.emulateMedia({ colorScheme: 'light' });
      await signUp(browser.page, server.baseURL, USER);
      await dashboardReady(browser.page);
      assert.equal(await isDark(browser.page), false);
      assert.equal(await bodyBackground(browser.page), 'rgb(255, 255, 255)');
    },
  );

  step('Dark in the user menu turns the page dark at once and is kept', [], async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Open user menu' }).click();
    assert.equal(
      await page.getByRole('menuitemradio', { name: 'System' }).getAttribute('aria-checked'),
      'true',
      'System is the starting choice',
    );
    await closeMenu(page);
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
    assert.equal(
      await page.getByRole('menuitemradio', { name: 'Dark' }).getAttribute('aria-checked'),
      'true',
    );
    await closeMenu(page);
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

  step('in dark, the user menu, a dialog, a toast and the chart’s tooltip are readable', [], async () => {
    const { page } = browser;
    await choose(page, 'Dark');
    const readable = async (what, name) => {
      assert.deepEqual(await lowContrastText(page), [], `text readable: ${what}`);
      await screenshot(page, name);
    };

    await page.getByRole('button', { name: 'Open user menu' }).click();
    await page.getByRole('menuitemradio', { name: 'Dark' }).waitFor();
    await readable('the user menu', 'user-menu-dark');
    await closeMenu(page);

    // A dialog, with the error of a field left empty.
    await page.goto(url('/settings/api-keys'));
    await page.getByRole('button', { name: 'Create API key' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.locator('[aria-invalid="true"]').first().waitFor();
    await readable('a dialog with a field error', 'dialog-dark');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // A toast.
    await page.goto(url('/settings/profile'));
    await page.getByLabel('Name', { exact: true }).fill('Grace Brewster Hopper');
    await page.getByRole('button', { name: 'Save changes' }).first().click();
    await toast(page, 'Profile saved').waitFor();
    await readable('a toast', 'toast-dark');

    // The chart: grid, axes, legend and the tooltip under the pointer, after one message from Telegram.
    const jobId = await page.evaluate(async () => {
      const session = await fetch('/api/auth/session').then((response) => response.json());
      const post = async (route, body) => {
        const response = await fetch(route, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
        return response.json();
      };
      const bot = await post('/api/bots', { name: 'Night owl', greeting: 'Hello' });
      const telegram = await post('/api/integrations', {
        platform: 'telegram',
        name: 'Night owl on Telegram',
        credentials: { bot_token: '7654321098:AAHk3Zq9Lm2Xw7Rt8YpVb4Nc7Ds1Fg6Hj0Ke5Q' },
      });
      await post(`/api/integrations/${telegram.id}/verify`);
      await post('/api/deployments', { bot_id: bot.id, integration_id: telegram.id });
      const simulated = await post(`/api/integrations/${telegram.id}/simulate`, {
        text: 'Are you open late?',
        external_user_id: '4242',
      });
      return simulated.job_id;
    });
    assert.ok(jobId, 'the simulated message started a job');
    await page.goto(url('/operations'));
    const chart = page.getByRole('figure', { name: 'Messages per minute in the last hour' });
    await chart.locator('.recharts-line').first().waitFor();
    const box = await chart.boundingBox();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
    await chart.locator('.recharts-tooltip-wrapper li').first().waitFor();
    await readable('the chart and its tooltip', 'chart-tooltip-dark');
  });
});
