// Journey: an operator gives the web chat's launcher a colour, a side, a label and a greeting (the
// preview follows as they type) and creates an identity secret. On the shop (another local port, so
// another origin) the launcher shows that look; Esc closes the open chat and gives the focus back
// to the launcher; after a reload the visitor sees their conversation again; the shop signs its
// signed-in customer's identity, and the operator sees that name on the dashboard.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe } from 'node:test';
import { callApi, signUp } from '../lib/account.mjs';
import { startSite } from '../lib/site.mjs';
import { journeySteps, launchBrowser, screenshotsFor, startServer } from '../lib/harness.mjs';

const OPERATOR = {
  name: 'Grace Hopper',
  email: 'grace@example.com',
  password: 'correct horse battery',
};
const BOT = 'Lighthouse Helper';
const BOT_GREETING = 'Hello from the bot.';
const GREETING = 'Welcome aboard! How can we help?';
const FALLBACK = 'The keeper will answer you soon.';
const CUSTOMER = { id: 'cust_77', name: 'Ada Lovelace' };

describe('widget journey', () => {
  let server;
  let operator;
  let visitor;
  let screenshot;
  let shop;
  let snippet = '';
  let secret = '';

  before(async () => {
    screenshot = await screenshotsFor('widget-journey');
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
  const toast = (page, text) => page.locator('[data-sonner-toast]', { hasText: text });
  // The shop's page: the snippet, signed for its customer as the shop's server would do it.
  const signedSnippet = () => {
    if (!snippet || !secret) return snippet;
    const expires = String(Math.floor(Date.now() / 1000) + 3600);
    const signature = createHmac('sha256', secret)
      .update(`${CUSTOMER.id}\n${CUSTOMER.name}\n${expires}`)
      .digest('hex');
    return snippet.replace(
      ' async>',
      ` data-user-id="${CUSTOMER.id}" data-user-name="${CUSTOMER.name}" data-user-expires="${expires}"` +
        ` data-user-signature="${signature}" async>`,
    );
  };

  step('the server, the shop and the operator’s browser start', {}, async () => {
    server = await startServer();
    shop = await startSite('Lighthouse Shop', signedSnippet, {
      extra: '<a href="#top">Top of the page</a>',
    });
    operator = await launchBrowser();
    operator.page.setDefaultTimeout(10_000);
  });

  step(
    'the operator signs up, makes a bot and deploys it for the shop',
    { operator: ['401 GET /api/auth/session'] },
    async () => {
      const { page } = operator;
      await signUp(page, server.baseURL, OPERATOR);
      const { json: bot } = await callApi(page, 'POST', '/api/bots', {
        name: BOT,
        greeting: BOT_GREETING,
        fallback_message: FALLBACK,
      });
      const id = bot.id;
      await page.goto(url(`/bots/${id}`));
      await page.getByRole('tab', { name: 'Deployments' }).click();
      await page.getByLabel('Allowed origins').fill(shop.origin);
      await page.getByRole('button', { name: 'Deploy to web chat' }).click();
      await toast(page, 'Deployed to web chat').waitFor();
    },
  );

  step('the launcher preview follows the edits; the look and an identity secret are saved', {}, async () => {
    const { page } = operator;
    const card = page.getByLabel(/^Web chat \S+$/);
    const launcher = card.getByTestId('preview-launcher');
    assert.equal(await launcher.getAttribute('data-side'), 'right');
    await card.getByLabel('Colour', { exact: true }).fill('#ff8800');
    assert.match(await launcher.getAttribute('style'), /rgb\(255, 136, 0\)/);
    await card.getByLabel('Position', { exact: true }).selectOption('left');
    assert.equal(await launcher.getAttribute('data-side'), 'left');
    await card.getByLabel('Launcher label', { exact: true }).fill('Ask the keeper');
    await launcher.getByText('Ask the keeper').waitFor();
    await card.getByTestId('preview-greeting').getByText(BOT_GREETING).waitFor();
    await card.getByLabel('Greeting', { exact: true }).fill(GREETING);
    await card.getByTestId('preview-greeting').getByText(GREETING).waitFor();
    await screenshot(page, '01-launcher-preview');
    await card.getByRole('button', { name: 'Save launcher' }).click();
    await toast(page, 'Launcher saved').waitFor();

    await card.getByRole('button', { name: 'Create identity secret' }).click();
    secret = await card.getByLabel('Identity secret').inputValue();
    assert.match(secret, /^[0-9a-f]{64}$/);
    await card.getByRole('button', { name: 'Replace identity secret' }).waitFor();
    snippet = await card.getByLabel('Embed snippet').inputValue();

    // At phone width the card, its preview included, fits without sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await card.getByTestId('launcher-preview').scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await screenshot(page, '02-launcher-preview-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  step('on the shop the launcher has its colour, side and label; Esc closes the chat', {}, async () => {
    visitor = await launchBrowser();
    const { page } = visitor;
    page.setDefaultTimeout(10_000);
    await page.goto(`${shop.origin}/`);
    const launcher = page.getByRole('button', { name: 'Ask the keeper' });
    await launcher.waitFor();
    const look = await launcher.evaluate((button) => {
      const box = button.getBoundingClientRect();
      return {
        background: getComputedStyle(button).backgroundColor,
        left: box.left,
        right: innerWidth - box.right,
      };
    });
    assert.equal(look.background, 'rgb(255, 136, 0)');
    assert.ok(look.left < 40 && look.right > 200, `on the left: ${JSON.stringify(look)}`);

    await launcher.click();
    const chat = page.frameLocator('iframe[title="Chat"]');
    await chat.getByText(GREETING).waitFor();
    await chat.getByLabel('Your message').fill('Is the lighthouse open on Sundays?');
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.getByText(FALLBACK).waitFor();
    await screenshot(page, '03-widget-open');

    // Esc inside the chat closes it; the focus goes back to the launcher.
    await chat.getByLabel('Your message').press('Escape');
    await page.locator('iframe[title="Chat"]').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'switchboard-chat-bubble');
    // And Esc on the page itself, too.
    await page.getByRole('button', { name: 'Ask the keeper' }).click();
    await page.locator('iframe[title="Chat"]').waitFor({ state: 'visible' });
    await page.getByRole('link', { name: 'Top of the page' }).focus();
    await page.keyboard.press('Escape');
    await page.locator('iframe[title="Chat"]').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'switchboard-chat-bubble');
  });

  step('after a reload the visitor sees their conversation again', {}, async () => {
    const { page } = visitor;
    await page.reload();
    await page.getByRole('button', { name: 'Ask the keeper' }).click();
    const chat = page.frameLocator('iframe[title="Chat"]');
    await chat.getByText('Is the lighthouse open on Sundays?').waitFor();
    await chat.getByText(FALLBACK).waitFor();
    await screenshot(page, '04-history-after-reload');
  });

  step('the operator sees the signed customer’s name on the dashboard', {}, async () => {
    const { page } = operator;
    await page.goto(url('/'));
    await page.getByText('Recent conversations').waitFor();
    await page.getByRole('button', { name: CUSTOMER.name }).first().waitFor();
    await screenshot(page, '05-dashboard-signed-name');
  });
});
