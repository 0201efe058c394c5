// Journey: AI replies stream into the browser. The server talks to the fake OpenRouter, which writes
// its answer one word at a time (first word after 500 ms, then one every 150 ms). The operator's test
// console shows the typing line, the reply growing word by word, then the reply with its model,
// tokens and cost; a visitor on the hosted chat page and through widget.js on a shop's site sees the
// same; when the model breaks off mid-way the visitor gets the bot's fallback message with a note
// that the answer was interrupted.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import { callApi, signUp } from '../lib/account.mjs';
import { startSite } from '../lib/site.mjs';
import {
  journeySteps,
  launchBrowser,
  screenshotsFor,
  startFakeOpenRouter,
  startServer,
} from '../lib/harness.mjs';

const OPERATOR = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  password: 'correct horse battery',
};
const BOT = 'Ferry Helper';
const GREETING = 'Ahoy! Ask me about the ferries.';
const FALLBACK = 'A harbour master will answer you soon.';
// Ten words: the fake streams one per chunk.
const CONTENT = 'Our harbour ferry leaves every hour from pier three daily.';
const FIRST_TOKEN_MS = 500;
const TOKEN_MS = 150;

/**
 * Runs in the page (or the chat's frame): watches the DOM until a new finished bubble reads `final`
 * (none still growing), and tells whether the typing line showed and every text the growing bubble
 * held on the way. Started before Send is clicked, so nothing is missed between two polls.
 */
function watchReply({ final, timeout }) {
  const finished = () =>
    [...document.querySelectorAll('div')].filter(
      (element) => element.childElementCount === 0 && element.textContent === final,
    ).length;
  const before = finished();
  return new Promise((resolve) => {
    const result = { typing: false, seen: [], complete: false, order: [] };
    const look = () => {
      if (document.querySelector('[data-testid="typing-indicator"]')) {
        result.typing = true;
        if (result.order.at(-1) !== 'typing') result.order.push('typing');
      }
      const growing = document.querySelector('[data-state="streaming"]');
      if (growing) {
        const text = growing.textContent ?? '';
        if (result.seen.at(-1) !== text) result.seen.push(text);
        if (result.order.at(-1) !== 'streaming') result.order.push('streaming');
      } else if (finished() > before) {
        result.complete = true;
        result.order.push('done');
        observer.disconnect();
        clearTimeout(timer);
        resolve(result);
      }
    };
    const observer = new MutationObserver(look);
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
    });
    const timer = setTimeout(() => {
      observer.disconnect();
      resolve(result);
    }, timeout);
    look();
  });
}

/** The growing bubble showed a non-empty strict beginning of `content` before the reply was done. */
function assertStreamed(result, content, final = content) {
  assert.ok(result.complete, `the reply "${final}" never showed (saw ${JSON.stringify(result)})`);
  assert.ok(result.typing, 'the typing line showed before the first word');
  assert.equal(result.order[0], 'typing', `typing first: ${result.order.join(' → ')}`);
  const partial = result.seen.filter((text) => text.trim() !== '' && text.trim() !== content.trim());
  assert.ok(
    partial.some((text) => content.startsWith(text) || content.startsWith(text.trimEnd())),
    `a part of the reply showed before the whole (saw ${JSON.stringify(result.seen)})`,
  );
  for (const text of result.seen)
    assert.ok(content.startsWith(text.trimEnd()), `"${text}" is a beginning of "${content}"`);
  assert.ok(result.seen.length >= 3, `the reply grew in several steps: ${JSON.stringify(result.seen)}`);
}

