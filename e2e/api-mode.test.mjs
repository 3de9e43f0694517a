// The API mode (the guide's Appendix II flow with our own screens), clicked through the way a
// customer does: our questions, the SMS code for the mobile number, the bank step in the
// emulator's payment wizard, back to our signature page, the SMS code for the signature, the
// outcome page. Every mocked IBAN of the guide, with the guide's own texts (Appendix III) as the
// expectation, on a backend of its own whose default mode is `api`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  answerEverything, bankLogin, useAnotherIban, expectNoAxeViolations, finalOutcome, launch,
  startBackend, withPage,
} from './support.mjs';
import { GUIDE_TEXT, SUCCESS_TEXT } from './fixtures/guide.mjs';

const { METHOD_NOT_AVAILABLE: NOT_AVAILABLE, CONTACT_SOLARIS, ACCOUNT_SNAPSHOT_EXPIRED: EXPIRED } = GUIDE_TEXT;
const SUCCESS = SUCCESS_TEXT;

/**
 * Every mocked IBAN: `refusedAt` is where Solaris says no (`transfer`: 412 when the
 * identification is created; `bank`: the bank step fails; `signature`: the QES at Swisscom).
 */
const SCENARIOS = [
  { iban: 'DE11110101010100000020', lang: 'en', name: 'happy path', category: 'Success', message: SUCCESS },
  { iban: 'DE11110101010100000020', lang: 'de', name: 'happy path', category: 'Success', message: SUCCESS },
  {
    iban: 'DE43110101010000000010', lang: 'de', name: 'authorized person, not the owner', refusedAt: 'bank',
    category: 'RetryWithAnotherIban', nextHref: '/bank?change=1&another=1',
    message: GUIDE_TEXT.ACCESS_BY_AUTHORIZED_HOLDER,
  },
  {
    iban: 'DE22110101010100000016', lang: 'de', name: 'user data not found', refusedAt: 'transfer',
    category: 'MethodNotAvailable', message: NOT_AVAILABLE,
  },
  {
    iban: 'DE33110101010100000012', lang: 'en', name: 'previous ident not found', refusedAt: 'transfer',
    category: 'MethodNotAvailable', message: NOT_AVAILABLE,
  },
  {
    iban: 'DE44110101010100000008', lang: 'en', name: 'IBAN does not match the name', refusedAt: 'transfer',
    category: 'RetryWithAnotherIban', nextHref: '/bank?change=1&another=1',
    message: GUIDE_TEXT.PERSON_ACCOUNT_MATCH_NOT_FOUND,
  },
  {
    iban: 'DE55110101010100000004', lang: 'de', name: 'joint account', refusedAt: 'bank',
    category: 'RetryWithAnotherIban', nextHref: '/bank?change=1&another=1',
    message: GUIDE_TEXT.JOINT_ACCOUNT,
  },
  {
    iban: 'DE66110101010100000000', lang: 'en', name: 'bank login or transfer failed', refusedAt: 'bank',
    category: 'RetryWithAnotherIban', nextHref: '/bank?change=1&another=1',
    message: GUIDE_TEXT.ACCOUNT_SNAPSHOT_FAILED,
  },
  {
    iban: 'DE77110101010100000093', lang: 'en', name: 'external provider fails', refusedAt: 'signature',
    category: 'ContactSupport', message: CONTACT_SOLARIS,
  },
];

/** The answers the API mode refuses on purpose in these scenarios (the browser logs them). */
const EXPECTED_REFUSALS = ['/api/mobile_number/', '/api/bank_identification'];

let browser;
let backend;
before(async () => {
  browser = await launch();
  backend = await startBackend('api-mode', { BANKIDENT_MODE: 'api' });
});
after(async () => {
  await browser.close();
  await backend.stop();
});

/** The latest SMS code the emulator sent to the guide's static test number. */
async function latestSms(page) {
  const answer = await page.request.get(`${backend.url}/solaris/_sandbox/sms?number=%2B15550101`);
  const sms = await answer.json();
  return sms[sms.length - 1].code;
}

