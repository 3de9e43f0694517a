// The partner's integration, end to end: the partner API makes a start link for a customer,
// the customer goes through the journey from it (in the partner's brand), the partner's
// receiver gets signed webhooks and fetches the result and the signed document; a second
// device continues; a stop holds on another device; broken links get a clear page; webhooks
// survive a receiver that is down and a backend that crashes; a partner whose webhook came late
// reconciles from the event list and has what it missed delivered; the app keeps its
// onboarding in a cross-site iframe with third-party cookies blocked.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  answerEverything, expectNoAxeViolations, finalOutcome, freePort, heading, launch,
  openIdentification, returnToOutcome, startBackend, startWebview, submitWebviewIban,
  walkWebview, withPage,
} from './support.mjs';
import { GUIDE_TEXT } from './fixtures/guide.mjs';

const KEY = 'e2e_partner_key_0123456789abcdef0123456789';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const SUCCESS = 'DE11110101010100000020';
const NOT_AVAILABLE_IBAN = 'DE22110101010100000016';
const NOT_AVAILABLE_EN = GUIDE_TEXT.METHOD_NOT_AVAILABLE.en;
const LOGO = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'logo.svg');
/** The consent screen's documents, which a backend without the demo mode requires. */
const DOCUMENTS = {
  BANKIDENT_TERMS_URL: 'https://nova.example/terms',
  BANKIDENT_PRIVACY_URL: 'https://nova.example/privacy',
  BANKIDENT_SOLARIS_DATA_TERMS_URL: 'https://www.solarisgroup.com/en/legal/data-terms',
};
const BRAND = {
  BANKIDENT_BRAND_NAME: 'Nova Bank',
  BANKIDENT_BRAND_LOGO: LOGO,
  BANKIDENT_BRAND_COLOR: '#5b2a86',
  BANKIDENT_BRAND_DARK_COLOR: '#3d1c5a',
  BANKIDENT_LINK_COLOR: '#5b2a86',
  BANKIDENT_SUPPORT_EMAIL: 'help@nova.example',
  BANKIDENT_SUPPORT_PHONE: '+49 30 1234567',
  ...DOCUMENTS,
  BANKIDENT_FALLBACK_IDENT_URL: 'https://video.nova.example/start',
};

/**
 * Verifies a Standard Webhooks delivery as a partner's receiver does: the JavaScript snippet of
 * docs/partner-api.md itself, so the documented code is the code that is tested.
 */
const verifyWebhook = (() => {
  const guide = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'partner-api.md'), 'utf8');
  const snippet = guide.match(/```js\n([\s\S]*?)```/)[1].replace(/^import .*$/m, '');
  return new Function('createHmac', 'timingSafeEqual', `${snippet}\nreturn verifyWebhook;`)(createHmac, timingSafeEqual);
})();

/** The partner's webhook receiver: keeps verified events, answers with `status`. It knows one
 *  signing `secret`, as a receiver does while the backend signs with the old and the new one. */
async function startReceiver(secret = SECRET) {
  const port = await freePort();
  const receiver = { url: `http://127.0.0.1:${port}/hooks`, events: [], raw: [], attempts: 0, status: 204 };
  receiver.server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      receiver.attempts += 1;
      assert.ok(verifyWebhook(secret, request.headers, body), 'every delivery is signed');
      receiver.raw.push({ headers: request.headers, body });
      if (receiver.status < 300) receiver.events.push({ id: request.headers['webhook-id'], ...JSON.parse(body) });
      response.writeHead(receiver.status).end();
    });
  });
  await new Promise((resolve) => receiver.server.listen(port, '127.0.0.1', resolve));
  return receiver;
}