describe('streaming journey', () => {
  let model;
  let server;
  let shop;
  let operator;
  let visitor;
  let screenshot;
  let snippet = '';
  let hostedUrl = '';

  before(async () => {
    screenshot = await screenshotsFor('streaming-journey');
  });

  after(async () => {
    await visitor?.close();
    await operator?.close();
    await shop?.stop();
    await server?.stop();
    await model?.stop();
    if (state.failed && server) console.log(`--- server log ---\n${server.log()}`);
  });

  const { step, state } = journeySteps(
    () => ({ operator, visitor }),
    () => screenshot,
  );
  const url = (path) => `${server.baseURL}${path}`;
  const toast = (page, text) => page.locator('[data-sonner-toast]', { hasText: text });
  const timeout = 15_000;
  const normalAnswer = {
    content: CONTENT,
    delay_ms: 50,
    first_token_ms: FIRST_TOKEN_MS,
    token_ms: TOKEN_MS,
  };

  step('the fake model, the server, a shop site and the operator’s browser start', {}, async () => {
    model = await startFakeOpenRouter([
      '--latency-ms',
      '50',
      '--first-token-ms',
      String(FIRST_TOKEN_MS),
      '--token-ms',
      String(TOKEN_MS),
      '--content',
      CONTENT,
    ]);
    server = await startServer({ env: model.env });
    shop = await startSite('Harbour Shop', () => snippet);
    operator = await launchBrowser();
    operator.page.setDefaultTimeout(timeout);
  });

  step('the operator signs up and makes a bot', { operator: ['401 GET /api/auth/session'] }, async () => {
    const { page } = operator;
    await signUp(page, server.baseURL, OPERATOR);
    // Making the bot is not what this journey is about: through the API, as the app would.
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

  step('the test console streams the reply, then shows its model, tokens and cost', {}, async () => {
    const { page } = operator;
    await page.getByRole('tab', { name: 'Test console' }).click();
    const conversation = page.getByLabel('Test conversation');
    await conversation.getByText(GREETING).waitFor();
    await page.getByLabel('Message', { exact: true }).fill('When does the ferry leave?');
    const watching = page.evaluate(watchReply, { final: CONTENT, timeout });
    await page.getByRole('button', { name: 'Send' }).click();
    await conversation.getByText(`${BOT} is answering…`).waitFor();
    await conversation.locator('[data-state="streaming"]').waitFor();
    await screenshot(page, '01-console-streaming');
    assertStreamed(await watching, CONTENT);

    await conversation.getByTestId('reply-source').waitFor();
    assert.equal(await conversation.getByTestId('reply-source').textContent(), 'AI');
    await conversation.getByText('openai/gpt-4o-mini').waitFor();
    await conversation.getByText('42 in · 7 out tokens').waitFor();
    // The fake reports usage.cost = 0.000123 US dollars.
    await conversation.getByText(/^\$0\.00012[23]$/).waitFor();
    await screenshot(page, '02-console-done');
  });

  step('the bot is deployed to web chat for the shop, with its hosted page', {}, async () => {
    const { page } = operator;
    await page.getByRole('tab', { name: 'Deployments' }).click();
    await page.getByLabel('Allowed origins').fill(shop.origin);
    await page.getByRole('button', { name: 'Deploy to web chat' }).click();
    await toast(page, 'Deployed to web chat').waitFor();
    snippet = await page.getByLabel('Embed snippet').inputValue();
    hostedUrl = await page.getByLabel('Hosted chat link').inputValue();
    assert.match(hostedUrl, /\/chat\/[^/]+$/);
  });

  step(
    'a visitor on the hosted chat page sees the typing line, then the reply word by word',
    {},
    async () => {
      visitor = await launchBrowser();
      const { page } = visitor;
      page.setDefaultTimeout(timeout);
      await page.goto(hostedUrl);
      await page.getByRole('heading', { name: BOT }).waitFor();
      await page.getByText(GREETING).waitFor();
      await page.getByLabel('Your message').fill('When does the ferry leave?');
      const watching = page.evaluate(watchReply, { final: CONTENT, timeout });
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByText(`${BOT} is typing…`).waitFor();
      await screenshot(page, '03-hosted-typing');
      await page.locator('[data-state="streaming"]').waitFor();
      await screenshot(page, '04-hosted-streaming');
      assertStreamed(await watching, CONTENT);
      assert.equal(await page.locator('[data-state="streaming"]').count(), 0);
      assert.equal(await page.getByText(CONTENT, { exact: true }).count(), 1);
      await screenshot(page, '05-hosted-done');
    },
  );

  step('when the model breaks off mid-way, the visitor gets the fallback and a note', {}, async () => {
    const { page } = visitor;
    await model.control('answers', {
      answers: [{ ...normalAnswer, fail_after_chunks: 4 }],
    });
    await page.getByLabel('Your message').fill('And on Sundays?');
    const watching = page.evaluate(watchReply, { final: FALLBACK, timeout });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('[data-state="streaming"]').waitFor();
    const result = await watching;
    assert.ok(result.complete, `the fallback never showed (saw ${JSON.stringify(result)})`);
    assert.ok(
      result.seen.some((text) => text.trim() !== '' && CONTENT.startsWith(text.trimEnd())),
      `the first words showed before the break (saw ${JSON.stringify(result.seen)})`,
    );
    const interrupted = page.locator('[data-state="interrupted"]');
    await interrupted.getByText(FALLBACK).waitFor();
    await interrupted.getByText('The answer was interrupted.').waitFor();
    // The partial words are gone: the stored reply is the fallback.
    assert.equal(await page.getByText('Our harbour ferry leaves', { exact: true }).count(), 0);
    await screenshot(page, '06-hosted-interrupted');
    await model.control('answers', { answers: [normalAnswer] });
  });

  step('through widget.js on the shop’s site, the reply streams too', {}, async () => {
    const { page } = visitor;
    await page.goto(`${shop.origin}/`);
    await page.getByRole('heading', { name: 'Harbour Shop' }).waitFor();
    await page.getByRole('button', { name: 'Open chat' }).click();
    const chat = page.frameLocator('iframe[title="Chat"]');
    await chat.getByText(GREETING).waitFor();
    const frame = page.frames().find((candidate) => candidate.url().includes('/chat/'));
    assert.ok(frame, 'the chat frame is open');
    await chat.getByLabel('Your message').fill('Is there a ferry today?');
    const watching = frame.evaluate(watchReply, { final: CONTENT, timeout });
    await chat.getByRole('button', { name: 'Send' }).click();
    await chat.locator('[data-state="streaming"]').waitFor();
    await screenshot(page, '07-widget-streaming');
    assertStreamed(await watching, CONTENT);
    await screenshot(page, '08-widget-done');
  });

  step('every reply went to the model as a stream', {}, async () => {
    const stats = await model.control('stats');
    assert.ok(stats.streamed >= 4, `streamed calls: ${JSON.stringify(stats)}`);
    assert.equal(stats.in_flight, 0);
  });
});
