// The guide's scenarios (Appendix II and the sandbox IBANs), clicked through the way a
// customer does: our screens, the emulator's webview, back to the outcome page. The expected
// texts are the guide's own (Appendix III), typed from it in fixtures/guide.mjs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  BASE, DESKTOP, advanceClock, answerEverything, bankLogin, useAnotherIban, launch,
  openIdentification, returnToOutcome, sign, startWebview, submitWebviewIban, walkWebview,
  withPage,
} from './support.mjs';
import { GUIDE_TEXT, SUCCESS_TEXT } from './fixtures/guide.mjs';

const { METHOD_NOT_AVAILABLE: NOT_AVAILABLE, CONTACT_SOLARIS } = GUIDE_TEXT;

/** Every mocked IBAN of the guide, with what the customer must see at the end. */
const SCENARIOS = [
  {
    iban: 'DE11110101010100000020', lang: 'en', name: 'happy path', category: 'Success',
    message: SUCCESS_TEXT,
    nextHref: null,
  },
  {
    iban: 'DE11110101010100000020', lang: 'de', name: 'happy path', category: 'Success',
    message: SUCCESS_TEXT,
    nextHref: null,
  },
  {
    iban: 'DE22110101010100000016', lang: 'de', name: 'user data not found',
    category: 'MethodNotAvailable', message: NOT_AVAILABLE, nextHref: null,
  },
  {
    iban: 'DE33110101010100000012', lang: 'en', name: 'previous ident not found',
    category: 'MethodNotAvailable', message: NOT_AVAILABLE, nextHref: null,
  },
  {
    iban: 'DE43110101010000000010', lang: 'de', name: 'authorized person, not the owner',
    category: 'RetryWithAnotherIban', nextHref: '/bank?change=1&another=1',
    message: GUIDE_TEXT.ACCESS_BY_AUTHORIZED_HOLDER,
  },
  {
    iban: 'DE55110101010100000004', lang: 'de', name: 'joint account',
    category: 'RetryWithAnotherIban', nextHref: '/bank?change=1&another=1',
    message: GUIDE_TEXT.JOINT_ACCOUNT,
  },
  {
    iban: 'DE66110101010100000000', lang: 'en', name: 'bank login or transfer failed',
    category: 'RetryWithAnotherIban', nextHref: '/bank?change=1&another=1',
    message: GUIDE_TEXT.ACCOUNT_SNAPSHOT_FAILED,
  },
  {
    iban: 'DE77110101010100000093', lang: 'en', name: 'external provider fails',
    category: 'ContactSupport', message: CONTACT_SOLARIS, nextHref: null,
  },
];

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

describe('every mocked IBAN of the guide, start to outcome', () => {
  for (const scenario of SCENARIOS) {
    const title = `${scenario.iban} (${scenario.name}) in ${scenario.lang.toUpperCase()}`;
    test(title, async () => {
      await withPage(browser, `iban-${scenario.iban}-${scenario.lang}`, async (page) => {
        await answerEverything(page, scenario);
        assert.equal(await openIdentification(page), 'webview');
        await walkWebview(page, scenario);
        const outcome = await returnToOutcome(page);
        assert.equal(outcome.category, scenario.category);
        assert.equal(outcome.message, scenario.message[scenario.lang]);
        if (scenario.nextHref) assert.equal(outcome.nextHref, scenario.nextHref);
        if (scenario.category === 'Success') {
          // Completed: the answers are gone from the tab.
          assert.equal(await page.evaluate(() => sessionStorage.getItem('bankident.journey')), null);
        }
      });
    });
  }
});

test('DE44 (IBAN does not match the name): the webview says so, another IBAN succeeds', async () => {
  // Solaris refuses the IBAN inside its webview (412 PERSON_ACCOUNT_MATCH_NOT_FOUND at
  // creation) and asks for another one there; the customer never leaves the webview.
  await withPage(browser, 'retry-another-iban', async (page) => {
    await answerEverything(page, { lang: 'en', iban: 'DE44110101010100000008' });
    await openIdentification(page);
    await walkWebview(page, { lang: 'en', iban: 'DE44110101010100000008' });
    assert.match(page.url(), /\/solaris\/webview\/.*\/iban/);
    assert.match(
      await page.textContent('body'),
      /This identification method is not available for this IBAN\. Please try another IBAN or continue with video identification\./,
    );
    await submitWebviewIban(page, 'DE11110101010100000020');
    await bankLogin(page);
    await sign(page);
    const outcome = await returnToOutcome(page);
    assert.equal(outcome.category, 'Success');
  }, { allowedFailures: ['/iban'] });
});

