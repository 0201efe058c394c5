// Journey: an operator deploys a bot to web chat for one site only, with the hosted chat page
// switched off. A visitor on that site opens the widget and chats; on another site (another local
// port, so another origin) the widget does not open and a hand-made frame of the chat shows no
// chat; the hosted page answers 404 until the operator turns it back on.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { callApi, signUp } from '../lib/account.mjs';
import { startSite } from '../lib/site.mjs';
import { journeySteps, launchBrowser, screenshotsFor, startServer } from '../lib/harness.mjs';

const OPERATOR = {
  name: 'Grace Hopper',
  email: 'grace@example.com',
  password: 'correct horse battery',
};
const BOT = 'Harbour Helper';
const GREETING = 'Ahoy! Ask me anything about the harbour.';
const FALLBACK = 'A harbour master will answer you soon.';

describe('widget origins journey', () => {
  let server;
  let operator;
  let visitor;
  let screenshot;
  let shop;
  let other;
  let snippet = '';
  let key = '';
  let extra = ''; // more markup for the other site

  before(async () => {
    screenshot = await screenshotsFor('widget-origins-journey');
  });

  after(async () => {
    await visitor?.close();
    await operator?.close();
    await shop?.stop();
    await other?.stop();
    await server?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ operator, visitor }),
    () => screenshot,
  );
  const url = (path) => `${server.baseURL}${path}`;
  const toast = (page, text) => page.locator('[data-sonner-toast]', { hasText: text });

  step('the server, two sites and the operator’s browser start', {}, async () => {
    server = await startServer();
    shop = await startSite('Harbour Shop', () => snippet);
    other = await startSite('Copycat Site', () => snippet + extra);
    operator = await launchBrowser();
    operator.page.setDefaultTimeout(10_000);
  });

  step('the operator signs up and makes a bot', { operator: ['401 GET /api/auth/session'] }, async () => {
    const { page } = operator;
    await signUp(page, server.baseURL, OPERATOR);
    // The bot itself is not what this journey is about: made through the API, as the app would.
    const { json: bot } = await callApi(page, 'POST', '/api/bots', {
      name: BOT,
      greeting: GREETING,
      fallback_message: FALLBACK,
    });
    const id = bot.id;
    assert.match(id, /^bot_/);
    await page.goto(url(`/bots/${id}`));
    await page.getByRole('heading', { name: BOT }).waitFor();
  });

  step('the bot is deployed to web chat for the shop only, without a hosted page', {}, async () => {
    const { page } = operator;
    await page.getByRole('tab', { name: 'Deployments' }).click();
    await page.getByLabel('Allowed origins').fill(shop.origin);
    const hostedPage = page.getByRole('switch', { name: 'Hosted chat page' });
    assert.equal(await hostedPage.getAttribute('aria-checked'), 'true', 'on by default');
    await hostedPage.click();
    assert.equal(await hostedPage.getAttribute('aria-checked'), 'false');
    await page.getByRole('button', { name: 'Deploy to web chat' }).click();
    await toast(page, 'Deployed to web chat').waitFor();
    const card = page.getByLabel(/^Web chat \S+$/);
    await card.getByText(`embeddable on ${shop.origin} only`).waitFor();
    assert.equal(await card.getByRole('link', { name: 'Open hosted chat' }).count(), 0);
    snippet = await card.getByLabel('Embed snippet').inputValue();
    key = /data-key="([^"]+)"/.exec(snippet)[1];
    await screenshot(page, '01-deployed-shop-only');
  });

  step('a visitor on the shop opens the widget and chats', {}, async () => {
    visitor = await launchBrowser();
    const { page } = visitor;
    page.setDefaultTimeout(10_000);
    await page.goto(`${shop.origin}/`);
    await page.getByRole('heading', { name: 'Harbour Shop' }).waitFor();
    await page.getByRole('button', { name: 'Open chat' }).click();
    const chat = page.frameLocator('iframe[title="Chat"]');
    await chat.getByText(GREETING).waitFor();
    await chat.getByLabel('Your message').fill('When does the ferry leave?');
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.getByText(FALLBACK).waitFor();
    await screenshot(page, '02-widget-on-the-shop');
  });

  step(
    'on another site the widget does not open, and a frame of the chat shows no chat',
    { visitor: () => [`403 GET /chat/${key}`] },
    async () => {
      const { page, problems } = visitor;
      extra = `<iframe title="Copied chat" src="${url(`/chat/${key}?embed=1`)}"></iframe>`;
      const refused = page.waitForEvent('console', (message) =>
        message.text().startsWith(`Switchboard chat: not shown on ${other.origin}`),
      );
      await page.goto(`${other.origin}/`);
      await page.getByRole('heading', { name: 'Copycat Site' }).waitFor();
      await refused;
      await page.waitForLoadState('load');
      assert.equal(await page.getByRole('button', { name: 'Open chat' }).count(), 0, 'no chat bubble');
      assert.equal(await page.locator('iframe[title="Chat"]').count(), 0);
      const copied = page.frameLocator('iframe[title="Copied chat"]');
      assert.equal(await copied.getByLabel('Your message').count(), 0, 'the framed chat does not start');
      await screenshot(page, '03-other-site');
      // What the browser reports here is the refusal itself: the CORS-refused widget info, the
      // frame-ancestors block and the widget's own note. Nothing else.
      const seen = problems.splice(0);
      assert.ok(seen.length > 0);
      for (const problem of seen)
        assert.match(
          problem,
          /CORS policy|net::ERR_FAILED|frame-ancestors|Switchboard chat: not shown on/,
          problem,
        );
      extra = '';
    },
  );

  step(
    'the hosted page answers 404 until the operator turns it on',
    { visitor: () => [`404 GET /chat/${key}`] },
    async () => {
      const { page } = visitor;
      const response = await page.goto(url(`/chat/${key}`));
      assert.equal(response.status(), 404);
      await page.getByRole('heading', { name: 'This chat is not available as a page' }).waitFor();
      await screenshot(page, '04-hosted-page-off');

      const card = operator.page.getByLabel(/^Web chat \S+$/);
      await card.getByRole('switch', { name: 'Hosted chat page' }).click();
      await toast(operator.page, 'Hosted chat page turned on').waitFor();
      await card.getByRole('link', { name: 'Open hosted chat' }).waitFor();

      await page.goto(url(`/chat/${key}`));
      await page.getByRole('heading', { name: BOT }).waitFor();
      await page.getByText(GREETING).waitFor();
    },
  );
});
