// Journey: an operator connects messaging platforms on /integrations against the fake platform APIs
// (build/fake_platforms): a Telegram bot (a bad token refused field by field, then verified, its
// webhook registered and a test message sent) and a WhatsApp number (verified, refused when Meta
// rejects the token, connected again once it accepts it). No screen and no API answer ever shows a
// credential. The page warns that platforms cannot reach the loopback base URL, naming the setting;
// Register webhook is disabled, with its reason, while Telegram cannot be asked. /platforms leads to
// /integrations, where both are connected; the bot's Deployments tab lists every account with
// its status, refuses an unverified one and deploys to the connected Telegram bot.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import {
  journeySteps,
  launchBrowser,
  screenshotsFor,
  startFakePlatforms,
  startServer,
} from '../lib/harness.mjs';

const OPERATOR = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  password: 'correct horse battery',
};
const BOT = 'Bakery Helper';

const TELEGRAM = {
  name: 'Support bot',
  badToken: '12345:not-a-real-token',
  token: '7654321098:AAHk3Zq9Lm2Xw7Rt8YpVb4Nc7Ds1Fg6Hj0Ke5Q',
};
// A second Telegram bot, saved but never verified.
const BACKUP = {
  name: 'Backup bot',
  token: '5551234567:AAFp4Wd8_Qs2Lx-9Vn3Bt7Kc1Mz5Rg0Hy6Ja2E',
};
const WHATSAPP = {
  name: 'Shop number',
  accessToken: 'EAAGm0PX4ZCpsBAKZBqY7ZAhQ0vExampleToken1234567890',
  phoneNumberId: '106540352242922',
  appSecret: 'c0ffee11c0ffee22c0ffee33c0ffee44',
  verifyToken: 'lovelace-hook-phrase',
};
// Every credential typed into a secret field: none may come back on a screen or in an answer.
const SECRETS = [
  TELEGRAM.badToken,
  TELEGRAM.token,
  BACKUP.token,
  WHATSAPP.accessToken,
  WHATSAPP.appSecret,
  WHATSAPP.verifyToken,
];
const CHAT_ID = '123456789';
const TEST_TEXT = 'Hello from the integrations journey!';