/** Moves the emulator's clock. */
async function advanceClock(page, seconds) {
  const response = await page.request.post(`${backend.url}/solaris/_sandbox/clock`, { data: { advance_seconds: seconds } });
  assert.ok(response.ok(), `advancing the emulator clock: HTTP ${response.status()}`);
}

/** From the check page: opens the identification; our SMS code page comes next. */
async function openToVerify(page) {
  await page.click('button.bk-button');
  await page.waitForURL(/\/verify/);
  await page.waitForSelector('#code');
}

/** Types a code and submits it. */
async function submitCode(page, code) {
  await page.fill('#code', code);
  await page.click('form button[type=submit]');
}

/** The mobile number's code page: the guide's static code for its static number. */
async function verifyMobile(page) {
  await submitCode(page, '212212');
  await page.waitForURL(/\/transfer/);
  await page.waitForSelector('#signature_terms');
}

/** The bank step page: accepts the signature terms and goes to the bank. */
async function goToBank(page) {
  await page.check('#signature_terms');
  await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
}

/** At the bank: logs in and confirms the transfer; back on our signature page. */
async function throughTheBank(page) {
  assert.match(page.url(), /\/solaris\/wizard\//, 'the customer is at the payment wizard');
  await bankLogin(page);
  await page.waitForURL(/\/(sign|callback)/);
}

/** On the signature page: asks for the code. */
async function sendSignatureCode(page) {
  await page.waitForSelector('#send-code');
  await page.click('#send-code');
  await page.waitForSelector('#code');
}

/** On the signature page: asks for the code, signs with it, and waits for the outcome. */
async function signToOutcome(page) {
  await sendSignatureCode(page);
  await submitCode(page, await latestSms(page));
  await page.waitForURL(/\/callback/, { timeout: 30000 });
  return finalOutcome(page);
}

/** Walks the API mode from the check page as far as the scenario goes, then to the outcome. */
async function walkApiMode(page, scenario) {
  await openToVerify(page);
  await verifyMobile(page);
  await goToBank(page);
  if (scenario.refusedAt === 'transfer') {
    await page.waitForURL(/\/callback/);
    return finalOutcome(page);
  }
  await throughTheBank(page);
  if (scenario.refusedAt === 'bank') {
    await page.waitForURL(/\/callback/);
    return finalOutcome(page);
  }
  return signToOutcome(page);
}

describe('API mode: every mocked IBAN of the guide, start to outcome', () => {
  for (const scenario of SCENARIOS) {
    const title = `${scenario.iban} (${scenario.name}) in ${scenario.lang.toUpperCase()}`;
    test(title, async () => {
      await withPage(browser, `api-${scenario.iban}-${scenario.lang}`, async (page) => {
        await answerEverything(page, { ...scenario, base: backend.url });
        // Nothing to type twice: the check page does not offer the IBAN for copying.
        assert.equal(await page.$('#iban-to-copy, .bk-iban-copy'), null);
        const outcome = await walkApiMode(page, scenario);
        assert.equal(outcome.category, scenario.category);
        assert.equal(outcome.message, scenario.message[scenario.lang]);
        if (scenario.nextHref) assert.equal(outcome.nextHref, scenario.nextHref);
        if (scenario.category === 'Success') {
          // The signed contract, for the customer to keep, from the backend to this browser.
          const link = await page.waitForSelector('a[data-document-type="SIGNED_QES_DOCUMENT"]');
          const download = await page.request.get(new URL(await link.getAttribute('href'), backend.url).href);
          assert.equal(download.status(), 200);
          assert.equal(download.headers()['content-type'], 'application/pdf');
          assert.ok((await download.body()).subarray(0, 5).toString() === '%PDF-');
          assert.equal(await page.evaluate(() => sessionStorage.getItem('bankident.journey')), null);
        }
      }, { allowedFailures: EXPECTED_REFUSALS });
    });
  }
});

test('API mode: wrong codes, a resend too soon, then a new code that replaces the old (DE77)', async () => {
  await withPage(browser, 'api-codes-de77', async (page) => {
    await answerEverything(page, { lang: 'en', iban: 'DE77110101010100000093', base: backend.url });
    await openToVerify(page);
    await expectNoAxeViolations(page, 'the mobile number code page');
    // A code of the wrong shape, then a wrong code: the error summary and the field say so.
    await submitCode(page, '12');
    await page.waitForSelector('.bk-error-summary');
    assert.match(await page.textContent('#code-error'), /Enter the 6-digit code from the SMS/);
    // The summary's link leads to the field.
    await page.click('.bk-error-summary a');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'code');
    await submitCode(page, '000000');
    await page.waitForFunction(() => /wrong or no longer valid/.test(document.querySelector('#code-error')?.textContent ?? ''));
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('bk-error-summary')), true);
    await expectNoAxeViolations(page, 'a wrong mobile number code');
    // A new code right after the first: the cool-down.
    await page.click('#resend');
    await page.waitForFunction(() => /new code in \d+ seconds/.test(document.querySelector('.bk-notice')?.textContent ?? ''));
    await verifyMobile(page);
    await expectNoAxeViolations(page, 'the bank step page');
    // The terms are required.
    await page.click('form button[type=submit]');
    await page.waitForSelector('#signature_terms-error');
    await goToBank(page);
    await throughTheBank(page);
    await sendSignatureCode(page);
    // The button that asked for the code is gone: the customer goes on at the code field.
    await page.waitForFunction(() => document.activeElement?.id === 'code');
    await expectNoAxeViolations(page, 'the signature code page');
    assert.match(await page.textContent('main'), /The code is valid for 10 more minutes/);
    const first = await latestSms(page);
    // Every new QES code invalidates the previous one (the guide, DE77…0093).
    await page.waitForTimeout(31000);
    await page.click('#resend');
    await page.waitForFunction(() => /We sent you a new code/.test(document.querySelector('.bk-notice')?.textContent ?? ''));
    const second = await latestSms(page);
    assert.notEqual(first, second);
    await submitCode(page, first);
    await page.waitForFunction(() => /wrong or no longer valid/.test(document.querySelector('#code-error')?.textContent ?? ''));
    await submitCode(page, second);
    await page.waitForURL(/\/callback/, { timeout: 30000 });
    const outcome = await finalOutcome(page);
    assert.equal(outcome.category, 'ContactSupport');
    assert.equal(outcome.message, CONTACT_SOLARIS.en);
  }, { allowedFailures: EXPECTED_REFUSALS });
});