async function partnerApi(backend, method, path, { body, key = KEY } = {}) {
  const response = await fetch(`${backend.url}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* a file */ }
  return { status: response.status, json, text, headers: response.headers };
}

async function waitFor(condition, what, timeout = 30000) {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let browser;
let receiver;
let partner;
before(async () => {
  browser = await launch();
  receiver = await startReceiver();
  partner = await startBackend('partner', {
    BANKIDENT_DEMO_MODE: 'false',
    BANKIDENT_PARTNER_API_KEYS: KEY,
    BANKIDENT_PARTNER_WEBHOOK_URL: receiver.url,
    BANKIDENT_PARTNER_WEBHOOK_SECRET: SECRET,
    ...BRAND,
  });
});
after(async () => {
  await browser.close();
  await partner.stop();
  receiver.server.close();
});

test('the partner API starts a customer in the partner\'s brand; the partner gets the signed result and document', async () => {
  const created = await partnerApi(partner, 'POST', '/partner/v1/onboardings', {
    body: {
      customer_reference: 'e2e-customer-1',
      language: 'en',
      prefill: { first_name: 'Leander Prefilled', email: 'person@example.com', mobile_number: '+1 555 0101' },
    },
  });
  assert.equal(created.status, 201, created.text);
  const { id } = created.json.onboarding;
  await withPage(browser, 'partner-journey', async (page) => {
    await page.goto(created.json.start_link.url);
    assert.equal(new URL(page.url()).search, '?lang=en', 'the token is gone from the address bar');
    assert.equal(await heading(page), 'Verify your identity with your bank account');
    assert.equal((await page.textContent('.bk-header__service')).trim(), 'Nova Bank');
    assert.ok(await page.$('img.bk-header__logo[src="/brand/logo"]'), 'the partner\'s logo');
    const headerColour = await page.$eval('.bk-header', (header) => getComputedStyle(header).backgroundColor);
    assert.equal(headerColour, 'rgb(91, 42, 134)');
    await expectNoAxeViolations(page, 'start page in the partner\'s brand');
    await page.click('a.bk-button--start');
    await page.waitForFunction(() => document.querySelector('#first_name')?.value === 'Leander Prefilled');
    await answerEverything(page, { base: partner.url, lang: 'en', iban: SUCCESS });
    await page.goto(`${partner.url}/consents?lang=en`);
    await page.waitForSelector('#data_terms');
    const documents = await page.$$eval('main a.bk-link', (links) => links.map((link) => link.getAttribute('href')));
    assert.deepEqual(documents, [BRAND.BANKIDENT_SOLARIS_DATA_TERMS_URL, BRAND.BANKIDENT_TERMS_URL, BRAND.BANKIDENT_PRIVACY_URL]);
    await expectNoAxeViolations(page, 'consents with the partner\'s documents');
    await page.goto(`${partner.url}/check?lang=en`);
    await page.waitForSelector('.bk-summary-list');
    assert.equal(await openIdentification(page), 'webview');
    await walkWebview(page, { lang: 'en', iban: SUCCESS });
    const outcome = await returnToOutcome(page);
    assert.equal(outcome.category, 'Success');
    await expectNoAxeViolations(page, 'success in the partner\'s brand');
  });

  await waitFor(() => receiver.events.some((event) => event.data.onboarding_id === id && event.type === 'onboarding.ended'), 'the ended webhook');
  const types = receiver.events.filter((event) => event.data.onboarding_id === id).map((event) => event.type);
  assert.deepEqual(types, ['onboarding.session_opened', 'onboarding.ended']);
  const ended = receiver.events.find((event) => event.data.onboarding_id === id && event.type === 'onboarding.ended');
  assert.equal(ended.data.category, 'success');
  assert.ok(!JSON.stringify(ended).includes('Leander'), 'no personal data in webhooks');

  const shown = await partnerApi(partner, 'GET', `/partner/v1/onboardings/${id}`);
  assert.equal(shown.json.state, 'final');
  assert.equal(shown.json.person_id, ended.data.person_id);
  assert.equal(shown.json.identification_id, ended.data.identification_id);
  const signed = shown.json.documents.find((document) => document.document_type === 'SIGNED_QES_DOCUMENT');
  const file = await fetch(`${partner.url}${signed.download_path}`, { headers: { authorization: `Bearer ${KEY}` } });
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'application/pdf');
  assert.equal(Buffer.from(await file.arrayBuffer()).subarray(0, 4).toString(), '%PDF');
});

test('a second device continues the same identification, a native host hears the fallback, and a stop holds on the other device', async () => {
  const first = await partnerApi(partner, 'POST', '/partner/v1/onboardings', { body: { customer_reference: 'e2e-customer-2', language: 'en' } });
  const phone = await browser.newContext({ viewport: { width: 360, height: 640 } });
  const phonePage = await phone.newPage();
  await phonePage.goto(first.json.start_link.url);
  await answerEverything(phonePage, { base: partner.url, lang: 'en', iban: NOT_AVAILABLE_IBAN });
  assert.equal(await openIdentification(phonePage), 'webview');
  const sessionPath = new URL(phonePage.url()).pathname;

  const again = await partnerApi(partner, 'POST', '/partner/v1/onboardings', { body: { customer_reference: 'e2e-customer-2' } });
  assert.equal(again.status, 200);
  assert.equal(again.json.onboarding.id, first.json.onboarding.id);
  await withPage(browser, 'second-device', async (page) => {
    const heard = [];
    await page.exposeFunction('__hostBridge', (message) => { heard.push(JSON.parse(message)); });
    await page.route('https://video.nova.example/**', (route) => route.fulfill({ body: 'video identification' }));
    await page.goto(again.json.start_link.url);
    await page.waitForURL(/\/callback/);
    await page.waitForSelector('main a.bk-button[href="/opening"]');
    await expectNoAxeViolations(page, 'the open identification on a second device');
    await page.click('main a.bk-button[href="/opening"]');
    await page.waitForURL(/\/solaris\/webview\//);
    assert.equal(new URL(page.url()).pathname, sessionPath, 'the same session continues');
    await startWebview(page, 'en');
    await submitWebviewIban(page, NOT_AVAILABLE_IBAN);
    const outcome = await returnToOutcome(page);
    assert.equal(outcome.category, 'MethodNotAvailable');
    assert.equal(outcome.message, NOT_AVAILABLE_EN);
    const fallback = await page.$('main a[href="https://video.nova.example/start"]');
    assert.ok(fallback, 'the partner\'s video identification is offered');
    assert.equal((await fallback.textContent()).trim(), 'Continue with video identification');
    await expectNoAxeViolations(page, 'method not available with the fallback');
    await fallback.click();
    await page.waitForURL('https://video.nova.example/start');
    await waitFor(() => heard.some((event) => event.event === 'fallback_chosen'), 'the fallback event');
    const chosen = heard.find((event) => event.event === 'fallback_chosen');
    assert.deepEqual(chosen, { event: 'fallback_chosen', error_code: 'MATCH_FOR_PERSON_DATA_NOT_FOUND', version: 1 });
  }, {
    // A native host's bridge (Android style).
    init: () => {
      window.BankidentBridge = { postMessage: (message) => window.__hostBridge(message) };
    },
  });

  // The phone, with its own answers still in its tab, cannot start again.
  await phonePage.goto(`${partner.url}/?lang=en`);
  await phonePage.waitForURL(/\/callback/);
  assert.equal((await finalOutcome(phonePage)).message, NOT_AVAILABLE_EN);
  await phonePage.goto(`${partner.url}/opening?lang=en`);
  await phonePage.waitForFunction((text) => document.querySelector('main')?.textContent.includes(text), NOT_AVAILABLE_EN);
  await phone.close();
});

test('a used, unknown or missing start link gets a clear page with the next step, in both languages', async () => {
  const created = await partnerApi(partner, 'POST', '/partner/v1/onboardings', { body: { customer_reference: 'e2e-customer-4' } });
  const link = created.json.start_link.url;
  const first = await browser.newContext();
  await (await first.newPage()).goto(link);
  await first.close();
  const cases = [
    [link, 'used', 'This link has already been used', 'Dieser Link wurde schon verwendet'],
    [`${partner.url}/start?token=${'ab'.repeat(32)}`, 'unknown', 'This link does not work', 'Dieser Link funktioniert nicht'],
    [`${partner.url}/`, 'missing', 'Open the link from your provider', 'Öffnen Sie den Link Ihres Anbieters'],
  ];
  for (const [url, problem, english, german] of cases) {
    await withPage(browser, `link-${problem}`, async (page) => {
      await page.goto(url);
      await page.waitForURL(new RegExp(`/link\\?problem=${problem}`));
      assert.equal(await heading(page), english);
      assert.ok(await page.$('main a[href="mailto:help@nova.example"]'), 'the support contact');
      await expectNoAxeViolations(page, `${problem} link (EN)`);
      await page.goto(`${partner.url}/link?problem=${problem}&lang=de`);
      await page.waitForFunction((text) => document.querySelector('h1')?.textContent.trim() === text, german);
      await expectNoAxeViolations(page, `${problem} link (DE)`);
    });
  }
});

test('a customer whose onboarding the partner erased is told so on their next page, in both languages and at 320 px', async () => {
  const created = await partnerApi(partner, 'POST', '/partner/v1/onboardings', { body: { customer_reference: 'e2e-customer-7' } });
  await withPage(browser, 'partner-erased', async (page) => {
    await page.goto(created.json.start_link.url);
    await answerEverything(page, { base: partner.url, lang: 'de', iban: SUCCESS });
    const erased = await partnerApi(partner, 'DELETE', `/partner/v1/onboardings/${created.json.onboarding.id}`);
    assert.equal(erased.status, 200, erased.text);
    assert.equal(erased.json.erased_by, 'partner');
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`${partner.url}/check?lang=de`);
    await page.waitForURL(/\/link\?problem=erased&lang=de/);
    assert.equal(await heading(page), 'Ihre Identifizierung wurde beendet');
    assert.ok(await page.$('main a[href="mailto:help@nova.example"]'), 'the support contact');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scrolling at 320 px');
    await expectNoAxeViolations(page, 'erased (DE, 320 px)');
    await page.goto(`${partner.url}/callback?lang=en`);
    await page.waitForURL(/\/link\?problem=erased&lang=en/);
    assert.equal(await heading(page), 'Your identification was closed');
    await expectNoAxeViolations(page, 'erased (EN)');
    const again = await partnerApi(partner, 'GET', `/partner/v1/onboardings/${created.json.onboarding.id}`);
    assert.equal(again.status, 410);
    assert.equal(again.json.code, 'erased');
  });
});

test('a wrong or revoked API key gets 401 and changes nothing', async () => {
  for (const key of [null, 'e2e_partner_key_wrong_0123456789abcdef01', `${KEY}x`]) {
    const refused = await partnerApi(partner, 'POST', '/partner/v1/onboardings', { key, body: { customer_reference: 'e2e-nobody' } });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('www-authenticate'), 'Bearer');
  }
  const lookup = await partnerApi(partner, 'GET', '/partner/v1/onboardings?customer_reference=e2e-nobody');
  assert.equal(lookup.status, 200, lookup.text);
  assert.deepEqual(lookup.json.onboardings, [], 'nothing was created');
  const spec = await (await fetch(`${partner.url}/openapi/partner.json`)).json();
  assert.ok(spec.paths['/partner/v1/onboardings'].post, 'the OpenAPI document is served');
});

test('the webhook secret and the API key rotate without a refused delivery or call', async () => {
  const NEW_SECRET = `whsec_${Buffer.from('a new secret of thirty-two bytes').toString('base64')}`;
  const NEW_KEY = 'e2e_partner_key_next_0123456789abcdef0123';
  const receiver = await startReceiver(NEW_SECRET);
  const backend = await startBackend('partner-rotation', {
    ...DOCUMENTS,
    BANKIDENT_DEMO_MODE: 'false',
    BANKIDENT_PARTNER_API_KEYS: `old:${KEY},new:${NEW_KEY}`,
    BANKIDENT_PARTNER_WEBHOOK_URL: receiver.url,
    BANKIDENT_PARTNER_WEBHOOK_SECRET: `${SECRET},${NEW_SECRET}`,
  });
  try {
    // While both are configured: both keys work, and every delivery verifies with either secret.
    for (const [key, reference] of [[KEY, 'e2e-rotation-1'], [NEW_KEY, 'e2e-rotation-2']]) {
      const created = await partnerApi(backend, 'POST', '/partner/v1/onboardings', { key, body: { customer_reference: reference } });
      assert.equal(created.status, 201, created.text);
    }
    const ping = await partnerApi(backend, 'POST', '/partner/v1/webhooks/test', { key: NEW_KEY });
    assert.equal(ping.json.delivered, true, ping.text);
    const signed = receiver.raw.at(-1);
    assert.ok(verifyWebhook(SECRET, signed.headers, signed.body), 'a receiver still on the old secret verifies it too');
    const history = await partnerApi(backend, 'GET', '/partner/v1/onboardings?customer_reference=e2e-rotation-1', { key: NEW_KEY });
    assert.equal(history.status, 200);

    // The old key and secret removed: the old key is refused, deliveries carry the new signature only.
    await backend.restart({ BANKIDENT_PARTNER_API_KEYS: `new:${NEW_KEY}`, BANKIDENT_PARTNER_WEBHOOK_SECRET: NEW_SECRET });
    const refused = await partnerApi(backend, 'GET', '/partner/v1/events');
    assert.deepEqual([refused.status, refused.json.code], [401, 'unauthorized']);
    const again = await partnerApi(backend, 'POST', '/partner/v1/webhooks/test', { key: NEW_KEY });
    assert.equal(again.json.delivered, true, again.text);
    const last = receiver.raw.at(-1);
    assert.equal(verifyWebhook(SECRET, last.headers, last.body), false, 'the old secret no longer signs');
  } finally {
    await backend.stop();
    receiver.server.close();
  }
});

test('a create retried with its idempotency key makes one onboarding and one live link; a cancelled customer is identified anew', async () => {
  const body = { customer_reference: 'e2e-customer-8', language: 'en' };
  const send = () => fetch(`${partner.url}/partner/v1/onboardings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'idempotency-key': 'e2e-create-0008' },
    body: JSON.stringify(body),
  });
  const [first, second] = await Promise.all([send(), send()]);
  const answers = await Promise.all([first, second].map(async (answer) => ({ status: answer.status, json: await answer.json() })));
  const made = answers.filter((answer) => answer.status === 201);
  assert.ok(made.length >= 1, JSON.stringify(answers));
  for (const answer of answers) {
    if (answer.status === 201) assert.deepEqual(answer.json, made[0].json);
    else assert.deepEqual([answer.status, answer.json.code], [409, 'idempotency_key_in_use']);
  }
  const retried = await send();
  assert.deepEqual([retried.status, retried.headers.get('idempotent-replayed')], [201, 'true']);
  assert.deepEqual(await retried.json(), made[0].json, 'the first answer, start link included');
  const listed = await partnerApi(partner, 'GET', '/partner/v1/onboardings?customer_reference=e2e-customer-8');
  assert.equal(listed.json.onboardings.length, 1);

  await withPage(browser, 'partner-cancelled', async (page) => {
    await page.goto(made[0].json.start_link.url);
    await answerEverything(page, { base: partner.url, lang: 'en', iban: SUCCESS });
    const { id } = made[0].json.onboarding;
    const cancelled = await partnerApi(partner, 'POST', `/partner/v1/onboardings/${id}/cancel`);
    assert.deepEqual([cancelled.status, cancelled.json.state], [200, 'cancelled'], cancelled.text);
    await page.goto(`${partner.url}/check?lang=en`);
    await page.waitForURL(/\/link\?problem=erased&lang=en/);
    assert.equal(await heading(page), 'Your identification was closed');
    await expectNoAxeViolations(page, 'cancelled (EN)');
    const refused = await partnerApi(partner, 'POST', '/partner/v1/onboardings', { body });
    assert.deepEqual([refused.status, refused.json.code], [409, 'cancelled']);
    const anew = await partnerApi(partner, 'POST', '/partner/v1/onboardings', { body: { ...body, reidentify: true } });
    assert.equal(anew.status, 201, anew.text);
    assert.equal(anew.json.onboarding.previous_onboarding_id, id);
    await page.goto(anew.json.start_link.url);
    await page.waitForURL(/\/\?lang=en$/);
    assert.equal(await heading(page), 'Verify your identity with your bank account', 'the new identification starts afresh');
  });
});

