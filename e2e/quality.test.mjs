// The quality gates in a real browser: zero axe-core violations on every screen in both
// languages at both sizes, validation on every question page, no CSP violation anywhere
// (checked by `withPage` on every test), answers that survive reloads, the native bridge, and
// a clear message with a working retry when Solaris fails while opening the identification.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import {
  BASE, DESKTOP, PHONE, answerEverything, expectNoAxeViolations, heading, injectFault, launch,
  openIdentification, walkWebview, returnToOutcome, withPage,
} from './support.mjs';

/** The question pages, with the fields each must flag when submitted empty. */
const QUESTION_PAGES = [
  { path: '/name', fields: ['salutation', 'first_name', 'last_name'] },
  { path: '/birth', fields: ['birth_date', 'birth_city', 'birth_country', 'nationality'] },
  { path: '/address', fields: ['address_line_1', 'postal_code', 'city', 'address_state'] },
  { path: '/contact', fields: ['email', 'mobile_number'] },
  { path: '/employment', fields: ['employment_status'] },
  { path: '/bank', fields: ['iban'] },
  { path: '/consents', fields: ['fatca_relevant', 'data_terms', 'terms_conditions', 'own_economic_interest', 'fatca_crs'] },
];

const ERROR_TITLE = { de: 'Es gibt ein Problem', en: 'There is a problem' };
const TITLE_PREFIX = { de: 'Fehler: ', en: 'Error: ' };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser.close(); });

for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  for (const lang of ['de', 'en']) {
    describe(`${lang.toUpperCase()} at ${size} size`, () => {
      test('start and not-found pages: no axe violations', async () => {
        await withPage(browser, `axe-start-${lang}-${size}`, async (page) => {
          await page.goto(`${BASE}/?lang=${lang}`);
          await heading(page);
          assert.equal(await page.getAttribute('html', 'lang'), lang);
          await expectNoAxeViolations(page, 'the start page');
          await page.goto(`${BASE}/nowhere?lang=${lang}`);
          await heading(page);
          await expectNoAxeViolations(page, 'the not-found page');
        }, { viewport });
      });

      test('every question page submitted empty: summary, inline errors, no axe violations', async () => {
        await withPage(browser, `validation-${lang}-${size}`, async (page) => {
          for (const { path, fields } of QUESTION_PAGES) {
            await page.goto(`${BASE}${path}?lang=${lang}`);
            await page.waitForSelector('form button[type=submit]');
            await expectNoAxeViolations(page, `${path} before submitting`);
            await page.click('form button[type=submit]');
            await page.waitForSelector('.bk-error-summary');
            assert.equal(
              await page.evaluate(() => document.activeElement?.classList.contains('bk-error-summary')),
              true,
              `${path}: the error summary takes focus`,
            );
            assert.match(await page.textContent('.bk-error-summary'), new RegExp(ERROR_TITLE[lang]));
            assert.ok((await page.title()).startsWith(TITLE_PREFIX[lang]), `${path}: title prefix`);
            for (const field of fields) {
              assert.ok(await page.$(`.bk-error-summary a[href="#${field}"]`), `${path}: summary links to ${field}`);
              assert.ok(await page.$(`#${field}-error`), `${path}: inline error of ${field}`);
            }
            await expectNoAxeViolations(page, `${path} with errors`);
          }
        }, { viewport });
      });
    });
  }
}

/** Wrong values per question page, and the message each field must show. */
const WRONG_VALUES = [
  {
    path: '/name',
    fill: async (page) => {
      await page.check('#salutation');
      await page.fill('#first_name', 'R2D2');
      await page.fill('#last_name', 'Zierfisch');
    },
    expect: [['first_name', 'invalid_characters']],
  },
  {
    path: '/birth',
    fill: async (page) => {
      await page.fill('#birth_date', '31');
      await page.fill('#birth_date-month', '2');
      await page.fill('#birth_date-year', '1980');
      await page.fill('#birth_city', 'Aachen 😀');
      await page.selectOption('#birth_country', 'DE');
      await page.selectOption('#nationality', 'DE');
    },
    expect: [['birth_date', 'not_a_real_date'], ['birth_city', 'invalid_characters']],
  },
  {
    path: '/address',
    fill: async (page) => {
      await page.fill('#address_line_1', 'Berliner Str. 45');
      await page.fill('#postal_code', '1416');
      await page.fill('#city', '10');
      await page.selectOption('#address_state', 'BE');
    },
    expect: [['postal_code', 'invalid_format'], ['city', 'invalid_characters']],
  },
  {
    path: '/contact',
    fill: async (page) => {
      await page.fill('#email', 'person@');
      await page.fill('#mobile_number', '+98 912 345 6789');
    },
    expect: [['email', 'invalid_format'], ['mobile_number', 'country_not_supported']],
  },
  {
    path: '/bank',
    fill: async (page) => { await page.fill('#iban', 'DE00 1101 0101 0100 0000 20'); },
    expect: [['iban', 'check_digits']],
  },
  {
    path: '/bank',
    fill: async (page) => { await page.fill('#iban', 'FR76 3000 6000 0112 3456 7890 189'); },
    expect: [['iban', 'not_german']],
  },
];