describe('integrations journey', () => {
  let fake;
  let server;
  let operator;
  let screenshot;
  let botURL;
  let telegramId;
  const apiAnswers = []; // every /api answer the browser received, as {path, body}

  before(async () => {
    screenshot = await screenshotsFor('integrations-journey');
  });

  after(async () => {
    await operator?.close();
    await server?.stop();
    await fake?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ operator }),
    () => screenshot,
  );

  const url = (path) => `${server.baseURL}${path}`;
  const toast = (page, text) => page.locator('[data-sonner-toast]', { hasText: text });
  const nav = (page) => page.getByRole('navigation', { name: 'Main' });
  const dialog = (page) => page.getByRole('dialog');
  const platformCard = (page, name) => page.getByLabel(name, { exact: true });
  const account = (page, name) => page.getByRole('listitem', { name, exact: true });
  const statusOf = (row) => row.getByTestId('integration-status');

  /** Fails when the page's HTML or any field's value holds a credential typed in this journey. */
  const assertNoSecrets = async (page, where) => {
    const values = await page.evaluate(() =>
      [...document.querySelectorAll('input, textarea')].map((field) => field.value).join('\n'),
    );
    const html = `${await page.content()}\n${values}`;
    for (const secret of SECRETS)
      assert.ok(!html.includes(secret), `${where} shows the credential ${secret}`);
  };

  const openIntegrations = async (page) => {
    await nav(page).getByRole('link', { name: 'Integrations', exact: true }).click();
    await page.waitForURL(url('/integrations'));
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
  };

  const verify = async (page, name) => {
    await page.getByRole('button', { name: `Verify ${name}`, exact: true }).click();
    await page.getByRole('button', { name: `Verify ${name}`, exact: true }).waitFor();
  };

  step('the fake platforms and the server start, and the browser opens', {}, async () => {
    fake = await startFakePlatforms();
    server = await startServer({ env: fake.env });
    operator = await launchBrowser();
    operator.page.setDefaultTimeout(10_000);
    operator.page.on('response', async (response) => {
      const { pathname } = new URL(response.url());
      if (!pathname.startsWith('/api/')) return;
      const body = await response.text().catch(() => '');
      apiAnswers.push({ path: `${response.request().method()} ${pathname}`, body });
    });
  });

  step('an operator signs up', { operator: ['401 GET /api/auth/session'] }, async () => {
    const { page } = operator;
    await page.goto(url('/auth?tab=signup'));
    await page.getByLabel('Name').fill(OPERATOR.name);
    await page.getByLabel('Work email').fill(OPERATOR.email);
    await page.getByLabel('Password').fill(OPERATOR.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(url('/'));
    await nav(page).getByRole('link', { name: 'Integrations', exact: true }).waitFor();
  });

  step('a bot is created', {}, async () => {
    const { page } = operator;
    await nav(page).getByRole('link', { name: 'Bots', exact: true }).click();
    await page.waitForURL(url('/bots'));
    await page.getByRole('button', { name: 'Create bot' }).first().click();
    await dialog(page).getByLabel('Name', { exact: true }).fill(BOT);
    await dialog(page).getByRole('button', { name: 'Create bot' }).click();
    await page.waitForURL(/\/bots\/bot_/);
    await page.getByRole('heading', { name: BOT }).waitFor();
    botURL = page.url();
  });

  step('the integrations page offers every platform, none connected yet', {}, async () => {
    const { page } = operator;
    await openIntegrations(page);
    for (const name of ['Telegram', 'WhatsApp']) {
      const card = platformCard(page, name);
      await card.getByText('Not connected', { exact: false }).waitFor();
      await card.getByText(`No ${name} account connected yet.`).waitFor();
      await card.getByRole('button', { name: `Connect ${name}` }).waitFor();
    }
    await platformCard(page, 'Telegram').getByText('getMe').waitFor();
    // What each platform needs is on its card (this used to be /platforms), beside its own logo.
    await platformCard(page, 'WhatsApp')
      .getByRole('list', { name: 'What connecting WhatsApp needs' })
      .getByText('Phone number ID')
      .waitFor();
    assert.equal(await platformCard(page, 'Telegram').locator('svg circle[fill="#26A5E4"]').count(), 1);
    assert.equal(await nav(page).getByRole('link', { name: 'Platforms', exact: true }).count(), 0);

    // The server listens on 127.0.0.1 with no --public-base-url: no platform could call it back.
    const warning = page.getByRole('alert', { name: 'Platforms cannot reach this server' });
    await warning.getByText(server.baseURL, { exact: true }).waitFor();
    await warning.getByText('loopback address', { exact: false }).waitFor();
    await warning.getByText('--public-base-url', { exact: true }).waitFor();
    await warning.getByText('SWITCHBOARD_PUBLIC_BASE_URL', { exact: true }).waitFor();
    await screenshot(page, '01-integrations-empty');
  });

  step(
    'Telegram: a malformed token is refused under its field; a valid one is saved unverified',
    { operator: ['422 POST /api/integrations'] },
    async () => {
      const { page } = operator;
      await platformCard(page, 'Telegram').getByRole('button', { name: 'Connect Telegram' }).click();
      const form = dialog(page);
      await form.getByRole('heading', { name: 'Connect Telegram' }).waitFor();
      assert.equal(await form.getByLabel('Bot token').getAttribute('type'), 'password');

      // The form asks for what is missing before sending anything.
      await form.getByRole('button', { name: 'Save', exact: true }).click();
      await form.getByText('Enter a name, e.g. the account it is.').waitFor();
      await form.getByText('Enter the bot token.').waitFor();

      // The server checks the token's shape and says what is wrong, under the field.
      await form.getByLabel('Name', { exact: true }).fill(TELEGRAM.name);
      await form.getByLabel('Bot token').fill(TELEGRAM.badToken);
      await form.getByRole('button', { name: 'Save', exact: true }).click();
      const fieldError = form.getByText('A Telegram bot token looks like 123456789:AAE…', { exact: false });
      await fieldError.waitFor();
      assert.equal(await form.getByLabel('Bot token').getAttribute('aria-invalid'), 'true');
      await screenshot(page, '02-telegram-token-refused');

      await form.getByLabel('Bot token').fill(TELEGRAM.token);
      await fieldError.waitFor({ state: 'detached' });
      await form.getByRole('button', { name: 'Save', exact: true }).click();
      await toast(page, `“${TELEGRAM.name}” saved`).waitFor();
      await dialog(page).waitFor({ state: 'detached' });

      const row = account(page, TELEGRAM.name);
      await statusOf(row).getByText('Unverified').waitFor();
      await row.getByText('Never checked', { exact: false }).waitFor();
      await row.getByText('Not checked since the credentials were saved', { exact: false }).waitFor();
      await platformCard(page, 'Telegram').getByText('1 unverified').waitFor();
      await assertNoSecrets(page, 'the integrations page after saving Telegram');
    },
  );

  step(
    'Telegram: verifying asks getMe and shows the bot’s username and when it was checked',
    {},
    async () => {
      const { page } = operator;
      const row = account(page, TELEGRAM.name);
      await verify(page, TELEGRAM.name);
      await toast(page, `“${TELEGRAM.name}” is connected`).waitFor();
      await toast(page, 'Telegram knows it as @switchboard_test_bot.').waitFor();
      await statusOf(row).getByText('Connected').waitFor();
      await row.getByText('@switchboard_test_bot', { exact: true }).waitFor();
      await row.getByText(/Checked (now|\d+ seconds? ago) · no deployments/).waitFor();
      const checked = row.locator('span[title]').first();
      assert.ok(await checked.getAttribute('title'), 'the last check has its full date in a title');
      await row.getByText('Telegram knows this bot as @switchboard_test_bot.').waitFor();
      await platformCard(page, 'Telegram').getByText('1 connected').waitFor();
    },
  );

  step('Telegram: the webhook is registered with setWebhook at /hooks/telegram/<id>', {}, async () => {
    const { page } = operator;
    const row = account(page, TELEGRAM.name);
    await row.getByText('Not registered yet.', { exact: false }).waitFor();
    const webhookURL = await row.getByLabel(`Webhook URL of ${TELEGRAM.name}`).inputValue();
    assert.match(webhookURL, /\/hooks\/telegram\/[^/]+$/);
    telegramId = webhookURL.split('/').pop();

    await row.getByRole('button', { name: `Register the webhook of ${TELEGRAM.name}` }).click();
    const answer = row.getByRole('status');
    await answer.getByText('Webhook registered (HTTP 200).').waitFor();
    await answer.getByText(`Telegram will deliver this bot's messages to ${webhookURL}.`).waitFor();
    await row.getByText(/Registered (now|\d+ seconds? ago)\./).waitFor();

    const registered = await fake.control('telegram-webhook');
    assert.ok(
      registered.url.endsWith(`/hooks/telegram/${telegramId}`),
      `setWebhook got ${registered.url}, not the account's webhook URL`,
    );
    assert.equal(registered.url, webhookURL);
    assert.ok(registered.secret_token.length > 0, 'setWebhook got a secret token');
    assert.ok(!(await page.content()).includes(registered.secret_token), 'the webhook secret is not shown');
    await screenshot(page, '03-telegram-connected');
  });

  step('Telegram: while Telegram cannot be asked, Register webhook is disabled and says why', {}, async () => {
    const { page } = operator;
    const row = account(page, TELEGRAM.name);
    const register = row.getByRole('button', { name: `Register the webhook of ${TELEGRAM.name}` });
    await fake.control('script', { service: 'telegram', outcomes: Array(3).fill({ kind: 'server_error' }) });
    await verify(page, TELEGRAM.name);
    await statusOf(row).getByText('Needs attention').waitFor();
    const reason = 'Register webhook is unavailable while the account needs attention: verify it again first.';
    await row.getByText(reason).waitFor();
    assert.ok(await register.isDisabled(), 'Register webhook is disabled');
    const describedBy = await register.getAttribute('aria-describedby');
    assert.equal(await page.locator(`[id="${describedBy}"]`).textContent(), reason);
    await screenshot(page, '03b-telegram-needs-attention');

    await fake.control('reset', {});
    await verify(page, TELEGRAM.name);
    await statusOf(row).getByText('Connected').waitFor();
    assert.ok(await register.isEnabled(), 'Register webhook is enabled again');
    assert.equal(await row.getByText(reason).count(), 0);
  });

  step('WhatsApp: the four credentials are saved, then verified as connected', {}, async () => {
    const { page } = operator;
    await platformCard(page, 'WhatsApp').getByRole('button', { name: 'Connect WhatsApp' }).click();
    const form = dialog(page);
    await form.getByRole('heading', { name: 'Connect WhatsApp' }).waitFor();
    await form.getByLabel('Name', { exact: true }).fill(WHATSAPP.name);
    await form.getByLabel('Access token').fill(WHATSAPP.accessToken);
    await form.getByLabel('Phone number ID').fill(WHATSAPP.phoneNumberId);
    await form.getByLabel('App secret').fill(WHATSAPP.appSecret);
    await form.getByLabel('Verify token').fill(WHATSAPP.verifyToken);
    for (const secret of ['Access token', 'App secret', 'Verify token']) {
      assert.equal(await form.getByLabel(secret).getAttribute('type'), 'password', `${secret} is hidden`);
    }
    await screenshot(page, '04-whatsapp-connect-form');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await toast(page, `“${WHATSAPP.name}” saved`).waitFor();
    await dialog(page).waitFor({ state: 'detached' });

    const row = account(page, WHATSAPP.name);
    await statusOf(row).getByText('Unverified').waitFor();
    // Its webhook is pasted into the Meta dashboard, so there is nothing to register here.
    await row
      .getByText('In the Meta App Dashboard, paste it as the Callback URL', { exact: false })
      .waitFor();
    assert.equal(await row.getByRole('button', { name: /Register the webhook/ }).count(), 0);

    await verify(page, WHATSAPP.name);
    await statusOf(row).getByText('Connected').waitFor();
    await row.getByText('Switchboard Test (+1 555 0100)', { exact: true }).waitFor();
    await platformCard(page, 'WhatsApp').getByText('1 connected').waitFor();
    await assertNoSecrets(page, 'the integrations page after saving WhatsApp');
  });

  step('WhatsApp: when Meta rejects the token the account turns Invalid and says why', {}, async () => {
    const { page } = operator;
    const row = account(page, WHATSAPP.name);
    await fake.control('script', { service: 'graph', outcomes: [{ kind: 'unauthorized' }] });
    await verify(page, WHATSAPP.name);
    await toast(page, `WhatsApp refused “${WHATSAPP.name}”`).waitFor();
    await statusOf(row).getByText('Invalid').waitFor();
    await row.getByText('WhatsApp rejected the access token', { exact: false }).waitFor();
    await platformCard(page, 'WhatsApp').getByText('1 invalid').waitFor();
    await screenshot(page, '05-whatsapp-invalid');

    await fake.control('reset', {});
    await verify(page, WHATSAPP.name);
    await statusOf(row).getByText('Connected').waitFor();
    await row.getByText('WhatsApp knows this number as Switchboard Test (+1 555 0100).').waitFor();
    assert.equal(await row.getByText('rejected the access token', { exact: false }).count(), 0);
    await platformCard(page, 'WhatsApp').getByText('1 connected').waitFor();
  });

  step('Telegram: a test message reaches the platform, which answers with its message id', {}, async () => {
    const { page } = operator;
    await page.getByRole('button', { name: `Send a test message through ${TELEGRAM.name}` }).click();
    const form = dialog(page);
    await form.getByRole('heading', { name: 'Send a test message' }).waitFor();
    await form.getByRole('button', { name: 'Send', exact: true }).click();
    await form.getByText('Enter the chat id.').waitFor();

    await form.getByLabel('Chat id').fill(CHAT_ID);
    await form.getByLabel('Message', { exact: true }).fill(TEST_TEXT);
    await form.getByRole('button', { name: 'Send', exact: true }).click();
    const answer = form.getByRole('status');
    await answer.getByText('Sent (HTTP 200).').waitFor();
    await answer.getByText(/Telegram accepted the message \(message id \d+\)\./).waitFor();
    await form.getByRole('button', { name: 'Send again' }).waitFor();
    const shownId = (await answer.getByText(/^Message id \d+$/).textContent()).replace('Message id ', '');
    await screenshot(page, '06-telegram-test-message');

    const { items } = await fake.control('sent');
    assert.deepEqual(items, [
      { service: 'telegram', recipient: CHAT_ID, text: TEST_TEXT, platform_message_id: shownId },
    ]);
    await form.getByRole('button', { name: 'Close', exact: true }).first().click();
    await dialog(page).waitFor({ state: 'detached' });
  });

  step('no screen and no answer shows a credential; the edit form shows only a hint', {}, async () => {
    const { page } = operator;
    await page.reload();
    await account(page, TELEGRAM.name).waitFor();
    await assertNoSecrets(page, 'the integrations page');

    await page.getByRole('button', { name: `Edit ${TELEGRAM.name}` }).click();
    const form = dialog(page);
    await form.getByRole('heading', { name: `Edit “${TELEGRAM.name}”` }).waitFor();
    await form.getByText(`•••• ${TELEGRAM.token.slice(-4)}`, { exact: true }).waitFor();
    assert.equal(await form.getByLabel('Bot token').inputValue(), '');
    await assertNoSecrets(page, 'the Telegram edit dialog');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await dialog(page).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: `Edit ${WHATSAPP.name}` }).click();
    await form.getByRole('heading', { name: `Edit “${WHATSAPP.name}”` }).waitFor();
    await form.getByText(`•••• ${WHATSAPP.accessToken.slice(-4)}`, { exact: true }).waitFor();
    await form.getByText(`•••• ${WHATSAPP.appSecret.slice(-4)}`, { exact: true }).waitFor();
    await form.getByText(`•••• ${WHATSAPP.verifyToken.slice(-4)}`, { exact: true }).waitFor();
    for (const field of ['Access token', 'App secret', 'Verify token']) {
      assert.equal(await form.getByLabel(field).inputValue(), '', `${field} is not prefilled`);
    }
    await screenshot(page, '07-whatsapp-edit-hints');
    await assertNoSecrets(page, 'the WhatsApp edit dialog');
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    await screenshot(page, '08-integrations');

    // The API said nothing secret either, not even in the 422 that refused the malformed token.
    const answered = (path) => apiAnswers.filter((answer) => answer.path === path);
    assert.ok(answered('POST /api/integrations').some(({ body }) => body.includes('bot token')));
    assert.ok(answered('GET /api/integrations').some(({ body }) => body.includes(TELEGRAM.name)));
    assert.equal(answered(`POST /api/integrations/${telegramId}/test-message`).length, 1);
    for (const { path, body } of apiAnswers) {
      for (const secret of SECRETS) assert.ok(!body.includes(secret), `${path} answered with ${secret}`);
    }
  });

  step('/platforms leads to /integrations, where Telegram and WhatsApp are connected', {}, async () => {
    const { page } = operator;
    await page.goto(url('/platforms'));
    await page.waitForURL(url('/integrations'));
    for (const label of ['Telegram', 'WhatsApp']) {
      await platformCard(page, label).getByText(/^1 connected/).waitFor();
    }
    await platformCard(page, 'Slack').getByText(/^Not connected/).waitFor();
    await platformCard(page, 'Slack').getByRole('button', { name: 'Connect Slack' }).waitFor();
    await assertNoSecrets(page, '/integrations after /platforms');
    await screenshot(page, '09-platforms');
  });

  step('a second Telegram bot is saved but not verified', {}, async () => {
    const { page } = operator;
    await openIntegrations(page);
    await platformCard(page, 'Telegram').getByRole('button', { name: 'Connect Telegram' }).click();
    const form = dialog(page);
    await form.getByLabel('Name', { exact: true }).fill(BACKUP.name);
    await form.getByLabel('Bot token').fill(BACKUP.token);
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    await toast(page, `“${BACKUP.name}” saved`).waitFor();
    await dialog(page).waitFor({ state: 'detached' });
    await statusOf(account(page, BACKUP.name)).getByText('Unverified').waitFor();
    await platformCard(page, 'Telegram').getByText('1 connected · 1 unverified').waitFor();
  });

  step('the bot’s deployments list every account; an unverified one cannot be deployed', {}, async () => {
    const { page } = operator;
    await page.goto(botURL);
    await page.getByRole('heading', { name: BOT }).waitFor();
    await page.getByRole('tab', { name: 'Deployments' }).click();
    await page.getByText(`${BOT} is not deployed anywhere yet.`).waitFor();

    const option = (name) => page.getByRole('radio', { name: new RegExp(`^${name}\\b`) });
    await option(TELEGRAM.name).waitFor();
    const labelOf = (name) => page.locator('label', { has: option(name) });
    await labelOf(TELEGRAM.name).getByText('Telegram · @switchboard_test_bot').waitFor();
    await statusOf(labelOf(TELEGRAM.name)).getByText('Connected').waitFor();
    await labelOf(WHATSAPP.name).getByText('WhatsApp · Switchboard Test (+1 555 0100)').waitFor();
    await statusOf(labelOf(WHATSAPP.name)).getByText('Connected').waitFor();
    await statusOf(labelOf(BACKUP.name)).getByText('Unverified').waitFor();

    const deployButton = page.getByRole('button', { name: 'Deploy to platform' });
    assert.ok(await deployButton.isDisabled(), 'nothing chosen, nothing to deploy');
    await option(BACKUP.name).check();
    await page.getByText(`Verify “${BACKUP.name}” on Integrations first.`).waitFor();
    assert.ok(await deployButton.isDisabled(), 'an unverified account cannot be deployed');
    await screenshot(page, '10-deploy-verify-first');
  });

  step('the bot is deployed to the connected Telegram bot', {}, async () => {
    const { page } = operator;
    const option = page.getByRole('radio', { name: new RegExp(`^${TELEGRAM.name}\\b`) });
    await option.check();
    await page.getByText(`Verify “${BACKUP.name}” on Integrations first.`).waitFor({ state: 'detached' });
    const deployButton = page.getByRole('button', { name: 'Deploy to platform' });
    assert.ok(await deployButton.isEnabled());
    await deployButton.click();
    await toast(page, `Deployed to “${TELEGRAM.name}”`).waitFor();

    const card = page.getByLabel(`Telegram: ${TELEGRAM.name}`, { exact: true });
    await card.getByText(`Telegram · ${TELEGRAM.name}`).waitFor();
    await card.getByText('Active', { exact: true }).waitFor();
    await statusOf(card).getByText('Connected').waitFor();
    await card.getByText('answers messages sent to this account', { exact: false }).waitFor();
    await page.getByText(`${BOT} is not deployed anywhere yet.`).waitFor({ state: 'detached' });
    // The account can be deployed once per bot.
    await page.locator('label', { has: option }).getByText('already deployed', { exact: false }).waitFor();
    assert.ok(await option.isDisabled());
    await assertNoSecrets(page, 'the bot’s deployments');
    await screenshot(page, '11-deployed-to-telegram');

    // Integrations counts the deployment on the account.
    await openIntegrations(page);
    await account(page, TELEGRAM.name).getByText('1 deployment', { exact: false }).waitFor();
  });
});