test('webhooks reach a receiver that was down, across a backend crash and restart', async () => {
  const down = await startReceiver();
  down.status = 503;
  const backend = await startBackend('partner-restart', {
    ...DOCUMENTS,
    BANKIDENT_DEMO_MODE: 'false',
    BANKIDENT_PARTNER_API_KEYS: KEY,
    BANKIDENT_PARTNER_WEBHOOK_URL: down.url,
    BANKIDENT_PARTNER_WEBHOOK_SECRET: SECRET,
  });
  try {
    const created = await partnerApi(backend, 'POST', '/partner/v1/onboardings', { body: { customer_reference: 'e2e-customer-5', language: 'en' } });
    await withPage(browser, 'webhook-restart', async (page) => {
      await page.goto(created.json.start_link.url);
      await answerEverything(page, { base: backend.url, lang: 'en', iban: SUCCESS });
      assert.equal(await openIdentification(page), 'webview');
    });
    await waitFor(() => down.attempts >= 1, 'the first attempt');
    assert.equal(down.events.length, 0);
    await backend.restart();
    down.status = 200;
    await waitFor(() => down.events.length === 1, 'the delivery after the restart');
    const { id } = created.json.onboarding;
    const log = await partnerApi(backend, 'GET', `/partner/v1/onboardings/${id}/events`);
    const [event] = log.json.events;
    assert.equal(event.id, down.events[0].id, 'the same event id on every attempt');
    assert.equal(event.status, 'delivered');
    assert.deepEqual(event.deliveries.map((delivery) => delivery.status_code).slice(-1), [200]);
    assert.ok(event.deliveries.length >= 2 && event.deliveries[0].status_code === 503);
  } finally {
    await backend.stop();
    down.server.close();
  }
});

