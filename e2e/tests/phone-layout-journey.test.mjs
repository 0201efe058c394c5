// Journey: every route of the web app (read from the route table in web/src/app.tsx) on a phone
// (390×844) and on a desktop (1440×900), with data that makes each page non-empty: a bot with a long
// name, a template, a Telegram account with a job, a web chat conversation, an API key, a pending
// invitation to a long address. The page itself must never scroll sideways (tables scroll inside their
// cards or stack their rows, tabs wrap); every page is photographed at both widths as <route>-390.png and
// <route>-1440.png. From the keyboard, a skip link comes first and the template dialog uses the app's
// focus ring. Signed-out pages (sign-in, recovery, invitation, hosted chat) are seen from a
// second browser profile that never signed in.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { linkFromLatestMail, signUp } from '../lib/account.mjs';
import { lowContrastText } from '../lib/contrast.mjs';
import {
  journeySteps,
  launchBrowser,
  repoRoot,
  screenshotsFor,
  startFakePlatforms,
  startServer,
} from '../lib/harness.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const THEMES = ['light', 'dark'];
const OPERATOR = {
  name: 'Margaret Hamilton-Worthington',
  email: 'margaret.hamilton-worthington@lovelace-bakery-and-patisserie.example.com',
  password: 'correct horse battery',
};
const BOT = 'Lovelace Bakery Weekend Opening Hours and Celebration Cake Orders Assistant';
const TEMPLATE = {
  name: 'Opening hours and holiday closures for every branch',
  category: 'Store information and opening times',
  trigger: 'opening hours',
  answer:
    'We are open 9am to 5pm every day except public holidays; see https://lovelace-bakery-and-patisserie.example.com/opening-hours-and-holiday-closures for each branch.',
};
const INVITEE = 'accounts.payable.department@lovelace-bakery-and-patisserie.example.com';
const TELEGRAM = {
  name: 'Lovelace Bakery customer support on Telegram',
  token: '7654321098:AAHk3Zq9Lm2Xw7Rt8YpVb4Nc7Ds1Fg6Hj0Ke5Q',
};
const JOB_TIMEOUT = 20_000;

/** The paths of the route table in web/src/app.tsx, as written there ("index" for the index route). */
async function routeTable() {
  const source = await readFile(path.join(repoRoot, 'web', 'src', 'app.tsx'), 'utf8');
  const paths = [...source.matchAll(/<Route\b([^>]*)>/g)]
    .map(([, attributes]) => {
      if (/\bindex\b/.test(attributes)) return 'index';
      return attributes.match(/\bpath="([^"]+)"/)?.[1] ?? null;
    })
    .filter((route) => route !== null);
  assert.ok(paths.length > 10, `read only ${paths.length} routes from app.tsx`);
  return paths;
}

