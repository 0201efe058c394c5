// Journey: people chat with two bots on their hosted web chat pages and an operator tries one in the
// test console; on Conversations the operator searches a word, narrows to a platform and a bot, reloads
// (the filters stay in the URL), opens the transcript with the searched word marked, steps back with
// the browser, finds nothing for a word nobody wrote and clears the filters; the page fits a phone
// and reads well in dark mode.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { signUp } from '../lib/account.mjs';
import { lowContrastText } from '../lib/contrast.mjs';
import { journeySteps, launchBrowser, screenshotsFor, startServer } from '../lib/harness.mjs';

const OPERATOR = {
  name: 'Ada Operator',
  email: 'ada@harbour.example.com',
  password: 'correct horse battery',
};
const FERRIES = 'Harbour Ferries';
const CAFE = 'Lighthouse Café';
const TIMETABLE = {
  name: 'Ferry timetable',
  trigger: 'timetable',
  answer: 'The island ferry leaves every hour from pier 3; the timetable is on the noticeboard.',
};

describe('conversations journey', () => {
  let server;
  let operator;
  let visitor; // never signed in
  let screenshot;
  const ids = {};
  const chats = {};

  before(async () => {
    screenshot = await screenshotsFor('conversations-journey');
  });
  after(async () => {
    await operator?.close();
    await visitor?.close();
    await server?.stop();
  });

  const { step } = journeySteps(
    () => ({ operator, visitor }),
    () => screenshot,
  );
  const url = (route) => `${server.baseURL}${route}`;
  /** A JSON call from the signed-in page, with its CSRF token, as the app makes it. */
  const call = (page, method, route, body) =>
    page.evaluate(
      async ({ method, route, body }) => {
        const session = await (await fetch('/api/auth/session')).json();
        const response = await fetch(route, {
          method,
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
        return text ? JSON.parse(text) : null;
      },
      { method, route, body },
    );
  const rows = (page) => page.getByRole('table', { name: 'Conversations' }).locator('tbody tr');
  const settled = (page) =>
    page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0);

  step('the server starts and two browsers open', {}, async () => {
    server = await startServer();
    operator = await launchBrowser();
    visitor = await launchBrowser();
    operator.page.setDefaultTimeout(10_000);
    visitor.page.setDefaultTimeout(10_000);
  });

  step(
    'an owner signs up and deploys two bots to the web chat',
    { operator: ['401 GET /api/auth/session'] },
    async () => {
      const { page } = operator;
      await signUp(page, server.baseURL, OPERATOR);
      const template = await call(page, 'POST', '/api/templates', {
        name: TIMETABLE.name,
        category: 'Travel',
        trigger_phrases: [TIMETABLE.trigger],
        body: TIMETABLE.answer,
      });
      for (const [key, name] of [
        ['ferries', FERRIES],
        ['cafe', CAFE],
      ]) {
        const bot = await call(page, 'POST', '/api/bots', { name, greeting: `Welcome to ${name}!` });
        ids[key] = bot.id;
        const deployment = await call(page, 'POST', '/api/deployments', {
          bot_id: bot.id,
          channel: 'webchat',
          allowed_origins: ['https://harbour.example.com'],
          hosted_page_enabled: true,
        });
        chats[key] = new URL(deployment.hosted_url).pathname;
      }
      await call(page, 'PATCH', `/api/bots/${ids.ferries}`, { template_ids: [template.id] });
    },
  );

  step('a visitor asks both bots on their chat pages', {}, async () => {
    const { page } = visitor;
    await page.goto(url(chats.ferries));
    await page.getByLabel('Your message').fill('Where can I find the timetable for the island ferry?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(TIMETABLE.answer).waitFor();
    await page.goto(url(chats.cafe));
    await page.getByLabel('Your message').fill('Do you serve oat milk with the breakfast menu?');
    await page.getByRole('button', { name: 'Send' }).click();
    // No AI key on this server: the bot answers with its fallback message.
    await page.getByText(/Someone from our team will get back to you/).waitFor();
  });

  step('the operator tries the ferry bot in the test console', {}, async () => {
    const answer = await call(operator.page, 'POST', `/api/bots/${ids.ferries}/chat`, {
      text: 'Console check: does the ferry run on Sundays?',
    });
    assert.ok(answer.session_id);
  });

  step('Conversations in the sidebar lists every conversation of the organisation', {}, async () => {
    const { page } = operator;
    await page.goto(url('/'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conversations' }).click();
    await page.getByRole('heading', { name: 'Conversations', level: 1 }).waitFor();
    await rows(page).nth(2).waitFor();
    assert.equal(await rows(page).count(), 3);
    await page.getByText('3 conversations shown').waitFor();
    await screenshot(page, 'all-conversations');
  });

  step('a search for a word finds the conversations whose messages hold it', {}, async () => {
    const { page } = operator;
    await page.getByLabel('Search messages').fill('ferry');
    await page.getByLabel('Search messages').press('Enter');
    await page.waitForURL(/[?&]q=ferry\b/);
    await page.getByText('2 conversations shown').waitFor();
    assert.equal(await rows(page).filter({ hasText: CAFE }).count(), 0);
  });

  step('the platform and the bot narrow it further, and a reload keeps the filters', {}, async () => {
    const { page } = operator;
    await page.getByLabel('Platform').selectOption('webchat');
    await page.getByText('1 conversation shown').waitFor();
    await page.getByLabel('Bot').selectOption({ label: FERRIES });
    await page.waitForURL((current) => current.searchParams.get('bot_id') === ids.ferries);
    const filtered = new URL(page.url());
    assert.equal(filtered.searchParams.get('q'), 'ferry');
    assert.equal(filtered.searchParams.get('platform'), 'webchat');

    await page.reload();
    await page.getByText('1 conversation shown').waitFor();
    assert.equal(page.url(), filtered.href);
    assert.equal(await page.getByLabel('Search messages').inputValue(), 'ferry');
    assert.equal(await page.getByLabel('Platform').inputValue(), 'webchat');
    assert.equal(await page.getByLabel('Bot').inputValue(), ids.ferries);
    const row = rows(page).first();
    assert.match(await row.textContent(), /Web chat/);
    assert.match(await row.textContent(), new RegExp(FERRIES));
  });

  step('the transcript shows every message with the searched word marked', {}, async () => {
    const { page } = operator;
    await rows(page).first().getByRole('button').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: new RegExp(`with ${FERRIES}`) }).waitFor();
    const messages = dialog.getByLabel('Messages');
    await messages.getByText('Where can I find the timetable for the island ferry?').waitFor();
    await messages.getByText(TIMETABLE.answer).waitFor();
    const marked = await messages.locator('mark').allTextContents();
    assert.deepEqual(marked, ['ferry', 'ferry']);
    assert.equal(new URL(page.url()).searchParams.has('conversation'), true);
    await settled(page);
    await screenshot(page, 'transcript');
  });

  step('Back closes the transcript, and Back again brings the earlier filters back', {}, async () => {
    const { page } = operator;
    await page.goBack();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    assert.equal(new URL(page.url()).searchParams.get('bot_id'), ids.ferries);
    await page.goBack();
    await page.waitForURL((current) => !current.searchParams.has('bot_id'));
    await page.waitForFunction(() => document.getElementById('conversations-bot')?.value === '');
    await page.goBack();
    await page.waitForURL((current) => !current.searchParams.has('platform'));
    await page.getByText('2 conversations shown').waitFor();
  });

  step('a word nobody wrote matches nothing, and Clear filters shows everything again', {}, async () => {
    const { page } = operator;
    await page.getByLabel('Search messages').fill('submarine');
    await page.getByLabel('Search messages').press('Enter');
    await page.getByText('No conversations match these filters').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).last().click();
    await page.getByText('3 conversations shown').waitFor();
    assert.equal(new URL(page.url()).search, '');
    assert.equal(await page.getByLabel('Search messages').inputValue(), '');
  });

  step('on a phone in dark mode the page fits the screen and its text is readable', {}, async () => {
    const { page } = operator;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => localStorage.setItem('switchboard.theme', 'dark'));
    await page.goto(url('/conversations?q=ferry'));
    await page.getByText('2 conversations shown').waitFor();
    await settled(page);
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('dark')), true);
    const { scrollWidth, width } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }));
    assert.ok(scrollWidth <= width, `the page is ${scrollWidth} px wide on a ${width} px screen`);
    assert.deepEqual(await lowContrastText(page), [], 'text readable on the dark Conversations page');
    await screenshot(page, 'phone-dark');
    await rows(page).first().getByRole('button').first().click();
    await page.getByRole('dialog').getByLabel('Messages').locator('mark').first().waitFor();
    await settled(page);
    assert.deepEqual(await lowContrastText(page), [], 'text readable in the dark transcript');
    await screenshot(page, 'phone-dark-transcript');
  });
});