test('a partner whose webhook came late reconciles from the event list and has what it missed delivered', async () => {
  const late = await startReceiver();
  const backend = await startBackend('partner-reconcile', {
    ...DOCUMENTS,
    BANKIDENT_DEMO_MODE: 'false',
    BANKIDENT_PARTNER_API_KEYS: KEY,
  });
  try {
    const created = await partnerApi(backend, 'POST', '/partner/v1/onboardings', { body: { customer_reference: 'e2e-customer-6', language: 'en' } });
    const { id } = created.json.onboarding;
    await withPage(browser, 'partner-reconcile', async (page) => {
      await page.goto(created.json.start_link.url);
      await answerEverything(page, { base: backend.url, lang: 'en', iban: SUCCESS });
      assert.equal(await openIdentification(page), 'webview');
      await walkWebview(page, { lang: 'en', iban: SUCCESS });
      assert.equal((await returnToOutcome(page)).category, 'Success');
    });

    // Without a webhook URL nothing is sent, and everything is listed, one page at a time.
    const listed = [];
    let cursor = '';
    for (;;) {
      const page = await partnerApi(backend, 'GET', `/partner/v1/events?limit=1${cursor}`);
      assert.equal(page.status, 200, page.text);
      listed.push(...page.json.events);
      if (!page.json.has_more) break;
      cursor = `&starting_after=${page.json.next_starting_after}`;
    }
    assert.deepEqual(listed.map((event) => [event.type, event.data.onboarding_id, event.delivery.status]), [
      ['onboarding.session_opened', id, 'not_sent'],
      ['onboarding.ended', id, 'not_sent'],
    ]);
    assert.equal(listed[1].data.category, 'success');

    await backend.restart({ BANKIDENT_PARTNER_WEBHOOK_URL: late.url, BANKIDENT_PARTNER_WEBHOOK_SECRET: SECRET });
    const queued = await partnerApi(backend, 'POST', '/partner/v1/events/redeliver', { body: { status: 'not_sent' } });
    assert.equal(queued.status, 202, queued.text);
    assert.deepEqual(queued.json, { queued: 2 });
    await waitFor(() => late.events.length === 2, 'both events delivered');
    assert.deepEqual(late.events.map((event) => event.id), listed.map((event) => event.id), 'in order, with the listed ids');
    const again = await partnerApi(backend, 'POST', `/partner/v1/events/${listed[1].id}/redeliver`);
    assert.equal(again.status, 202, again.text);
    await waitFor(() => late.events.length === 3, 'the event asked for again');
    assert.equal(late.events[2].id, listed[1].id, 'the same webhook-id, so the receiver can ignore it');
  } finally {
    await backend.stop();
    late.server.close();
  }
});

