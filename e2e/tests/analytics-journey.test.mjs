// Journey: an owner's bot answers on two platforms — a visitor on the hosted web chat page (two
// messages, then five stars) and three people on Telegram through build/fake_platforms; the owner
// resolves two conversations and records a conversion through the API. On /analytics the key numbers
// are what was driven; narrowing to Telegram changes the numbers and the trend chart; the funnel shows
// the counts; the conversations export downloads a CSV with the Telegram rows; two heuristic insight
// runs (no AI key) are compared side by side. A second server with billing on shows a Free organisation
// the upgrade card in the gated panels while its key numbers stay. Light, dark and 390 px screenshots.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe } from 'node:test';
import { signUp } from '../lib/account.mjs';
import { lowContrastText } from '../lib/contrast.mjs';
import {
  fakeStripeEnv,
  freePort,
  journeySteps,
  launchBrowser,
  screenshotsFor,
  startFakeOpenRouter,
  startFakePlatforms,
  startServer,
} from '../lib/harness.mjs';

const OWNER = {
  name: 'Grace Analyst',
  email: 'grace@harbour.example.com',
  password: 'correct horse battery',
};
const FREE_OWNER = {
  name: 'Frank Free',
  email: 'frank@kiosk.example.com',
  password: 'correct horse battery',
};
const BOT = 'Harbour Ferries';
const TIMETABLE = {
  name: 'Ferry timetable',
  trigger: 'timetable',
  answer: 'The island ferry leaves every hour from pier 3; the timetable is on the noticeboard.',
};
const TELEGRAM_TOKEN = '7654321098:AAHk3Zq9Lm2Xw7Rt8YpVb4Nc7Ds1Fg6Hj0Ke5Q';
const TELEGRAM_PEOPLE = [
  { id: '100200301', text: 'Where is the timetable for the island ferry?' },
  { id: '100200302', text: 'Can I bring my bicycle on the boat?' },
  { id: '100200303', text: 'Do you sell return tickets for families?' },
];
const JOB_TIMEOUT = 20_000;
// What the fake model answers to the insight run asked with the organisation's own key.
const AI_REPORT = {
  summary: 'Ferry questions dominate; families ask about tickets the bot cannot answer.',
  themes: [
    { title: 'Family tickets', detail: 'Return tickets for families are asked about and not answered.' },
  ],
  recommendations: [
    { title: 'Add a family fares template', detail: 'Answer family return ticket questions.' },
  ],
};