test('API mode: an expired mobile number code, then a new one', async () => {
  await withPage(browser, 'api-expired-mobile-code', async (page) => {
    await answerEverything(page, { lang: 'de', iban: 'DE11110101010100000020', base: backend.url });
    await openToVerify(page);
    // The code the emulator sent (the guide's static code for its static number never expires).
    const sent = await latestSms(page);
    await advanceClock(page, 660);
    await submitCode(page, sent);
    await page.waitForFunction(() => /falsch oder nicht mehr gültig/.test(document.querySelector('#code-error')?.textContent ?? ''));
    await page.waitForTimeout(31000);
    await page.click('#resend');
    await page.waitForFunction(() => /neuen Code gesendet/.test(document.querySelector('.bk-notice')?.textContent ?? ''));
    await submitCode(page, await latestSms(page));
    await page.waitForURL(/\/transfer/);
  }, { allowedFailures: EXPECTED_REFUSALS });
});

test('API mode: a signature code entered after the 10 minutes: start again', async () => {
  await withPage(browser, 'api-expired-qes-code', async (page) => {
    await answerEverything(page, { lang: 'de', iban: 'DE11110101010100000020', base: backend.url });
    await openToVerify(page);
    await verifyMobile(page);
    await goToBank(page);
    await throughTheBank(page);
    await sendSignatureCode(page);
    const code = await latestSms(page);
    await advanceClock(page, 660);
    await submitCode(page, code);
    await page.waitForURL(/\/callback/);
    const outcome = await finalOutcome(page);
    assert.equal(outcome.category, 'StartAgain');
    assert.equal(outcome.message, EXPIRED.de);
    assert.equal(outcome.nextHref, '/opening');
  }, { allowedFailures: EXPECTED_REFUSALS });
});

