// Journey: the web chat's colours follow the page it is embedded in (ADR 0031). On a shop at another local
// origin, with the deployment's theme "system", the chat opened from widget.js is dark when the shop's
// visitor prefers dark and light when they prefer light — also when that changes while the chat is open —
// and the frame's own background and border match, so no white box shows. "Always light" and "Always dark"
// win over the visitor's setting, in the widget and on the hosted chat page. The text of the dark chat is
// readable (WCAG AA), and the launcher's icon is dark on a light launcher colour.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { callApi, signUp } from '../lib/account.mjs';
import { startSite } from '../lib/site.mjs';
import { lowContrastText } from '../lib/contrast.mjs';
import { journeySteps, launchBrowser, screenshotsFor, startServer } from '../lib/harness.mjs';

const OPERATOR = {
  name: 'Mary Somerville',
  email: 'mary@example.com',
  password: 'correct horse battery',
};
const GREETING = 'Good evening from the observatory.';
const FALLBACK = 'An astronomer will answer you soon.';
const YELLOW = '#fde047';

describe('widget theme journey', () => {
  let server;
  let shop;
  let operator;
  let visitor;
  let screenshot;
  let deployment;

  before(async () => {
    screenshot = await screenshotsFor('widget-theme-journey');
  });

  after(async () => {
    await visitor?.close();
    await operator?.close();
    await shop?.stop();
    await server?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ operator, visitor }),
    () => screenshot,
  );
  const url = (path) => `${server.baseURL}${path}`;

  /** A JSON call from the operator's page, with its CSRF token; throws on a non-2xx answer. */
  const call = async (method, route, body) => {
    const answer = await callApi(operator.page, method, route, body);
    if (answer.status < 200 || answer.status > 299)
      throw new Error(`${method} ${route}: ${answer.status} ${JSON.stringify(answer.json)}`);
    return answer.json;
  };

  const launcher = () => visitor.page.locator('#switchboard-chat-bubble');
  const frame = () => visitor.page.locator('iframe[title="Chat"]');
  const chat = () => visitor.page.frameLocator('iframe[title="Chat"]');
  /** Whether the chat inside the frame is dark, and the frame element's own background. */
  const look = async () => ({
    dark: await chat()
      .locator('html')
      .evaluate((html) => html.classList.contains('dark')),
    background: await chat()
      .locator('body')
      .evaluate((body) => getComputedStyle(body).backgroundColor),
    frame: await frame().evaluate((element) => getComputedStyle(element).backgroundColor),
  });
  const waitForChatTheme = (dark) =>
    chat()
      .locator(dark ? 'html.dark' : 'html:not(.dark)')
      .waitFor({ state: 'attached' });
  /** The shop opened fresh in `scheme`, the chat opened and its greeting shown. */
  const openChat = async (scheme) => {
    const { page } = visitor;
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${shop.origin}/`);
    await launcher().click();
    await chat().getByText(GREETING).waitFor();
  };

  step(
    'the server and the shop start; an operator deploys a bot to web chat for the shop',
    { operator: ['401 GET /api/auth/session'] },
    async () => {
      server = await startServer();
      shop = await startSite(
        'Observatory shop',
        () =>
          deployment
            ? `<script src="${server.baseURL}/widget.js" data-key="${deployment.key}" async></script>`
            : '',
        { head: '<meta name="color-scheme" content="light dark">' },
      );
      operator = await launchBrowser();
      operator.page.setDefaultTimeout(10_000);
      visitor = await launchBrowser();
      visitor.page.setDefaultTimeout(10_000);
      await signUp(operator.page, server.baseURL, OPERATOR);
      const bot = await call('POST', '/api/bots', {
        name: 'Observatory helper',
        greeting: GREETING,
        fallback_message: FALLBACK,
      });
      deployment = await call('POST', '/api/deployments', {
        bot_id: bot.id,
        channel: 'webchat',
        allowed_origins: [shop.origin],
        hosted_page_enabled: true,
        color: YELLOW,
        theme: 'system',
      });
      assert.equal(deployment.theme, 'system');
    },
  );

  step('a visitor who prefers dark gets a dark chat in a dark frame, readable', {}, async () => {
    await openChat('dark');
    const seen = await look();
    assert.equal(seen.dark, true, 'the chat is dark');
    assert.equal(seen.frame, 'rgb(9, 9, 11)', 'the frame behind the chat is dark too');
    assert.equal(seen.background, 'rgb(9, 9, 11)');
    // A light launcher colour gets a near-black icon.
    assert.equal(await launcher().evaluate((button) => getComputedStyle(button).color), 'rgb(9, 9, 11)');
    await chat().getByLabel('Your message').fill('When is the next eclipse?');
    await chat().getByRole('button', { name: 'Send' }).click();
    await chat().getByText(FALLBACK).waitFor();
    const inside = visitor.page.frames().find((candidate) => candidate.url().includes('/chat/'));
    assert.ok(inside, 'the chat frame');
    assert.deepEqual(await lowContrastText(inside), [], 'text readable in the dark chat');
    await screenshot(visitor.page, '01-widget-dark');
  });

  step(
    'when the visitor switches to light with the chat open, the chat and its frame turn light',
    {},
    async () => {
      const { page } = visitor;
      await page.emulateMedia({ colorScheme: 'light' });
      await waitForChatTheme(false);
      const seen = await look();
      assert.equal(seen.frame, 'rgb(255, 255, 255)');
      assert.equal(seen.background, 'rgb(255, 255, 255)');
      await chat().getByText(FALLBACK).waitFor(); // the conversation stays
      await screenshot(page, '02-widget-turned-light');
      await page.emulateMedia({ colorScheme: 'dark' });
      await waitForChatTheme(true);
    },
  );

  step('a visitor who prefers light gets a light chat', {}, async () => {
    await openChat('light');
    assert.deepEqual(await look(), {
      dark: false,
      background: 'rgb(255, 255, 255)',
      frame: 'rgb(255, 255, 255)',
    });
  });

  step('"Always light" wins over a dark visitor, in the widget and on the hosted page', {}, async () => {
    await call('PATCH', `/api/deployments/${deployment.id}`, {
      theme: 'light',
    });
    await openChat('dark');
    assert.deepEqual(await look(), {
      dark: false,
      background: 'rgb(255, 255, 255)',
      frame: 'rgb(255, 255, 255)',
    });
    // Switching the scheme while open changes nothing.
    await visitor.page.emulateMedia({ colorScheme: 'light' });
    await visitor.page.emulateMedia({ colorScheme: 'dark' });
    assert.equal((await look()).dark, false);
    await screenshot(visitor.page, '03-widget-always-light');

    const { page } = visitor;
    await page.goto(url(new URL(deployment.hosted_url).pathname));
    await page.getByText(GREETING).first().waitFor();
    await page.locator('html:not(.dark)').waitFor({ state: 'attached' });
    assert.equal(
      await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
      'rgb(255, 255, 255)',
    );
  });

  step('"Always dark" wins over a light visitor, in the widget and on the hosted page', {}, async () => {
    await call('PATCH', `/api/deployments/${deployment.id}`, {
      theme: 'dark',
    });
    await openChat('light');
    assert.deepEqual(await look(), {
      dark: true,
      background: 'rgb(9, 9, 11)',
      frame: 'rgb(9, 9, 11)',
    });

    const { page } = visitor;
    await page.goto(url(new URL(deployment.hosted_url).pathname));
    await page.getByText(GREETING).first().waitFor();
    await page.locator('html.dark').waitFor({ state: 'attached' });
    assert.deepEqual(await lowContrastText(page), [], 'text readable on the dark hosted page');
    await screenshot(page, '04-hosted-always-dark');
  });
});