test('framed by another site with third-party cookies blocked, the app keeps its onboarding', async () => {
  const parentPort = await freePort();
  const parentOrigin = `http://localhost:${parentPort}`;
  const framed = await startBackend('framed', { BANKIDENT_FRAME_ANCESTORS: parentOrigin });
  const parent = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(`<!doctype html><html lang="en"><title>Partner</title><iframe title="Identification" src="${framed.url}/?lang=en" style="width:360px;height:640px"></iframe>`);
  });
  await new Promise((resolve) => parent.listen(parentPort, '127.0.0.1', resolve));
  // Like Safari and Firefox (and Chrome's own plans): only a partitioned cookie works here.
  const strict = await launch(['--test-third-party-cookie-phaseout']);
  try {
    await withPage(strict, 'cross-site-iframe', async (page) => {
      await page.goto(parentOrigin);
      const frame = await (await page.waitForSelector('iframe')).contentFrame();
      await frame.waitForSelector('a.bk-button--start');
      await answerEverything(frame, { base: framed.url, lang: 'en', iban: SUCCESS });
      assert.equal(await openIdentification(frame), 'webview');
      await walkWebview(frame, { lang: 'en', iban: SUCCESS });
      const outcome = await returnToOutcome(frame);
      assert.equal(outcome.category, 'Success', 'the same onboarding from start to outcome');
    });
  } finally {
    await strict.close();
    parent.close();
    await framed.stop();
  }
});