test('API mode: more than 10 minutes at the bank: start again, and starting again succeeds', async () => {
  await withPage(browser, 'api-bank-step-limit', async (page) => {
    await answerEverything(page, { lang: 'en', iban: 'DE11110101010100000020', base: backend.url });
    await openToVerify(page);
    await verifyMobile(page);
    await goToBank(page);
    await advanceClock(page, 660);
    await throughTheBank(page);
    await page.waitForURL(/\/callback/);
    const expired = await finalOutcome(page);
    assert.equal(expired.category, 'StartAgain');
    assert.equal(expired.message, EXPIRED.en);
    // "Start again": the number is verified already; straight to the bank step.
    await page.click('main a.bk-button');
    await page.waitForURL(/\/transfer/);
    await goToBank(page);
    await throughTheBank(page);
    assert.equal((await signToOutcome(page)).category, 'Success');
  }, { allowedFailures: EXPECTED_REFUSALS });
});

test('API mode: after a refused IBAN, another bank account succeeds', async () => {
  await withPage(browser, 'api-another-iban', async (page) => {
    await answerEverything(page, { lang: 'en', iban: 'DE55110101010100000004', base: backend.url });
    const refused = await walkApiMode(page, { refusedAt: 'bank' });
    assert.equal(refused.category, 'RetryWithAnotherIban');
    await useAnotherIban(page, 'DE11110101010100000020');
    await page.click('button.bk-button');
    await page.waitForURL(/\/transfer/);
    assert.match(await page.textContent('#transfer-iban'), /DE11 1101 0101 0100 0000 20/);
    await goToBank(page);
    await throughTheBank(page);
    assert.equal((await signToOutcome(page)).category, 'Success');
  }, { allowedFailures: EXPECTED_REFUSALS });
});

test('API mode at 320 px: Back from the bank returns to the bank step, which goes to the same bank session', async () => {
  await withPage(browser, 'api-back-from-bank', async (page) => {
    await answerEverything(page, { lang: 'de', iban: 'DE11110101010100000020', base: backend.url });
    await openToVerify(page);
    await verifyMobile(page);
    await goToBank(page);
    const wizard = page.url();
    await page.goBack();
    await page.waitForSelector('#signature_terms');
    await goToBank(page);
    assert.equal(page.url(), wizard, 'the same payment wizard');
    await throughTheBank(page);
    await sendSignatureCode(page);
    await expectNoAxeViolations(page, 'the signature code page in German');
    await submitCode(page, await latestSms(page));
    await page.waitForURL(/\/callback/, { timeout: 30000 });
    assert.equal((await finalOutcome(page)).category, 'Success');
  }, { viewport: { width: 320, height: 640 }, allowedFailures: EXPECTED_REFUSALS });
});

test('API mode without the wizard sending the customer back: the signature page picks up', async () => {
  const quiet = await startBackend('api-mode-no-return', {
    BANKIDENT_MODE: 'api', BANKIDENT_SANDBOX_WIZARD_RETURN: 'false',
  });
  try {
    await withPage(browser, 'api-no-wizard-return', async (page) => {
      await answerEverything(page, { lang: 'en', iban: 'DE11110101010100000020', base: quiet.url });
      await page.click('button.bk-button');
      await page.waitForURL(/\/verify/);
      await submitCode(page, '212212');
      await page.waitForURL(/\/transfer/);
      await goToBank(page);
      await bankLogin(page);
      // The wizard only says it is done; the customer comes back to us by themselves.
      assert.match(page.url(), /\/solaris\/wizard\//);
      assert.match(await page.textContent('body'), /You can return to the app/);
      await page.goto(`${quiet.url}/sign`);
      await page.waitForSelector('#send-code');
      await page.click('#send-code');
      await page.waitForSelector('#code');
      const sms = await (await page.request.get(`${quiet.url}/solaris/_sandbox/sms?number=%2B15550101`)).json();
      await submitCode(page, sms[sms.length - 1].code);
      await page.waitForURL(/\/callback/, { timeout: 30000 });
      assert.equal((await finalOutcome(page)).category, 'Success');
    }, { allowedFailures: EXPECTED_REFUSALS });
  } finally {
    await quiet.stop();
  }
});
