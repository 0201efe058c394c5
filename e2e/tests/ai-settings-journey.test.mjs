// Journey: an organisation's own AI settings. The server runs against the fake OpenRouter with a
// shared installation key. A new owner sees on Organization settings that replies use that shared
// key; a key the fake rejects (it refuses keys beginning with "sk-or-bad") is refused under the
// field; a good one is checked and saved and the card says replies use it. The owner restricts the
// models to two picked from the suggestions; a new bot is offered only those, a bot made before
// with another model shows that its model is no longer allowed, and the test console's answer comes
// from the fake called with the organisation's own key.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { callApi, signUp, toast } from '../lib/account.mjs';
import {
  journeySteps,
  launchBrowser,
  screenshotsFor,
  startFakeOpenRouter,
  startServer,
} from '../lib/harness.mjs';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'correct horse battery' };
const OLD_BOT = 'Early Helper';
const NEW_BOT = 'Harbour Helper';
const BAD_KEY = 'sk-or-bad-0000';
const ORG_KEY = 'sk-or-e2e-organization-key';
const CONTENT = 'The harbour opens at nine.';

describe('AI settings journey', () => {
  let model;
  let server;
  let owner;
  let screenshot;
  const ids = { org: '', oldBot: '', newBot: '' };
  let allowed = [];

  before(async () => {
    screenshot = await screenshotsFor('ai-settings-journey');
  });

  after(async () => {
    await owner?.close();
    await server?.stop();
    await model?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ owner }),
    () => screenshot,
  );
  const url = (path) => `${server.baseURL}${path}`;
  const card = (page) => page.getByRole('heading', { name: 'AI', exact: true }).locator('xpath=../..');
  const dialog = (page) => page.getByRole('dialog');
  /** The values of the <datalist> that suggests entries for `input`. */
  const suggestions = (input) =>
    input.evaluate((element) => [...(element.list?.options ?? [])].map((option) => option.value));

  step('the fake model, the server and the owner’s browser start', {}, async () => {
    model = await startFakeOpenRouter(['--content', CONTENT]);
    server = await startServer({ env: model.env });
    owner = await launchBrowser();
    owner.page.setDefaultTimeout(15_000);
  });

  step('the owner signs up and has a bot on the default model', ['401 GET /api/auth/session'], async () => {
    const { page } = owner;
    await signUp(page, server.baseURL, OWNER);
    // Made through the API, as the app would: this bot is not what the journey is about.
    const made = await callApi(page, 'POST', '/api/bots', { name: OLD_BOT, model: 'openai/gpt-4o-mini' });
    ids.org = made.orgId;
    ids.oldBot = made.json.id;
    assert.equal(made.json.model_allowed, true);
  });

  step('Organization settings say that replies use the shared installation key', {}, async () => {
    const { page } = owner;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organization' }).click();
    await page.waitForURL(url('/settings/organization'));
    const ai = card(page);
    await ai.getByText('Shared key', { exact: true }).waitFor();
    await ai
      .getByText('AI replies use the shared OpenRouter key of this Switchboard installation.')
      .waitFor();
    await ai.getByText('Not set: the shared key answers for now.').waitFor();
    await ai.getByText('Empty: bots may use any model.').waitFor();
    await screenshot(page, '01-shared-key');
  });

  step(
    'a key OpenRouter rejects is refused under the field, and nothing is saved',
    { owner: () => [`422 PUT /api/orgs/${ids.org}/ai`] },
    async () => {
      const { page } = owner;
      const ai = card(page);
      const input = ai.getByLabel('OpenRouter API key');
      assert.equal(await input.getAttribute('type'), 'password');
      await input.fill(BAD_KEY);
      await ai.getByRole('button', { name: 'Save key' }).click();
      await ai.getByText(/OpenRouter rejected this key/).waitFor();
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      await ai.getByText('Shared key', { exact: true }).waitFor();
      await screenshot(page, '02-key-rejected');
    },
  );

  step('a good key is checked, saved and used; the field is emptied', {}, async () => {
    const { page } = owner;
    const ai = card(page);
    await ai.getByLabel('OpenRouter API key').fill(ORG_KEY);
    await ai.getByRole('button', { name: 'Save key' }).click();
    await toast(page, 'OpenRouter key saved').waitFor();
    await ai.getByText('Own key', { exact: true }).waitFor();
    await ai.getByText('AI replies use this organization’s own OpenRouter key.').waitFor();
    await ai.getByText(/^Set .* · verified .*\.$/).waitFor();
    assert.equal(await ai.getByLabel('Replace with a new key').inputValue(), '');
    await ai.getByRole('button', { name: 'Remove key' }).waitFor();
    // The page never holds the key.
    assert.equal((await page.content()).includes(ORG_KEY), false);
    await screenshot(page, '03-own-key');
  });

  step('the owner allows only two models, picked from the suggestions', {}, async () => {
    const { page } = owner;
    const ai = card(page);
    const input = ai.getByLabel('Add a model');
    await page.waitForFunction(
      () => (document.querySelector('#ai-add-model')?.list?.options.length ?? 0) > 1,
    );
    const offered = await suggestions(input);
    assert.ok(offered.includes('openai/gpt-4o-mini'), `suggestions: ${offered.join(', ')}`);
    allowed = offered.filter((id) => id !== 'openai/gpt-4o-mini').slice(0, 2);
    assert.equal(allowed.length, 2, `two models besides the default among ${offered.join(', ')}`);

    await input.fill('not a model');
    await input.press('Enter');
    await ai.getByText('Use an OpenRouter model id such as openai/gpt-4o-mini.').waitFor();
    for (const id of allowed) {
      await input.fill(id);
      await input.press('Enter');
    }
    const chips = ai.getByRole('list', { name: 'Allowed models' });
    assert.deepEqual(await chips.getByRole('listitem').allInnerTexts(), allowed);
    await screenshot(page, '04-models-picked');
    await ai.getByRole('button', { name: 'Save models' }).click();
    await toast(page, 'Allowed models saved').waitFor();
    await ai.locator('button:disabled', { hasText: 'Save models' }).waitFor();
    assert.deepEqual(await chips.getByRole('listitem').allInnerTexts(), allowed);
    await screenshot(page, '05-models-saved');
  });

  step('a new bot is offered only the allowed models', {}, async () => {
    const { page } = owner;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Bots', exact: true })
      .click();
    await page.waitForURL(url('/bots'));
    await page.getByRole('button', { name: 'Create bot' }).first().click();
    const form = dialog(page);
    const modelInput = form.getByLabel('Model');
    await form.getByText(`This organization allows only these models: ${allowed.join(', ')}.`).waitFor();
    assert.deepEqual(await suggestions(modelInput), allowed);
    assert.equal(await modelInput.inputValue(), allowed[0]);
    await form.getByLabel('Name', { exact: true }).fill(NEW_BOT);
    await screenshot(page, '06-create-bot');
    await form.getByRole('button', { name: 'Create bot' }).click();
    await page.waitForURL(/\/bots\/bot_/);
    ids.newBot = new URL(page.url()).pathname.split('/').pop();
    await page.getByRole('heading', { name: NEW_BOT }).waitFor();
    assert.equal(await page.getByLabel('Model').inputValue(), allowed[0]);
    assert.equal(await page.getByText(/is no longer allowed for this organization/).count(), 0);
  });

  step(
    'the new bot’s test console answers from the model, called with the organization’s key',
    {},
    async () => {
      const { page } = owner;
      await page.getByRole('tab', { name: 'Test console' }).click();
      await page.getByLabel('Message', { exact: true }).fill('When does the harbour open?');
      await page.getByRole('button', { name: 'Send' }).click();
      const conversation = page.getByLabel('Test conversation');
      await conversation.getByText(CONTENT).waitFor();
      assert.equal(await conversation.getByTestId('reply-source').textContent(), 'AI');
      await conversation.getByText(allowed[0]).waitFor();
      await screenshot(page, '07-console');
      const stats = await model.control('stats');
      assert.ok((stats.keys[`Bearer ${ORG_KEY}`] ?? 0) >= 1, `calls by key: ${JSON.stringify(stats.keys)}`);
      assert.equal(stats.keys[`Bearer ${model.env.OPENROUTER_API_KEY}`] ?? 0, 0);
    },
  );

  step(
    'the bot made before the restriction says its model is no longer allowed, until changed',
    {},
    async () => {
      const { page } = owner;
      await page.goto(url(`/bots/${ids.oldBot}`));
      await page.getByRole('heading', { name: OLD_BOT }).waitFor();
      const warning = page.getByText(
        'openai/gpt-4o-mini is no longer allowed for this organization. The bot keeps answering with it until you choose an allowed model and save.',
      );
      await warning.waitFor();
      await screenshot(page, '08-model-no-longer-allowed');

      await page.getByLabel('Model').fill(allowed[1]);
      await page.getByRole('button', { name: 'Save changes' }).click();
      await toast(page, 'Bot saved').waitFor();
      await page.getByText('Saved · version 2').waitFor();
      assert.equal(await warning.count(), 0);
    },
  );
});