for (const lang of ['de', 'en']) {
  test(`wrong values get the specific message of the catalog (${lang.toUpperCase()})`, async () => {
    const catalog = JSON.parse(readFileSync(new URL(`../locales/${lang}.json`, import.meta.url), 'utf8'));
    await withPage(browser, `wrong-values-${lang}`, async (page) => {
      for (const { path, fill, expect } of WRONG_VALUES) {
        await page.goto(`${BASE}${path}?lang=${lang}`);
        await page.waitForSelector('form button[type=submit]');
        await fill(page);
        await page.click('form button[type=submit]');
        await page.waitForSelector('.bk-error-summary');
        for (const [field, problem] of expect) {
          const message = catalog.errors[field][problem];
          assert.ok(message, `catalog has errors.${field}.${problem}`);
          assert.ok(
            (await page.textContent(`#${field}-error`)).trim().endsWith(message),
            `${path}: ${field} says "${message}"`,
          );
          assert.equal((await page.textContent(`.bk-error-summary a[href="#${field}"]`)).trim(), message);
          assert.equal(await page.getAttribute(`#${field}`, 'aria-invalid'), 'true');
        }
        assert.equal(await page.$$eval('.bk-error-summary li', (items) => items.length), expect.length, `${path}: only the wrong fields`);
      }
    });
  });
}

for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  for (const lang of ['de', 'en']) {
    test(`check answers, a failed opening and the outcome page: no axe violations (${lang.toUpperCase()}, ${size})`, async () => {
      await withPage(browser, `axe-check-outcome-${lang}-${size}`, async (page) => {
        await answerEverything(page, { lang, iban: 'DE55110101010100000004' });
        await expectNoAxeViolations(page, 'the check page');
        // The opening page stays on screen only when opening fails.
        await injectFault(page, { path_prefix: '/v1/persons', method: 'POST', status: 503, count: 1 });
        await page.click('button.bk-button');
        await page.waitForSelector('main [role=status] button');
        await expectNoAxeViolations(page, 'the opening page with its error');
        await page.click('main [role=status] button');
        await page.waitForURL(/\/solaris\/webview\//, { timeout: 20000 });
        await walkWebview(page, { lang, iban: 'DE55110101010100000004' });
        await returnToOutcome(page);
        await expectNoAxeViolations(page, 'the outcome page');
      }, { viewport, allowedFailures: ['/api/identification'] });
    });
  }
}

test('a reload in the middle of the form and the return from the bank lose nothing', async () => {
  await withPage(browser, 'reload-keeps-answers', async (page) => {
    await page.goto(`${BASE}/name?lang=en`);
    await page.check('#salutation');
    await page.fill('#first_name', 'Ada');
    await page.fill('#last_name', 'Zierfisch');
    await page.reload();
    await page.waitForSelector('#first_name');
    assert.equal(await page.inputValue('#first_name'), 'Ada');
    assert.equal(await page.isChecked('#salutation'), true);
    await answerEverything(page, { lang: 'en', iban: 'DE55110101010100000004' });
    await openIdentification(page);
    await walkWebview(page, { lang: 'en', iban: 'DE55110101010100000004' });
    await returnToOutcome(page);
    await page.reload();
    await page.waitForSelector('.bk-outcome__message');
    await page.goto(`${BASE}/check?lang=en`);
    await page.waitForSelector('.bk-summary-list');
    assert.match(await page.textContent('.bk-summary-list'), /Zierfisch/);
  });
});

test('a native app hears versioned events without personal data', async () => {
  await withPage(browser, 'native-bridge', async (page) => {
    await answerEverything(page, { lang: 'en', iban: 'DE11110101010100000020' });
    await openIdentification(page);
    await walkWebview(page, { lang: 'en', iban: 'DE11110101010100000020' });
    await returnToOutcome(page);
    const events = (await page.evaluate(() => window.__bridgeEvents)).map((json) => JSON.parse(json));
    const names = events.map((event) => event.event);
    assert.ok(names.includes('started'), `started in ${names}`);
    assert.ok(names.includes('step'), `step in ${names}`);
    assert.ok(names.includes('completed'), `completed in ${names}`);
    for (const event of events) assert.equal(event.version, 1);
    const all = JSON.stringify(events);
    for (const personal of ['Zierfisch', 'person@example.com', '5550101', 'DE11']) {
      assert.ok(!all.includes(personal), `no ${personal} in bridge events`);
    }
  }, {
    // An Android-style bridge object, as a partner's app injects it. The events before the
    // webview and after the return are recorded in this tab's storage.
    init: () => {
      const key = 'e2e.bridge';
      window.__bridgeEvents = JSON.parse(sessionStorage.getItem(key) ?? '[]');
      window.BankidentBridge = {
        postMessage(message) {
          window.__bridgeEvents.push(message);
          sessionStorage.setItem(key, JSON.stringify(window.__bridgeEvents));
        },
      };
    },
  });
});