describe('phone layout journey', () => {
  let fake;
  let server;
  let operator; // signed in: the owner, and the platform admin (first account)
  let visitor; // never signed in
  let screenshot;
  const ids = {};
  const links = {};
  const visited = new Set(); // route patterns of app.tsx seen
  const tooWide = []; // what sticks out of the window: "route at N px in theme is M px wide: …"
  const wrongTheme = []; // pages that did not follow the browser's colour scheme
  const lowContrast = []; // text under WCAG AA against its background, in dark

  before(async () => {
    screenshot = await screenshotsFor('phone-layout-journey');
  });

  after(async () => {
    await visitor?.close();
    await operator?.close();
    await server?.stop();
    await fake?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ operator, visitor }),
    () => screenshot,
  );

  const url = (route) => `${server.baseURL}${route}`;

  /** A JSON call from the page, with its session's CSRF token; throws on a non-2xx answer. */
  const call = (page, method, route, body) =>
    page.evaluate(
      async ({ method, route, body }) => {
        const session = await fetch('/api/auth/session').then((response) =>
          response.ok ? response.json() : null,
        );
        const headers = { Accept: 'application/json' };
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        if (session) headers['X-CSRF-Token'] = session.csrf_token;
        const response = await fetch(route, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
        return text ? JSON.parse(text) : null;
      },
      { method, route, body },
    );

  /** Waits until the page shows what `ready` waits for (else its heading) and nothing is still loading. */
  const settled = async (page, ready) => {
    await (ready ? ready(page) : page.locator('h1').first().waitFor());
    await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0);
    await page.evaluate(() => document.fonts.ready);
    await page.evaluate(() => window.scrollTo(0, 0));
  };

  /**
   * How far the document is wider than the window, and what sticks out past its right edge without a
   * scrolling box to hold it (the outermost such elements), to say what to fix. A positioned element
   * escapes a scrolling box that does not contain its containing block (e.g. an sr-only label in a
   * table that scrolls inside a card), so it counts.
   */
  const overflow = (page) =>
    page.evaluate(() => {
      const width = window.innerWidth;
      const scrollWidth = document.documentElement.scrollWidth;
      const sticksOut = (element) => element.getBoundingClientRect().right > width + 0.5;
      const scrolls = (element) => getComputedStyle(element).overflowX !== 'visible';
      const heldByScrollingBox = (element) => {
        const position = getComputedStyle(element).position;
        if (position === 'fixed') return true;
        // Only a scrolling box around an absolute element's containing block clips it.
        const containingBlock = position === 'absolute' ? element.offsetParent : null;
        let insideContainingBlock = position !== 'absolute';
        for (let node = element.parentElement; node && node !== document.body; node = node.parentElement) {
          if (node === containingBlock) insideContainingBlock = true;
          if (insideContainingBlock && scrolls(node)) return true;
        }
        return false;
      };
      const loose = new Set(
        [...document.body.querySelectorAll('*')].filter(
          (element) => sticksOut(element) && !heldByScrollingBox(element),
        ),
      );
      const describe = (element) => {
        const classes = typeof element.className === 'string' ? element.className.trim().split(/\s+/) : [];
        const tag = element.tagName.toLowerCase();
        const label = classes.length ? `${tag}.${classes.slice(0, 4).join('.')}` : tag;
        const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
        return `${label} "${text}" → ${Math.round(element.getBoundingClientRect().right)} px`;
      };
      const culprits = [...loose]
        .filter((element) => !loose.has(element.parentElement))
        .slice(0, 4)
        .map(describe);
      // Tabs wrap on a phone rather than hide behind the edge.
      const cutOffTabs = [...document.querySelectorAll('[role="tab"]')]
        .filter((tab) => {
          const box = tab.getBoundingClientRect();
          return box.width > 0 && (box.left < 0 || box.right > width + 0.5);
        })
        .map(
          (tab) => `tab "${tab.textContent.trim()}" → ${Math.round(tab.getBoundingClientRect().right)} px`,
        );
      return { width, scrollWidth, culprits, cutOffTabs };
    });

  /**
   * Opens `route` at 390 px and at 1440 px, each in the light and the dark colour scheme (the app's theme
   * is "System", so it follows the browser, as does a hosted chat whose deployment says "system");
   * records when the page is wider than the window or a tab sticks out, and in dark, text that does not
   * stand out from its background; saves <name>-<width>-<theme>.png. `pattern` is the route of app.tsx
   * it stands for.
   */
  const visit = async (browser, { name, pattern, route, ready }) => {
    const { page } = browser;
    for (const viewport of [PHONE, DESKTOP]) {
      for (const theme of THEMES) {
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme: theme });
        await page.goto(url(route));
        await settled(page, ready);
        const shown = await page.evaluate(() =>
          document.documentElement.classList.contains('dark') ? 'dark' : 'light',
        );
        const where = `${name} (${route}) at ${viewport.width} px in ${theme}`;
        if (shown !== theme) wrongTheme.push(`${where} shows ${shown}`);
        const { width, scrollWidth, culprits, cutOffTabs } = await overflow(page);
        if (scrollWidth > width) tooWide.push(`${where} is ${scrollWidth} px wide: ${culprits.join('; ')}`);
        if (cutOffTabs.length > 0) tooWide.push(`${where}: ${cutOffTabs.join('; ')}`);
        if (theme === 'dark') {
          const unreadable = await lowContrastText(page);
          if (unreadable.length > 0) lowContrast.push(`${where}: ${unreadable.slice(0, 6).join('; ')}`);
        }
        await screenshot(page, `${name}-${viewport.width}-${theme}`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    visited.add(pattern);
  };

  step('the fake platforms and the server start, and two browsers open', {}, async () => {
    fake = await startFakePlatforms();
    server = await startServer({ env: fake.env });
    operator = await launchBrowser();
    visitor = await launchBrowser();
    operator.page.setDefaultTimeout(10_000);
    visitor.page.setDefaultTimeout(10_000);
  });

  step('an owner signs up', { operator: ['401 GET /api/auth/session'] }, async () => {
    await signUp(operator.page, server.baseURL, OPERATOR);
    const session = await call(operator.page, 'GET', '/api/auth/session');
    ids.org = session.organization.id;
  });

  step('the organisation gets a bot, a template, deployments, a key and an invitation', {}, async () => {
    const { page } = operator;
    const template = await call(page, 'POST', '/api/templates', {
      name: TEMPLATE.name,
      category: TEMPLATE.category,
      trigger_phrases: [TEMPLATE.trigger],
      body: TEMPLATE.answer,
    });
    const bot = await call(page, 'POST', '/api/bots', {
      name: BOT,
      description: 'Answers questions about opening hours and takes orders for celebration cakes.',
      greeting: 'Welcome to Lovelace Bakery! Ask me about our opening hours.',
    });
    ids.bot = bot.id;
    await call(page, 'PATCH', `/api/bots/${bot.id}`, { template_ids: [template.id] });
    const webchat = await call(page, 'POST', '/api/deployments', {
      bot_id: bot.id,
      channel: 'webchat',
      allowed_origins: ['https://lovelace-bakery-and-patisserie.example.com'],
      hosted_page_enabled: true,
    });
    links.chat = new URL(webchat.hosted_url).pathname;

    const telegram = await call(page, 'POST', '/api/integrations', {
      platform: 'telegram',
      name: TELEGRAM.name,
      credentials: { bot_token: TELEGRAM.token },
    });
    const verified = await call(page, 'POST', `/api/integrations/${telegram.id}/verify`);
    assert.equal(verified.status, 'connected');
    await call(page, 'POST', '/api/deployments', { bot_id: bot.id, integration_id: telegram.id });
    const simulated = await call(page, 'POST', `/api/integrations/${telegram.id}/simulate`, {
      text: 'Hello! What are your opening hours over the long Easter weekend?',
      external_user_id: '100200301',
    });
    assert.ok(simulated.job_id, 'the simulated message got a reply job');
    ids.job = simulated.job_id;

    await call(page, 'POST', `/api/orgs/${ids.org}/api-keys`, {
      name: 'Nightly export of conversations to the data warehouse',
      role: 'member',
    });
    const invite = await call(page, 'POST', `/api/orgs/${ids.org}/invites`, {
      email: INVITEE,
      role: 'member',
    });
    links.invite = new URL(invite.accept_url);
  });

  step('the Telegram job is answered', {}, async () => {
    const { page } = operator;
    const deadline = Date.now() + JOB_TIMEOUT;
    for (;;) {
      const job = await call(page, 'GET', `/api/jobs/${ids.job}`);
      const jobState = job.job?.state ?? job.state;
      if (jobState === 'succeeded') break;
      assert.ok(Date.now() < deadline, `the job is still ${jobState}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  step(
    'a visitor chats on the hosted page, and asks for a password reset',
    // The call helper asks for the visitor's session, which they have not.
    { visitor: ['401 GET /api/auth/session'] },
    async () => {
      const { page } = visitor;
      await page.goto(url(links.chat));
      await page.getByLabel('Your message').fill('Hello, what are your opening hours this weekend?');
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByText(TEMPLATE.answer).waitFor();
      await call(page, 'POST', '/api/auth/password-reset', { email: OPERATOR.email });
      links.reset = new URL(
        await linkFromLatestMail(operator.page, {
          to: OPERATOR.email,
          subject: /password/i,
          path: '/reset-password',
        }),
      );
    },
  );

  step(
    'every page of a signed-in owner fits a phone and a desktop, light and dark',
    // A bot that does not exist, once per width and theme.
    { operator: Array(2 * THEMES.length).fill('404 GET /api/bots/bot_does_not_exist') },
    async () => {
      const bot = `/bots/${ids.bot}`;
      const heading = (text) => (page) => page.getByRole('heading', { name: text }).first().waitFor();
      const text = (value) => (page) => page.getByText(value).first().waitFor();
      const pages = [
        { name: 'dashboard', pattern: 'index', route: '/', ready: text(TEMPLATE.answer) },
        { name: 'team', pattern: 'team', route: '/team', ready: text(INVITEE) },
        { name: 'bots', pattern: 'bots', route: '/bots', ready: text(BOT) },
        { name: 'bot-customise', pattern: 'bots/:id', route: bot, ready: heading(BOT) },
        {
          name: 'bot-test-console',
          pattern: 'bots/:id',
          route: `${bot}?tab=test`,
          ready: (page) => page.getByLabel('Test conversation').waitFor(),
        },
        {
          name: 'bot-deployments',
          pattern: 'bots/:id',
          route: `${bot}?tab=deployments`,
          ready: text(TELEGRAM.name),
        },
        {
          name: 'bot-conversations',
          pattern: 'bots/:id',
          route: `${bot}?tab=conversations`,
          ready: (page) => page.getByRole('tabpanel').getByText(TEMPLATE.answer).first().waitFor(),
        },
        {
          name: 'bot-missing',
          pattern: 'bots/:id',
          route: '/bots/bot_does_not_exist',
          ready: text('This bot does not exist'),
        },
        {
          name: 'conversations',
          pattern: 'conversations',
          route: '/conversations',
          ready: text(TEMPLATE.answer),
        },
        { name: 'templates', pattern: 'templates', route: '/templates', ready: text(TEMPLATE.name) },
        { name: 'platforms', pattern: 'platforms', route: '/platforms', ready: text(TELEGRAM.name) },
        { name: 'integrations', pattern: 'integrations', route: '/integrations', ready: text(TELEGRAM.name) },
        {
          name: 'analytics',
          pattern: 'analytics',
          route: '/analytics',
          ready: (page) => page.getByRole('list', { name: 'All conversations' }).waitFor(),
        },
        {
          name: 'operations',
          pattern: 'operations',
          route: '/operations',
          ready: (page) => page.getByRole('table', { name: 'Jobs' }).getByText('100200301').waitFor(),
        },
        {
          name: 'settings-organization',
          pattern: 'settings/organization',
          route: '/settings/organization',
        },
        {
          name: 'settings-api-keys',
          pattern: 'settings/api-keys',
          route: '/settings/api-keys',
          ready: text('Nightly export of conversations to the data warehouse'),
        },
        {
          name: 'settings-audit',
          pattern: 'settings/audit',
          route: '/settings/audit',
          ready: text(INVITEE),
        },
        { name: 'billing', pattern: 'billing', route: '/billing', ready: heading('Billing') },
        { name: 'settings', pattern: 'settings', route: '/settings' },
        { name: 'settings-profile', pattern: 'settings/profile', route: '/settings/profile' },
        { name: 'admin', pattern: 'admin', route: '/admin', ready: text(OPERATOR.email) },
        { name: 'debug', pattern: 'debug', route: '/debug' },
        { name: 'debug-mailbox', pattern: 'debug/mailbox', route: '/debug/mailbox', ready: text(INVITEE) },
        { name: 'not-found', pattern: '*', route: '/no-such-page' },
      ];
      for (const entry of pages) await visit(operator, entry);
    },
  );

  step(
    'from the keyboard: a skip link first, and the app’s focus ring on the template dialog',
    {},
    async () => {
      const { page } = operator;
      for (const viewport of [PHONE, DESKTOP]) {
        await page.setViewportSize(viewport);
        await page.goto(url('/'));
        await settled(page, (p) => p.getByText(TEMPLATE.answer).first().waitFor());
        // The first Tab shows "Skip to content" on screen; Enter moves the focus past the navigation.
        await page.keyboard.press('Tab');
        const skip = page.getByRole('link', { name: 'Skip to content' });
        assert.ok(
          await skip.evaluate((link) => link === document.activeElement),
          'the first Tab reaches the skip link',
        );
        const box = await skip.boundingBox();
        assert.ok(
          box && box.width > 40 && box.height > 20 && box.x >= 0 && box.y >= 0,
          `skip link on screen: ${JSON.stringify(box)}`,
        );
        await screenshot(page, `skip-link-${viewport.width}`);
        await page.keyboard.press('Enter');
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
        assert.equal(new URL(page.url()).hash, '');
      }

      // "Show wording per platform", reached by Tab, has the ring of the app's buttons, not the
      // browser's outline.
      await page.goto(url('/templates'));
      await page.getByRole('button', { name: TEMPLATE.name, exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Add variable' }).focus();
      await page.keyboard.press('Tab');
      const toggle = dialog.getByRole('button', { name: 'Show wording per platform' });
      const look = await toggle.evaluate((element) => {
        const style = getComputedStyle(element);
        // Tailwind's outline-none is a transparent outline.
        const transparent = style.outlineStyle === 'none' || style.outlineColor === 'rgba(0, 0, 0, 0)';
        return {
          focused: element === document.activeElement,
          outline: transparent ? 'none' : style.outlineStyle,
          ring: style.boxShadow,
        };
      });
      assert.ok(look.focused, 'Tab reaches "Show wording per platform"');
      assert.equal(look.outline, 'none', 'no browser outline');
      assert.notEqual(look.ring, 'none', 'the app’s ring');
      await screenshot(page, 'template-dialog-focus-ring-1440');
      await page.setViewportSize(PHONE);
      await screenshot(page, 'template-dialog-390');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    },
  );

  step(
    'every signed-out page fits a phone and a desktop, light and dark',
    {
      visitor: () => [
        // Sign-in and sign-up, email verification and the invitation ask who is signed in, at each width
        // and theme.
        ...Array(8 * THEMES.length).fill('401 GET /api/auth/session'),
      ],
    },
    async () => {
      const pages = [
        { name: 'auth', pattern: '/auth', route: '/auth' },
        { name: 'auth-signup', pattern: '/auth', route: '/auth?tab=signup' },
        { name: 'forgot-password', pattern: '/forgot-password', route: '/forgot-password' },
        {
          name: 'reset-password',
          pattern: '/reset-password',
          route: `${links.reset.pathname}${links.reset.search}`,
          ready: (page) => page.getByRole('heading', { name: 'Choose a new password' }).waitFor(),
        },
        { name: 'verify-email', pattern: '/verify-email', route: '/verify-email' },
        {
          name: 'invite',
          pattern: '/invite/:token',
          route: `${links.invite.pathname}${links.invite.search}`,
          ready: (page) => page.getByText(INVITEE).first().waitFor(),
        },
        {
          name: 'hosted-chat',
          pattern: '/chat/:key',
          route: links.chat,
          ready: (page) => page.getByText('Welcome to Lovelace Bakery!').first().waitFor(),
        },
      ];
      for (const entry of pages) await visit(visitor, entry);
    },
  );

  step('every route of app.tsx was visited', {}, async () => {
    const routes = await routeTable();
    assert.deepEqual(
      routes.filter((route) => !visited.has(route)),
      [],
      'routes of web/src/app.tsx this journey does not visit',
    );
  });

  step('no page scrolls sideways, and no tab is cut off', {}, async () => {
    assert.ok(tooWide.length === 0, `pages wider than the window:\n${tooWide.join('\n')}`);
  });

  step('every page follows the colour scheme, and its text is readable in dark', {}, async () => {
    assert.deepEqual(wrongTheme, [], 'pages in the wrong theme');
    assert.ok(lowContrast.length === 0, `text under WCAG AA in dark:\n${lowContrast.join('\n')}`);
  });
});
