// Limits and failures: a session that expires, the limit on IBAN attempts, our own backend
// failing while the identification opens, and a page module that cannot be downloaded.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  BASE, advanceClock, answerEverything, launch, openIdentification, returnToOutcome, startWebview,
  submitWebviewIban, withPage,
} from './support.mjs';
import { GUIDE_TEXT } from './fixtures/guide.mjs';

/** The guide's text for IDENTIFICATION_ATTEMPTS_EXCEEDED (and the other "not available" codes). */
const NOT_AVAILABLE_EN = GUIDE_TEXT.METHOD_NOT_AVAILABLE.en;
const EXPIRED_DE = 'Ihr Identifizierungsprozess ist abgelaufen. Bitte versuchen Sie es erneut.';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

/** A valid German IBAN at the guide's sandbox bank for an account number (check digits by ISO 7064). */
function germanIban(account) {
  const bban = `11010101${String(account).padStart(10, '0')}`;
  const digits = `${bban}131400`; // "DE" = 13 14, then "00"
  let rest = 0;
  for (const digit of digits) rest = (rest * 10 + Number(digit)) % 97;
  return `DE${String(98 - rest).padStart(2, '0')}${bban}`;
}

test('a session left for more than 30 days has expired: start again opens a new one', async () => {
  await withPage(browser, 'session-expired', async (page) => {
    await answerEverything(page, { lang: 'de', iban: 'DE11110101010100000020' });
    assert.equal(await openIdentification(page), 'webview');
    await advanceClock(page, 31 * 24 * 60 * 60);
    // The customer comes back to the partner's page a month later.
    await page.goto(`${BASE}/callback?lang=de`);
    await page.waitForSelector('.bk-outcome__message', { timeout: 30000 });
    assert.equal(await page.getAttribute('.bk-outcome__message', 'data-category'), 'StartAgain');
    assert.equal((await page.textContent('.bk-outcome__message')).trim(), EXPIRED_DE);
    await page.click('main a.bk-button');
    await page.waitForURL(/\/solaris\/webview\//, { timeout: 20000 });
  });
});

test('more than 20 IBANs for one person: the method is no longer available', async () => {
  await withPage(browser, 'iban-attempts-exceeded', async (page) => {
    await answerEverything(page, { lang: 'en', iban: 'DE11110101010100000020' });
    await openIdentification(page);
    const ibanPage = `${page.url().split('?')[0]}/iban?lang=en`;
    await startWebview(page, 'en');
    // 20 different IBANs are accepted (each starts a bank transfer the customer abandons) …
    for (let account = 1; account <= 20; account += 1) {
      await page.goto(ibanPage);
      await submitWebviewIban(page, germanIban(1000 + account));
      assert.doesNotMatch(page.url(), /\/iban/, `IBAN ${account} is accepted`);
    }
    // … the 21st is refused with the guide's text, and the customer goes back to the partner.
    await page.goto(ibanPage);
    await submitWebviewIban(page, germanIban(2000));
    assert.match(await page.textContent('body'), new RegExp(NOT_AVAILABLE_EN.replace(/\./g, '\\.')));
    const outcome = await returnToOutcome(page);
    assert.equal(outcome.category, 'Stop');
    assert.equal(outcome.message, NOT_AVAILABLE_EN);
    assert.equal(outcome.nextHref, null, 'no way to try again');
    // Submitting again from the check page opens no new session: the backend enforces the stop.
    await page.goto(`${BASE}/check?lang=en`);
    await page.waitForSelector('.bk-summary-list');
    await page.click('button.bk-button');
    await page.waitForFunction(() => /could not be opened/.test(document.querySelector('main h1')?.textContent ?? ''));
    assert.match(await page.textContent('main [role=status]'), new RegExp(NOT_AVAILABLE_EN.replace(/\./g, '\\.')));
    assert.doesNotMatch(page.url(), /webview/);
  }, { allowedFailures: ['/api/identification'] });
});

test('our backend failing while the identification opens: a clear message and a working retry', async () => {
  await withPage(browser, 'backend-fault', async (page) => {
    await answerEverything(page, { lang: 'de', iban: 'DE11110101010100000020' });
    // The backend answers 500 once, as when its database is unavailable.
    let failed = false;
    // The language travels in the query (`?lang=de`): match the path alone.
    await page.route((url) => url.pathname === '/api/identification', async (route) => {
      if (!failed && route.request().method() === 'POST') {
        failed = true;
        await route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal"}' });
      } else {
        await route.continue();
      }
    });
    await page.click('button.bk-button');
    await page.waitForSelector('main [role=status] button');
    assert.match(await page.textContent('main [role=status]'), /Ihre Angaben sind gespeichert/);
    await page.click('main [role=status] button');
    await page.waitForURL(/\/solaris\/webview\//, { timeout: 20000 });
    assert.ok(failed);
  }, { allowedFailures: ['/api/identification'] });
});

test('a page module that cannot be downloaded: a clear message, and trying again works', async () => {
  await withPage(browser, 'page-module-not-loaded', async (page) => {
    await page.route('**/split_name_*.wasm', (route) => route.abort('connectionfailed'));
    await page.goto(`${BASE}/?lang=en`);
    await page.click('a.bk-button--start');
    await page.waitForSelector('main h1');
    assert.equal((await page.textContent('main h1')).trim(), 'This page could not be loaded');
    assert.ok((await page.title()).includes('This page could not be loaded'));
    await page.unroute('**/split_name_*.wasm');
    await page.click('main button.bk-button');
    await page.waitForSelector('#first_name');
  }, {
    allowedFailures: ['split_name_'],
    allowedConsoleErrors: [/split|wasm|fetch|load/i],
  });
});