test('Solaris failing while the identification opens: a clear message and a working retry', async () => {
  await withPage(browser, 'opening-fault', async (page) => {
    await answerEverything(page, { lang: 'en', iban: 'DE11110101010100000020' });
    await injectFault(page, { path_prefix: '/v1/persons', method: 'POST', status: 503, count: 1 });
    await page.click('button.bk-button');
    await page.waitForSelector('main [role=status] button');
    assert.match(await page.textContent('main [role=status]'), /try again/i);
    assert.equal((await page.textContent('h1')).trim(), 'Your identification could not be opened');
    await page.click('main [role=status] button');
    await page.waitForURL(/\/solaris\/webview\//, { timeout: 20000 });
  }, { allowedFailures: ['/api/identification'] });
});

/** Presses Tab until `selector` has focus (fails after `max` presses). */
async function tabTo(page, selector, max = 40) {
  for (let i = 0; i < max; i += 1) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`${selector} never got focus by Tab`);
}

/** Tabs to a field and types into it. */
async function typeInto(page, selector, text) {
  await tabTo(page, selector);
  await page.keyboard.type(text);
}

test('the happy path by keyboard alone, in German', async () => {
  await withPage(browser, 'keyboard-only', async (page) => {
    await page.goto(`${BASE}/?lang=de`);
    await heading(page);
    await tabTo(page, 'a.bk-button--start');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#first_name');
    await tabTo(page, '#salutation');
    await page.keyboard.press('Space');
    await typeInto(page, '#first_name', `Leander ${Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 6)}`);
    await typeInto(page, '#last_name', 'Zierfisch');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#birth_date');
    await typeInto(page, '#birth_date', '15');
    await typeInto(page, '#birth_date-month', '7');
    await typeInto(page, '#birth_date-year', '1978');
    await typeInto(page, '#birth_city', 'Aachen');
    await typeInto(page, '#birth_country', 'Deutschland');
    await typeInto(page, '#nationality', 'Deutschland');
    assert.equal(await page.inputValue('#birth_country'), 'DE');
    assert.equal(await page.inputValue('#nationality'), 'DE');
    await tabTo(page, 'form button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#address_line_1');
    await typeInto(page, '#address_line_1', 'Berliner Str. 45');
    await typeInto(page, '#postal_code', '14169');
    await typeInto(page, '#city', 'Berlin');
    await typeInto(page, '#address_state', 'Berlin');
    assert.equal(await page.inputValue('#address_state'), 'BE');
    await tabTo(page, 'form button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#email');
    await typeInto(page, '#email', 'person@example.com');
    await typeInto(page, '#mobile_number', '+1 555 0101');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#employment_status');
    await tabTo(page, '#employment_status');
    await page.keyboard.press('Space');
    await tabTo(page, 'form button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#iban');
    await typeInto(page, '#iban', 'DE11110101010100000020');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#data_terms');
    // "No" is the second radio: arrow keys move within the group and select.
    await tabTo(page, '#fatca_relevant');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.isChecked('#fatca_relevant-1'), true);
    for (const id of ['#data_terms', '#terms_conditions', '#own_economic_interest', '#fatca_crs']) {
      await tabTo(page, id);
      await page.keyboard.press('Space');
    }
    await tabTo(page, 'form button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.bk-summary-list');
    await tabTo(page, 'button.bk-button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/solaris\/webview\//, { timeout: 20000 });
    await walkWebview(page, { lang: 'de', iban: 'DE11110101010100000020' });
    assert.equal((await returnToOutcome(page)).category, 'Success');
  });
});

test('the consent screen\'s documents open and Back keeps the answers, in both languages at 320 px (the demo: the emulator\'s samples)', async () => {
  const titles = {
    de: ['Datenschutzbedingungen der Solaris SE (Muster)', 'Allgemeine Geschäftsbedingungen (Muster)', 'Datenschutzhinweise (Muster)'],
    en: ['Solaris SE data processing terms (sample)', 'Terms and conditions (sample)', 'Privacy notice (sample)'],
  };
  for (const lang of ['de', 'en']) {
    await withPage(browser, `consent-documents-${lang}`, async (page) => {
      const who = await answerEverything(page, { lang, iban: 'DE11110101010100000020' });
      await page.goto(`${BASE}/consents?lang=${lang}`);
      await page.waitForSelector('#data_terms');
      const links = await page.$$('main a.bk-link');
      assert.equal(links.length, 3, 'terms, privacy notice and Solaris\' data terms are linked');
      for (const [index, title] of titles[lang].entries()) {
        await page.click(`main a.bk-link >> nth=${index}`);
        await page.waitForURL(/\/solaris\/_sandbox\/documents\//);
        assert.equal(await heading(page), title);
        await expectNoAxeViolations(page, `sample document ${index + 1} (${lang})`);
        await page.goBack();
        await page.waitForSelector('#data_terms');
      }
      assert.equal(await page.isChecked('#data_terms'), true, 'the ticks are kept');
      await page.goto(`${BASE}/name?lang=${lang}`);
      await page.waitForSelector('#first_name');
      assert.equal(await page.inputValue('#first_name'), who.firstName, 'the answers are kept');
    }, { viewport: { width: 320, height: 640 } });
  }
});
