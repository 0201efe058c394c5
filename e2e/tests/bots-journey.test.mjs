// Journey: an operator signs up, creates and customises a bot, writes a template with a trigger
// phrase, attaches it, tries both in the test console (template answer, then the fallback), deploys
// the bot to web chat, and a visitor in a fresh browser gets the template's answer from the hosted
// chat page and from the widget embedded in another site. The server runs without an OpenRouter
// key, so no reply comes from AI.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { journeySteps, launchBrowser, screenshotsFor, startServer } from '../lib/harness.mjs';

const OPERATOR = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  password: 'correct horse battery',
};
const BOT = 'Bakery Helper';
const GREETING = 'Welcome to Lovelace Bakery! Ask me about our opening hours.';
const FALLBACK = 'Sorry, I can only help with our opening hours for now.';
const TEMPLATE_ANSWER = 'we are open 9am to 5pm every day';
const SHOP = 'http://shop.example.com';

describe('bots journey', () => {
  let server;
  let operator; // the operator's browser
  let visitor; // a visitor's browser, a separate profile
  let screenshot;
  let hostedUrl;
  let embedSnippet;

  before(async () => {
    screenshot = await screenshotsFor('bots-journey');
  });

  after(async () => {
    await visitor?.close();
    await operator?.close();
    await server?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ operator, visitor }),
    () => screenshot,
  );

  const url = (path) => `${server.baseURL}${path}`;
  const toast = (page, text) => page.locator('[data-sonner-toast]', { hasText: text });
  const nav = (page) => page.getByRole('navigation', { name: 'Main' });
  const dialog = (page) => page.getByRole('dialog');

  step('the server starts and the browser opens', {}, async () => {
    server = await startServer();
    operator = await launchBrowser();
    operator.page.setDefaultTimeout(10_000);
  });

  step(
    'a new operator signs up; the dashboard invites them to create a bot',
    { operator: ['401 GET /api/auth/session'] },
    async () => {
      const { page } = operator;
      await page.goto(url('/'));
      await page.waitForURL(url('/auth?next=%2F'));
      await page.getByRole('tab', { name: 'Sign up' }).click();
      await page.getByLabel('Name').fill(OPERATOR.name);
      await page.getByLabel('Work email').fill(OPERATOR.email);
      await page.getByLabel('Password').fill(OPERATOR.password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(url('/'));
      await page.getByText('No bots yet').waitFor();
      await page.getByText('No conversations yet').waitFor();
      for (const link of ['Bots', 'Templates', 'Integrations']) {
        await nav(page).getByRole('link', { name: link, exact: true }).waitFor();
      }
      await screenshot(page, '01-dashboard-empty');
    },
  );

  step('the platforms (on /integrations now) are listed, none connected yet', {}, async () => {
    const { page } = operator;
    await page.goto(url('/platforms'));
    await page.waitForURL(url('/integrations'));
    const webchat = page.getByLabel('Web chat', { exact: true });
    await webchat.getByText('Built in: nothing to connect.').waitFor();
    await page.getByText(/account connected yet\./).nth(5).waitFor();
    assert.equal(await page.getByText(/account connected yet\./).count(), 6);
    await page.getByText('Phone number ID').waitFor();
    await screenshot(page, '02-platforms');
  });

  step('the first bot is created from the empty state', {}, async () => {
    const { page } = operator;
    await nav(page).getByRole('link', { name: 'Bots', exact: true }).click();
    await page.waitForURL(url('/bots'));
    await page.getByText('Create your first bot').waitFor();
    await screenshot(page, '03-bots-empty');

    await page.getByRole('button', { name: 'Create bot' }).first().click();
    await dialog(page).getByLabel('Name', { exact: true }).fill(BOT);
    assert.equal(await dialog(page).getByLabel('Model').inputValue(), 'openai/gpt-4o-mini');
    await screenshot(page, '04-create-bot-dialog');
    await dialog(page).getByRole('button', { name: 'Create bot' }).click();
    await page.waitForURL(/\/bots\/bot_/);
    await page.getByRole('heading', { name: BOT }).waitFor();
    await page
      .getByText(
        'AI is not configured: replies come from your templates and the fallback message. Set OPENROUTER_API_KEY to enable AI.',
      )
      .waitFor();
  });

  step('the bot is customised: greeting and fallback, checked before saving', {}, async () => {
    const { page } = operator;
    await page.getByLabel('Temperature').fill('3');
    await page.getByLabel('Greeting').fill(GREETING);
    await page.getByLabel('Fallback message').fill(FALLBACK);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Enter a temperature between 0 and 2.').waitFor();

    await page.getByLabel('Temperature').fill('0.3');
    await page.getByLabel('Ask for a rating when a conversation ends').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await toast(page, 'Bot saved').waitFor();
    await page.getByText('Saved · version 2').waitFor();
    // The live preview shows the greeting as the visitor will see it.
    await page.getByLabel('Preview conversation').getByText(GREETING).waitFor();
    await screenshot(page, '05-bot-customised');
  });

  step(
    'a template with the trigger phrase "opening hours" is written and previewed',
    { operator: ['422 POST /api/templates/preview'] },
    async () => {
      const { page } = operator;
      await nav(page).getByRole('link', { name: 'Templates' }).click();
      await page.waitForURL(url('/templates'));
      await page.getByText('No templates yet').waitFor();
      await page.getByRole('button', { name: 'Create template' }).first().click();
      const form = dialog(page);
      await form.getByLabel('Name', { exact: true }).fill('Opening hours');
      await form.getByLabel('Category', { exact: true }).fill('Store info');
      await form.getByLabel('Trigger phrases', { exact: true }).fill('opening hours');
      await form.getByLabel('Trigger phrases', { exact: true }).press('Enter');
      await form.getByRole('button', { name: 'Remove “opening hours”' }).waitFor();
      await form.getByRole('button', { name: 'Add variable' }).click();
      await form.getByLabel('Variable 1 name', { exact: true }).fill('hours');
      await form.getByLabel('Variable 1 default', { exact: true }).fill('9am to 5pm every day');

      // The server says what is wrong with a body, inline.
      await form.getByLabel('Answer', { exact: true }).fill('Hi {{user_name}}! We open {{hourz}}.');
      await form.getByRole('alert').getByText('{{hourz}} is not a known variable').waitFor();
      await screenshot(page, '06-template-preview-error');

      await form
        .getByLabel('Answer')
        .fill(
          `Hi {{user_name}}! {{bot_name}} here: ${TEMPLATE_ANSWER.replace('9am to 5pm every day', '{{hours}}')}.`,
        );
      const preview = form.getByRole('region', { name: 'Template preview' });
      await preview.getByText(`Hi Alex! Helper here: ${TEMPLATE_ANSWER}.`).waitFor();
      await screenshot(page, '07-template-preview');

      await form.getByRole('button', { name: 'Create template' }).click();
      await toast(page, '“Opening hours” created').waitFor();
      await page
        .getByRole('row', { name: /Opening hours/ })
        .getByText('Store info')
        .waitFor();
      await screenshot(page, '08-templates');
    },
  );

  step('the template is attached to the bot, and the preview picks it for a sample message', {}, async () => {
    const { page } = operator;
    await nav(page).getByRole('link', { name: 'Bots', exact: true }).click();
    await page.getByRole('link', { name: new RegExp(BOT) }).click();
    await page.getByRole('heading', { name: BOT }).waitFor();
    await page.getByLabel(/^Opening hours/).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved · version 3').waitFor();

    await page.getByLabel('Sample message').fill('What are your opening hours?');
    const conversation = page.getByLabel('Preview conversation');
    await conversation.getByText('Template “Opening hours” answers').waitFor();
    await conversation.getByText(`Hi Alex! ${BOT} here: ${TEMPLATE_ANSWER}.`).waitFor();
    await screenshot(page, '09-bot-template-attached');
  });

  step('the test console answers from the template, then with the fallback', {}, async () => {
    const { page } = operator;
    await page.getByRole('tab', { name: 'Test console' }).click();
    const conversation = page.getByLabel('Test conversation');
    await conversation.getByText(GREETING).waitFor();

    await page.getByLabel('Message', { exact: true }).fill('what are your opening hours?');
    await page.getByRole('button', { name: 'Send' }).click();
    await conversation.getByText(`Hi ${OPERATOR.name}! ${BOT} here: ${TEMPLATE_ANSWER}.`).waitFor();
    await conversation.getByTestId('reply-source').first().waitFor();
    assert.equal(await conversation.getByTestId('reply-source').first().textContent(), 'Template');

    await page.getByLabel('Message', { exact: true }).fill('Do you sell gluten-free bread?');
    await page.getByRole('button', { name: 'Send' }).click();
    await conversation.getByText(FALLBACK).waitFor();
    assert.deepEqual(await conversation.getByTestId('reply-source').allTextContents(), [
      'Template',
      'Fallback',
    ]);
    await screenshot(page, '10-test-console');

    await page.getByRole('button', { name: 'Reset' }).click();
    assert.equal(await conversation.getByTestId('reply-source').count(), 0);
  });

  step('the bot is deployed to web chat with its allowed origins', {}, async () => {
    const { page } = operator;
    await page.getByRole('tab', { name: 'Deployments' }).click();
    await page.getByText(`${BOT} is not deployed anywhere yet.`).waitFor();
    await page.getByLabel('Allowed origins').fill('shop.example.com');
    await page.getByRole('button', { name: 'Deploy to web chat' }).click();
    await page.getByText('“shop.example.com” is not an origin').waitFor();

    await page.getByLabel('Allowed origins').fill(`${SHOP}\nhttps://shop.example.com/`);
    await page.getByRole('button', { name: 'Deploy to web chat' }).click();
    await toast(page, 'Deployed to web chat').waitFor();
    await page.getByText(`embeddable on ${SHOP}, https://shop.example.com`).waitFor();
    embedSnippet = await page.getByLabel('Embed snippet').inputValue();
    hostedUrl = await page.getByLabel('Hosted chat link').inputValue();
    assert.match(
      embedSnippet,
      /<script src="http:\/\/127\.0\.0\.1:\d+\/widget\.js" data-key="[^"]+" async><\/script>/,
    );
    assert.match(hostedUrl, /\/chat\/[^/]+$/);
    assert.equal(await page.getByRole('link', { name: 'Open hosted chat' }).getAttribute('href'), hostedUrl);
    await screenshot(page, '11-deployments');

    // The origins can be changed later.
    await page.getByRole('button', { name: 'Edit origins' }).click();
    const card = page.getByLabel(/^Web chat \S+$/);
    await card.getByLabel('Allowed origins').fill(SHOP);
    await card.getByRole('button', { name: 'Save origins' }).click();
    await toast(page, 'Allowed origins saved').waitFor();
    await page.getByText(`embeddable on ${SHOP}, https://shop.example.com`).waitFor({ state: 'detached' });
    await card.getByText(`embeddable on ${SHOP}`).waitFor();
  });

  step('a visitor in a fresh browser gets the template answer on the hosted chat page', {}, async () => {
    visitor = await launchBrowser();
    const { page } = visitor;
    page.setDefaultTimeout(10_000);
    await page.goto(hostedUrl);
    await page.getByRole('heading', { name: BOT }).waitFor();
    await page.getByText(GREETING).waitFor();
    assert.equal(page.url(), hostedUrl, 'no redirect to sign in');
    await page.getByLabel('Your message').fill('Hello, what are your opening hours?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(TEMPLATE_ANSWER, { exact: false }).waitFor();
    assert.ok(await page.evaluate(() => localStorage.getItem('switchboard.visitor_token')));
    // The bot asks for a rating; the visitor gives five stars.
    await page.getByRole('button', { name: '5 of 5' }).click();
    await page.getByText('Thanks for rating this chat.').waitFor();
    await screenshot(page, '12-hosted-chat');
  });

  step('a paused chat says so, and answers again once resumed', {}, async () => {
    await operator.page.getByRole('button', { name: 'Pause' }).click();
    await toast(operator.page, 'Web chat paused').waitFor();
    await visitor.page.reload();
    await visitor.page.getByText('This chat is paused.').waitFor();
    await screenshot(visitor.page, '13-hosted-chat-paused');
    await operator.page.getByRole('button', { name: 'Resume' }).click();
    await toast(operator.page, 'Web chat resumed').waitFor();
    await visitor.page.reload();
    await visitor.page.getByLabel('Your message').waitFor();
  });

  step('the widget script adds a chat bubble to another site', {}, async () => {
    // The "shop" is a real second origin on this machine, serving a page with the embed snippet.
    const shop = createServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end(
        `<!doctype html><html><head><title>Lovelace Bakery</title></head><body><h1>Lovelace Bakery</h1>${embedSnippet}</body></html>`,
      );
    });
    await new Promise((resolve) => shop.listen(0, '127.0.0.1', resolve));
    try {
      // The widget opens only on the deployment's allowed origins: the operator adds the shop's.
      const shopOrigin = `http://localhost:${shop.address().port}`;
      const card = operator.page.getByLabel(/^Web chat \S+$/);
      await operator.page.getByRole('button', { name: 'Edit origins' }).click();
      await card.getByLabel('Allowed origins').fill(`${SHOP}\n${shopOrigin}`);
      await card.getByRole('button', { name: 'Save origins' }).click();
      // An earlier save's toast may still be on screen: the newest is the one to see.
      await toast(operator.page, 'Allowed origins saved').first().waitFor();
      await card.getByText(`embeddable on ${SHOP}, ${shopOrigin}`).waitFor();

      const { page } = visitor;
      await page.goto(`${shopOrigin}/`);
      await page.getByRole('heading', { name: 'Lovelace Bakery' }).waitFor();
      await page.getByRole('button', { name: 'Open chat' }).click();
      const chat = page.frameLocator('iframe[title="Chat"]');
      await chat.getByText(GREETING).waitFor();
      await chat.getByLabel('Your message').fill('opening hours please');
      await chat.getByRole('button', { name: 'Send' }).click();
      await chat.getByText(TEMPLATE_ANSWER, { exact: false }).first().waitFor();
      await screenshot(page, '14-widget-on-site');
      await page.getByRole('button', { name: 'Close chat' }).click();
      await page.locator('iframe[title="Chat"]').waitFor({ state: 'hidden' });
    } finally {
      shop.closeAllConnections?.();
      await new Promise((resolve) => shop.close(resolve));
    }
  });

  step('the dashboard shows the bot and the visitor’s conversation', {}, async () => {
    const { page } = operator;
    await nav(page).getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL(url('/'));
    await page
      .getByRole('link', { name: new RegExp(BOT) })
      .first()
      .waitFor();
    await page.getByText('Recent conversations').waitFor();
    await page.getByText(TEMPLATE_ANSWER, { exact: false }).first().waitFor();
    await screenshot(page, '15-dashboard');

    // The hosted page's conversation, rated five stars, opens with every message and its source.
    await page.getByRole('button', { name: 'Visitor' }).nth(1).click();
    const messages = dialog(page).getByLabel('Messages');
    await messages.getByText('Hello, what are your opening hours?').waitFor();
    await messages.getByText(TEMPLATE_ANSWER, { exact: false }).waitFor();
    assert.deepEqual(await messages.getByTestId('reply-source').allTextContents(), ['Template']);
    await dialog(page).getByText('5/5').waitFor();
    await screenshot(page, '16-conversation');
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'hidden' });
  });

  step('bots can be duplicated, archived, found by status and deleted', {}, async () => {
    const { page } = operator;
    await nav(page).getByRole('link', { name: 'Bots', exact: true }).click();
    await page.waitForURL(url('/bots'));
    await page.getByRole('button', { name: `Actions for ${BOT}` }).click();
    await page.getByRole('menuitem', { name: 'Duplicate' }).click();
    const copy = `${BOT} (copy)`;
    await page.getByRole('link', { name: new RegExp(`${copy}`.replace(/[()]/g, '\\$&')) }).waitFor();

    await page.getByRole('button', { name: `Actions for ${copy}` }).click();
    await page.getByRole('menuitem', { name: 'Archive' }).click();
    await toast(page, `“${copy}” archived`).waitFor();
    await page.getByRole('button', { name: `Actions for ${copy}` }).waitFor({ state: 'detached' });

    await page.getByLabel('Status').selectOption('archived');
    await page.getByRole('button', { name: `Actions for ${copy}` }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await dialog(page).getByRole('button', { name: 'Delete bot' }).click();
    await toast(page, `“${copy}” deleted`).waitFor();
    await page.getByText('No archived bots').waitFor();

    await page.getByLabel('Status').selectOption('active');
    await page.getByLabel('Search bots').fill('Bakery');
    await page.getByRole('link', { name: new RegExp(BOT) }).waitFor();
    await screenshot(page, '17-bots-list');
  });
});