test('after a refused IBAN, "use another bank account" changes only the IBAN', async () => {
  await withPage(browser, 'change-iban-after-joint-account', async (page) => {
    await answerEverything(page, { lang: 'en', iban: 'DE55110101010100000004' });
    await openIdentification(page);
    await walkWebview(page, { lang: 'en', iban: 'DE55110101010100000004' });
    const refused = await returnToOutcome(page);
    assert.equal(refused.category, 'RetryWithAnotherIban');
    // Changing one answer returns to the check page, with everything else kept.
    await useAnotherIban(page, 'DE11110101010100000020');
    const summary = await page.textContent('.bk-summary-list');
    assert.match(summary, /DE11 1101 0101 0100 0000 20/);
    assert.match(summary, /Zierfisch/);
    assert.equal(await openIdentification(page), 'webview');
    await walkWebview(page, { lang: 'en', iban: 'DE11110101010100000020' });
    assert.equal((await returnToOutcome(page)).category, 'Success');
  });
});

test('more than 10 minutes between the bank step and the signature: start again', async () => {
  await withPage(browser, 'ten-minute-timeout', async (page) => {
    await answerEverything(page, { lang: 'de', iban: 'DE11110101010100000020' });
    await openIdentification(page);
    // Up to the bank login and transfer, then the customer waits 11 minutes before signing.
    await startWebview(page, 'de');
    await submitWebviewIban(page, 'DE11110101010100000020');
    await bankLogin(page);
    await page.waitForSelector('form[action*="/sign"] button');
    await advanceClock(page, 660);
    await page.click('form[action*="/sign"] button');
    await page.waitForLoadState();
    const outcome = await returnToOutcome(page);
    assert.equal(outcome.category, 'StartAgain');
    assert.equal(outcome.nextHref, '/opening');
  });
});

test('the happy path on a desktop-sized window', async () => {
  await withPage(browser, 'happy-desktop', async (page) => {
    await answerEverything(page, { lang: 'en', iban: 'DE11110101010100000020' });
    await openIdentification(page);
    await walkWebview(page, { lang: 'en', iban: 'DE11110101010100000020' });
    assert.equal((await returnToOutcome(page)).category, 'Success');
  }, { viewport: DESKTOP });
});

test('the outcome page reads the outcome from the backend, not from the address', async () => {
  await withPage(browser, 'outcome-not-from-query', async (page) => {
    // A forged "success" in the URL of a browser that never opened an identification.
    await page.goto(`${BASE}/callback?status=successful&lang=en`);
    await page.waitForSelector('main h1');
    await page.waitForFunction(() => !/checking/i.test(document.querySelector('main h1').textContent));
    assert.equal((await page.textContent('main h1')).trim(), 'No identification found');
    assert.equal(await page.$('[data-category="Success"]'), null);
  }, { allowedFailures: ['/api/identification/outcome'] });
});

test('the Back button on a Solaris screen returns to "Check your answers", and the session goes on', async () => {
  await withPage(browser, 'back-from-solaris', async (page) => {
    await answerEverything(page, { lang: 'en', iban: 'DE11110101010100000020' });
    assert.equal(await openIdentification(page), 'webview');
    const session = page.url().split('?')[0];
    assert.match(page.url(), /lang=en/, 'the webview gets the customer language');
    await page.goBack();
    await page.waitForSelector('.bk-summary-list');
    assert.equal((await page.textContent('main h1')).trim(), 'Check your answers');
    assert.equal(await openIdentification(page), 'webview');
    assert.equal(page.url().split('?')[0], session, 'the same open session');
    await walkWebview(page, { lang: 'en', iban: 'DE11110101010100000020' });
    assert.equal((await returnToOutcome(page)).category, 'Success');
  });
});

test('leaving Solaris before identifying: the app offers to continue the open session', async () => {
  await withPage(browser, 'left-before-identifying', async (page) => {
    await answerEverything(page, { lang: 'de', iban: 'DE11110101010100000020' });
    assert.equal(await openIdentification(page), 'webview');
    const session = page.url().split('?')[0];
    await page.click('p.leave a');
    await page.waitForURL(/\/callback/);
    await page.waitForFunction(() => /nicht abgeschlossen/.test(document.querySelector('main h1')?.textContent ?? ''));
    assert.equal((await page.textContent('main h1')).trim(), 'Ihre Identifizierung ist nicht abgeschlossen');
    await page.click('main a.bk-button');
    await page.waitForURL(/\/solaris\/webview\//, { timeout: 20000 });
    assert.equal(page.url().split('?')[0], session, 'the same open session');
  });
});