describe('analytics journey', () => {
  let fake;
  let model;
  let server;
  let freeServer;
  let owner;
  let visitor; // never signed in
  let freeOwner;
  let screenshot;
  const ids = {};
  let chatPath;

  before(async () => {
    screenshot = await screenshotsFor('analytics-journey');
  });
  after(async () => {
    await owner?.close();
    await visitor?.close();
    await freeOwner?.close();
    await server?.stop();
    await freeServer?.stop();
    await fake?.stop();
    await model?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ owner, visitor, freeOwner }),
    () => screenshot,
  );
  const url = (route) => `${server.baseURL}${route}`;

  /** A JSON call from the signed-in page, with its CSRF token; throws on a non-2xx answer. */
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

  /** The number a key-number card shows. */
  const kpi = (page, label) =>
    page
      .getByRole('region', { name: 'Key numbers' })
      .or(page.locator('section[aria-label="Key numbers"]'))
      .getByRole('group', { name: label, exact: true })
      .locator('p')
      .nth(1);
  const settled = (page) =>
    page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0);
  /** The trend chart's drawing, to tell when it changed. */
  /** Waits until the trend chart's scale tops out at `value` (its line is drawn to the top either way). */
  const chartTopsAt = (page, value) =>
    page.waitForFunction(
      (top) =>
        [
          ...document.querySelectorAll(
            'figure[aria-label$="over the range"] .recharts-yAxis-tick-labels text',
          ),
        ].at(-1)?.textContent === top,
      value,
    );
  const funnelSteps = (page) =>
    page.getByRole('list', { name: 'All conversations' }).getByRole('listitem').allInnerTexts();

  step('the servers, the fake platforms and three browsers start', {}, async () => {
    fake = await startFakePlatforms();
    model = await startFakeOpenRouter(['--content', JSON.stringify(AI_REPORT)]);
    // The fake model's address but no server key: replies and the first insight run have no AI; the
    // organisation's own key, saved later, is what the second run uses.
    server = await startServer({ env: { ...fake.env, OPENROUTER_BASE_URL: model.env.OPENROUTER_BASE_URL } });
    // Billing on for the Free organisation; nothing is bought, so no Stripe listens on this port.
    freeServer = await startServer({ env: fakeStripeEnv(await freePort()) });
    owner = await launchBrowser();
    visitor = await launchBrowser();
    freeOwner = await launchBrowser();
    for (const browser of [owner, visitor, freeOwner]) browser.page.setDefaultTimeout(10_000);
  });

  step(
    'an owner deploys a bot to the web chat and to Telegram',
    { owner: ['401 GET /api/auth/session'] },
    async () => {
      const { page } = owner;
      await signUp(page, server.baseURL, OWNER);
      const template = await call(page, 'POST', '/api/templates', {
        name: TIMETABLE.name,
        category: 'Travel',
        trigger_phrases: [TIMETABLE.trigger],
        body: TIMETABLE.answer,
      });
      const bot = await call(page, 'POST', '/api/bots', { name: BOT, greeting: `Welcome to ${BOT}!` });
      ids.bot = bot.id;
      await call(page, 'PATCH', `/api/bots/${bot.id}`, {
        template_ids: [template.id],
        ask_satisfaction: true,
      });
      const webchat = await call(page, 'POST', '/api/deployments', {
        bot_id: bot.id,
        channel: 'webchat',
        allowed_origins: ['https://harbour.example.com'],
        hosted_page_enabled: true,
      });
      chatPath = new URL(webchat.hosted_url).pathname;
      const telegram = await call(page, 'POST', '/api/integrations', {
        platform: 'telegram',
        name: 'Harbour Ferries on Telegram',
        credentials: { bot_token: TELEGRAM_TOKEN },
      });
      const verified = await call(page, 'POST', `/api/integrations/${telegram.id}/verify`);
      assert.equal(verified.status, 'connected');
      await call(page, 'POST', '/api/deployments', { bot_id: bot.id, integration_id: telegram.id });
      ids.jobs = [];
      for (const person of TELEGRAM_PEOPLE) {
        const simulated = await call(page, 'POST', `/api/integrations/${telegram.id}/simulate`, {
          text: person.text,
          external_user_id: person.id,
        });
        assert.ok(simulated.job_id, 'the simulated message got a reply job');
        ids.jobs.push(simulated.job_id);
      }
    },
  );

  step('a visitor asks twice on the hosted chat page and rates the chat five stars', {}, async () => {
    const { page } = visitor;
    await page.goto(url(chatPath));
    await page.getByLabel('Your message').fill('When does the timetable change for winter?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByText(TIMETABLE.answer).waitFor();
    await page.getByLabel('Your message').fill('And is there a café on board?');
    await page.getByRole('button', { name: 'Send' }).click();
    // No AI key on this server: the second answer is the bot's fallback message.
    await page.getByText(/Someone from our team will get back to you/).waitFor();
    await page.getByRole('group', { name: 'Rate this chat' }).getByRole('button', { name: '5 of 5' }).click();
    await page.getByText('Thanks for rating this chat.').waitFor();
  });

  step('the Telegram jobs are answered', {}, async () => {
    const deadline = Date.now() + JOB_TIMEOUT;
    for (const job of ids.jobs) {
      for (;;) {
        const answer = await call(owner.page, 'GET', `/api/jobs/${job}`);
        const jobState = answer.job?.state ?? answer.state;
        if (jobState === 'succeeded') break;
        assert.ok(Date.now() < deadline, `the job is still ${jobState}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  });

  step('the owner resolves two conversations and records a conversion', {}, async () => {
    const { page } = owner;
    const list = await call(page, 'GET', '/api/conversations?limit=50');
    const byUser = new Map(list.items.map((item) => [`${item.platform}:${item.external_user_id}`, item]));
    const webchat = list.items.find((item) => item.platform === 'webchat');
    assert.ok(webchat, `no web chat conversation in ${JSON.stringify(list.items)}`);
    const first = byUser.get(`telegram:${TELEGRAM_PEOPLE[0].id}`);
    const second = byUser.get(`telegram:${TELEGRAM_PEOPLE[1].id}`);
    assert.ok(first && second, `the Telegram conversations are listed: ${JSON.stringify(list.items)}`);
    for (const conversation of [webchat, first]) {
      const resolved = await call(page, 'POST', `/api/conversations/${conversation.id}/resolve`);
      assert.ok(resolved.resolved_at, 'the conversation is resolved');
    }
    // The web chat visitor had rated already; the Telegram person is now asked for a rating (buttons)
    // and does not answer, so one of the two people asked has rated.
    const asked = await call(page, 'GET', `/api/conversations/${first.id}`);
    assert.ok((asked.conversation ?? asked).rating_asked_at, 'the resolved Telegram person is asked for a rating');
    await call(page, 'POST', '/api/conversions', {
      conversation_id: second.id,
      name: 'Family return ticket',
      value_cents: 4200,
    });
    ids.telegramConversations = [first.id, second.id, byUser.get(`telegram:${TELEGRAM_PEOPLE[2].id}`)?.id];
    ids.webchatConversation = webchat.id;
  });

  step('on Analytics the key numbers and the funnel are what was driven', {}, async () => {
    const { page } = owner;
    await page.goto(url('/'));
    await page.getByRole('link', { name: 'Analytics' }).first().click();
    await page.waitForURL(/\/analytics/);
    await page.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
    await settled(page);
    await page.getByRole('list', { name: 'All conversations' }).waitFor();
    assert.equal(await kpi(page, 'Conversations').innerText(), '4');
    assert.equal(await kpi(page, 'Unique users').innerText(), '4');
    assert.equal(await kpi(page, 'Resolution rate').innerText(), '50%');
    assert.equal(await kpi(page, 'Conversion rate').innerText(), '25%');
    assert.equal(await kpi(page, 'Satisfaction').innerText(), '5.0 / 5');
    assert.equal(await kpi(page, 'Rating response rate').innerText(), '50%');
    const steps = await funnelSteps(page);
    assert.match(steps[0], /^First contact\s+4\b/);
    assert.match(steps[1], /^Engaged\s+1\b/);
    assert.match(steps[2], /^Resolved\s+2\b/);
    assert.match(steps[3], /^Converted\s+1\b/);
    const platforms = page.getByRole('table', { name: 'Conversations by platform' });
    await platforms.getByRole('row', { name: /Telegram/ }).waitFor();
    await platforms.getByRole('row', { name: /Web chat/i }).waitFor();
    await screenshot(page, '01-overview-light');
  });

  step('narrowing to Telegram changes the numbers, the chart and the funnel', {}, async () => {
    const { page } = owner;
    await chartTopsAt(page, '4');
    const overview = page.waitForResponse(
      (response) => response.url().includes('/api/analytics/overview') && response.url().includes('telegram'),
    );
    await page.getByLabel('Platform', { exact: true }).selectOption('telegram');
    await overview;
    await page.waitForURL(/platform=telegram/);
    await page.waitForFunction(
      () =>
        document
          .querySelector('section[aria-label="Key numbers"] [aria-label="Conversations"] p:nth-of-type(2)')
          ?.textContent?.trim() === '3',
    );
    await settled(page);
    assert.equal(await kpi(page, 'Unique users').innerText(), '3');
    assert.equal(await kpi(page, 'Resolution rate').innerText(), '33%');
    assert.equal(await kpi(page, 'Conversion rate').innerText(), '33%');
    assert.equal(await kpi(page, 'Satisfaction').innerText(), '—');
    // The chart's scale follows: its highest tick was 4 conversations, now 3.
    await chartTopsAt(page, '3');
    await page.waitForFunction(() =>
      /^First contact\s+3\b/.test(
        document.querySelector('ol[aria-label="All conversations"] li')?.innerText ?? '',
      ),
    );
    const steps = await funnelSteps(page);
    assert.match(steps[1], /^Engaged\s+0\b/);
    assert.match(steps[2], /^Resolved\s+1\b/);
    assert.match(steps[3], /^Converted\s+1\b/);
    await screenshot(page, '02-telegram-light');
  });

  step('the conversations export downloads the Telegram conversations as CSV', {}, async () => {
    const { page } = owner;
    await page.getByRole('button', { name: 'Export' }).click();
    const downloaded = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: /Conversations \(CSV\)/ }).click();
    const download = await downloaded;
    assert.match(download.suggestedFilename(), /^conversations-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r\n/);
    const header = lines[0].split(',').map((cell) => cell.replace(/^"|"$/g, ''));
    assert.equal(header[0], 'conversation_id');
    assert.ok(header.includes('platform') && header.includes('resolved'), `header: ${lines[0]}`);
    const rows = lines.slice(1).map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
    assert.equal(rows.length, 3, `three Telegram conversations:\n${csv}`);
    const column = (name) => header.indexOf(name);
    assert.deepEqual(
      rows.map((row) => row[column('conversation_id')]).sort(),
      [...ids.telegramConversations].sort(),
    );
    assert.ok(rows.every((row) => row[column('platform')] === 'telegram'));
    assert.deepEqual(rows.map((row) => row[column('resolved')]).sort(), ['false', 'false', 'true']);
    assert.equal(rows.filter((row) => row[column('converted_at')] !== '').length, 1);
    await page.locator('[data-sonner-toast]', { hasText: 'Exported 3 rows' }).waitFor();
  });

  step(
    'a heuristic run for Telegram and, with the organisation’s own key, an AI run for every platform are compared',
    {},
    async () => {
      const { page } = owner;
      await page.getByRole('tab', { name: 'Insights' }).click();
      await page.getByText('No insight runs yet').waitFor();
      const runs = page.getByRole('list', { name: 'Insight runs' }).getByRole('listitem');

      // The earlier run, with the Telegram filter still on.
      await page.getByRole('button', { name: 'Run insights' }).click();
      await runs.first().waitFor();
      const heuristic = page.getByRole('region', { name: /^Insight run of / });
      await heuristic.getByText(/^3 conversations in this period/).waitFor();
      await heuristic.getByText('Heuristic — no AI key').waitFor();
      await heuristic.getByText(/^Questions the bots could not answer/).waitFor();
      await screenshot(page, '03-heuristic-run-light');

      // The organisation saves its own OpenRouter key (checked against the fake model).
      const orgId = await page.evaluate(() =>
        fetch('/api/auth/session').then(async (response) => (await response.json()).organization.id),
      );
      await call(page, 'PUT', `/api/orgs/${orgId}/ai`, { api_key: 'sk-or-e2e-organisation-key' });

      // The later run, for every platform, asks the model and is followed until it is done.
      await page.getByLabel('Platform', { exact: true }).selectOption('');
      await page.waitForURL((address) => !address.searchParams.has('platform'));
      await page.getByRole('button', { name: 'Run insights' }).click();
      await page.waitForFunction(
        () => document.querySelectorAll('ul[aria-label="Insight runs"] > li').length === 2,
      );
      const ai = page.getByRole('region', { name: /^Insight run of / });
      await ai.getByText(AI_REPORT.summary).waitFor();
      await ai.getByText(AI_REPORT.themes[0].detail).waitFor();
      await ai.getByText(AI_REPORT.recommendations[0].title).waitFor();
      await ai.getByText('AI', { exact: true }).waitFor();
      const stats = await model.control('stats');
      assert.ok(JSON.stringify(stats).includes('sk-or-e2e-organisation-key'), JSON.stringify(stats));
      await screenshot(page, '04-ai-run-light');

      await runs.nth(0).getByRole('checkbox').check();
      await runs.nth(1).getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Compare' }).click();
      const comparison = page.getByRole('region', { name: 'Comparison of two runs' });
      const row = comparison.getByRole('table', { name: 'Metrics of the two runs' }).getByRole('row', {
        name: /^Conversations\b/,
      });
      const cells = await row.getByRole('cell').allInnerTexts();
      // Earlier: Telegram only (3); later: every platform (4).
      assert.deepEqual(cells.slice(0, 3), ['Conversations', '3', '4']);
      await comparison.getByText(AI_REPORT.summary).waitFor();
      await comparison.getByText(/^3 conversations in this period/).waitFor();
      await screenshot(page, '05-insight-comparison-light');
    },
  );

  step('the page in dark and at 390 px', {}, async () => {
    const { page } = owner;
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(url('/analytics'));
    await page.getByRole('list', { name: 'All conversations' }).waitFor();
    await settled(page);
    assert.deepEqual(await lowContrastText(page), [], 'text under WCAG AA in dark');
    await screenshot(page, '06-overview-dark');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByRole('list', { name: 'All conversations' }).waitFor();
    await settled(page);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `the page is ${wide} px wider than a 390 px phone`);
    await screenshot(page, '07-overview-390-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  step(
    'a Free organisation sees its key numbers and an upgrade card in the gated panels',
    {
      freeOwner: [
        '401 GET /api/auth/session',
        '402 GET /api/analytics/funnel',
        '402 GET /api/analytics/breakdown',
        '402 GET /api/analytics/breakdown',
        '402 GET /api/analytics/unanswered',
        '402 GET /api/analytics/breakdown',
      ],
    },
    async () => {
      const { page } = freeOwner;
      await signUp(page, freeServer.baseURL, FREE_OWNER);
      await page.goto(`${freeServer.baseURL}/analytics`);
      await page
        .getByRole('list', { name: 'Key numbers' })
        .or(page.locator('section[aria-label="Key numbers"]'))
        .waitFor();
      assert.equal(await kpi(page, 'Conversations').innerText(), '0');
      const funnel = page.getByRole('region', { name: 'Funnel' });
      const upgrade = funnel.getByRole('note');
      await upgrade.getByText(/Your Free plan does not include advanced analytics/).waitFor();
      assert.equal(await upgrade.getByRole('link', { name: 'See plans' }).getAttribute('href'), '/billing');
      await settled(page);
      await screenshot(page, '08-free-plan-upgrade');
    },
  );
});
