// Shared helpers of the end-to-end suite: the browser, a page that records every problem
// (console errors, uncaught errors, CSP violations, failed requests), the customer's steps
// through our screens and the emulator's webview, axe-core, and evidence on failure
// (screenshot and console log under target/e2e/).
//
// The backend (with the embedded Solaris emulator) is started by `cargo xtask test`, which
// passes its address in BANKIDENT_E2E_URL.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const evidenceDir = join(root, 'target', 'e2e');

/** The backend under test. */
export const BASE = process.env.BANKIDENT_E2E_URL ?? 'http://127.0.0.1:3000';

/** Viewports: a phone (the webview case) and a desktop browser. */
export const PHONE = { width: 360, height: 640 };
export const DESKTOP = { width: 1280, height: 800 };

/** Starts headless Chromium as the machine allows it (Debian's, as root, no network). */
export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
      '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', ...extraArgs,
    ],
  });
}

/**
 * Runs `body` with a fresh page (own cookies and storage) and checks afterwards that nothing
 * went wrong in the browser: no console error, no uncaught error, no CSP violation, no failed
 * request other than those the scenario expects (`allowedFailures`: URL substrings;
 * `allowedConsoleErrors`: regular expressions). On any
 * failure the screenshot and the page's console go to target/e2e/<name>.png/.log.
 */
export async function withPage(browser, name, body, { viewport = PHONE, allowedFailures = [], allowedConsoleErrors = [], init } = {}) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const log = [];
  const problems = [];
  page.on('console', (message) => {
    log.push(`[${message.type()}] ${message.text()}`);
    const expected = allowedConsoleErrors.some((pattern) => pattern.test(message.text()));
    if (message.type() === 'error' && !expected && !/Failed to load resource/.test(message.text())) {
      problems.push(`console error: ${message.text()}`);
    }
    if (/Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
    // The page modules the backend tells the browser to preload must be the ones the page uses.
    if (/preloaded using link preload but not used/i.test(message.text())) {
      problems.push(`unused preload: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => {
    log.push(`[pageerror] ${error.message}`);
    problems.push(`uncaught: ${error.message}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !allowedFailures.some((part) => response.url().includes(part))) {
      problems.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
    }
  });
  // The browser reports CSP violations as events too; keep them where the test can read them.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  if (init) await page.addInitScript(init);
  try {
    await body(page);
    const violations = await page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
    problems.push(...violations.map((v) => `CSP violation: ${v}`));
    assert.deepEqual(problems, [], 'the browser reported problems');
  } catch (error) {
    mkdirSync(evidenceDir, { recursive: true });
    const file = join(evidenceDir, name.replace(/[^a-zA-Z0-9_-]+/g, '_'));
    await page.screenshot({ path: `${file}.png`, fullPage: true }).catch(() => {});
    writeFileSync(`${file}.log`, [`URL: ${page.url()}`, ...problems.map((p) => `PROBLEM ${p}`), ...log].join('\n'));
    error.message += `\n(evidence: ${file}.png and .log)`;
    throw error;
  } finally {
    await context.close();
  }
}

/** Runs axe-core on the page (WCAG 2.x A and AA rules) and fails on any violation. */
export async function expectNoAxeViolations(page, where) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `axe violations on ${where}`);
}

/** A unique person as the guide's sandbox example, so runs never collide. */
export function person() {
  const suffix = Math.random().toString(36).replace(/[^a-z]/g, '').slice(0, 8);
  return { firstName: `Leander ${suffix}`, lastName: 'Zierfisch' };
}

/** Waits until the page shows a heading (lazily loaded pages arrive a moment later). */
export async function heading(page) {
  await page.waitForSelector('h1');
  return (await page.textContent('h1')).trim();
}

/** Goes from the start page through every question to the check page. */
export async function answerEverything(page, { lang, iban, who = person(), base = BASE }) {
  await page.goto(`${base}/?lang=${lang}`);
  await page.click('a.bk-button--start');
  await page.waitForSelector('#first_name');
  await page.check('#salutation');
  await page.fill('#first_name', who.firstName);
  await page.fill('#last_name', who.lastName);
  await page.click('button[type=submit]');
  await page.waitForSelector('#birth_date');
  await page.fill('#birth_date', '15');
  await page.fill('#birth_date-month', '7');
  await page.fill('#birth_date-year', '1978');
  await page.fill('#birth_city', 'Aachen');
  await page.selectOption('#birth_country', 'DE');
  await page.selectOption('#nationality', 'DE');
  await page.click('button[type=submit]');
  await page.waitForSelector('#address_line_1');
  await page.fill('#address_line_1', 'Berliner Str. 45');
  await page.fill('#postal_code', '14169');
  await page.fill('#city', 'Berlin');
  await page.selectOption('#address_state', 'BE');
  await page.click('button[type=submit]');
  await page.waitForSelector('#email');
  await page.fill('#email', 'person@example.com');
  await page.fill('#mobile_number', '+1 555 0101');
  await page.click('button[type=submit]');
  await page.waitForSelector('#employment_status');
  await page.check('#employment_status');
  await page.click('button[type=submit]');
  await enterIban(page, iban);
  await page.waitForSelector('#data_terms');
  await page.check('#fatca_relevant-1');
  for (const id of ['#data_terms', '#terms_conditions', '#own_economic_interest', '#fatca_crs']) {
    await page.check(id);
  }
  await page.click('button[type=submit]');
  await page.waitForSelector('.bk-summary-list');
  return who;
}

/** Types an IBAN on the bank page and continues. */
export async function enterIban(page, iban) {
  await page.waitForSelector('#iban');
  await page.fill('#iban', '');
  await page.type('#iban', iban.toLowerCase());
  await page.click('button[type=submit]');
}

/**
 * On an outcome page that refused the IBAN: "Use another bank account", which offers an empty
 * IBAN field (the refused one is not offered again), then `iban`; resolves on the check page.
 */
export async function useAnotherIban(page, iban) {
  await page.click('main a.bk-button');
  await page.waitForSelector('#iban');
  assert.equal(await page.inputValue('#iban'), '', 'the refused IBAN is not offered again');
  await enterIban(page, iban);
  await page.waitForSelector('.bk-summary-list');
}

/**
 * From the check page: opens the identification. Resolves with `webview` when the customer
 * was sent to Solaris, or `outcome` when the app shows an outcome straight away.
 */
export async function openIdentification(page) {
  await page.click('button.bk-button');
  return Promise.race([
    page.waitForURL(/\/solaris\/webview\//, { timeout: 20000 }).then(() => 'webview'),
    page.waitForSelector('.bk-outcome__message', { timeout: 20000 }).then(() => 'outcome'),
  ]);
}

/** Walks the emulator's webview as the customer does, up to the way back to our callback. */
export async function walkWebview(page, { lang, iban }) {
  await startWebview(page, lang);
  await submitWebviewIban(page, iban);
  if (await settledQuery(page, '#user_id')) await bankLogin(page);
  if (await settledQuery(page, 'form[action*="/sign"] button')) await sign(page);
}

/**
 * `page.$` once a navigation under way has settled (in an iframe, the load state can be
 * reached before the redirects of a form post are over).
 */
async function settledQuery(page, selector) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await page.$(selector);
    } catch (error) {
      if (attempt > 20 || !/context was destroyed/.test(error.message)) throw error;
      await page.waitForLoadState();
    }
  }
}

/** In the webview: the introduction, then the mobile number (unless verified before). */
export async function startWebview(page, lang) {
  await page.goto(`${page.url().split('?')[0]}?lang=${lang}`);
  await page.click('button[type=submit]');
  // A mobile number verified in an earlier session is not asked for again.
  await page.waitForSelector('#code, #iban');
  if (await page.$('#code')) {
    await page.fill('#code', '212212');
    await page.click('form button[type=submit]');
    await page.click('a.button');
    await page.waitForSelector('#iban');
  }
}

/** In the webview: enters the IBAN and continues. */
export async function submitWebviewIban(page, iban) {
  await page.fill('#iban', iban);
  // The post always loads a new document (the wizard, or the page with its error); waiting for
  // it holds in an iframe too, where the load state can be reached before it commits.
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

/** In the payment wizard: logs in to the bank and confirms the transfer with a TAN. */
export async function bankLogin(page) {
  await page.fill('#user_id', 'anyone');
  await page.fill('#password', '1234');
  await page.click('button[type=submit]');
  await page.fill('#tan', '123456');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

/** In the webview: signs the contract with the code sent by SMS. */
export async function sign(page) {
  await Promise.all([page.waitForNavigation(), page.click('form[action*="/sign"] button')]);
  // The emulator that sent the code is the one serving this page (a page or an iframe).
  const request = page.request ?? page.page().request;
  const sms = await (await request.get(`${new URL(page.url()).origin}/solaris/_sandbox/sms?number=%2B15550101`)).json();
  await page.fill('#code', sms[sms.length - 1].code);
  await Promise.all([page.waitForNavigation(), page.click('form[action*="/qes"] button')]);
}

/** Leaves the webview for our callback page and waits for a final outcome. */
export async function returnToOutcome(page) {
  await page.click('a[href*="/finish"]');
  await page.waitForURL(/\/callback/);
  return finalOutcome(page);
}

/** The outcome page's final message and next step, once polling has ended. */
export async function finalOutcome(page) {
  await page.waitForSelector('.bk-outcome__message', { timeout: 30000 });
  const message = (await page.textContent('.bk-outcome__message')).trim();
  const category = await page.getAttribute('.bk-outcome__message', 'data-category');
  const next = await page.$('main a.bk-button');
  return {
    heading: await heading(page),
    message,
    category,
    nextHref: next ? await next.getAttribute('href') : null,
    nextText: next ? (await next.textContent()).trim() : null,
  };
}

/** Moves the emulator's clock (the 10-minute bank connection, sessions). */
export async function advanceClock(page, seconds) {
  const response = await page.request.post(`${BASE}/solaris/_sandbox/clock`, { data: { advance_seconds: seconds } });
  assert.ok(response.ok(), `advancing the emulator clock: HTTP ${response.status()}`);
}

/** Makes the emulator fail the next matching calls. */
export async function injectFault(page, fault) {
  const response = await page.request.post(`${BASE}/solaris/_sandbox/faults`, { data: fault });
  assert.ok(response.ok(), `injecting a fault: HTTP ${response.status()}`);
}

/** A free loopback port. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A backend of the test's own (the release binary `cargo xtask test` built, with the embedded
 * emulator, the release app and an empty database), configured by `env`. `restart()` stops it
 * (SIGKILL, like a crash) and starts it again on the same database and port.
 */
export async function startBackend(name, env = {}) {
  const port = await freePort();
  const managementPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `bankident-e2e-${name}-`));
  const binary = process.env.BANKIDENT_BACKEND_BIN ?? join(root, 'target', 'release', 'bankident-backend');
  const url = `http://127.0.0.1:${port}`;
  let child;
  const start = async () => {
    const log = openSync(join(dir, 'backend.log'), 'a');
    child = spawn(binary, [], {
      cwd: root,
      stdio: ['ignore', 'ignore', log],
      env: {
        ...process.env,
        BANKIDENT_LISTEN: `127.0.0.1:${port}`,
        BANKIDENT_MANAGEMENT_LISTEN: `127.0.0.1:${managementPort}`,
        BANKIDENT_DATABASE_URL: `sqlite://${join(dir, 'db.sqlite')}`,
        BANKIDENT_DIST_DIR: join(root, 'dist'),
        ...env,
      },
    });
    const deadline = Date.now() + 30000;
    for (;;) {
      try {
        if ((await fetch(`${url}/health`)).ok) return;
      } catch { /* not listening yet */ }
      if (child.exitCode !== null) throw new Error(`backend ${name} exited: see ${dir}/backend.log`);
      if (Date.now() > deadline) throw new Error(`backend ${name} did not start: see ${dir}/backend.log`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    /** The management port: metrics, readiness, version. */
    managementUrl: `http://127.0.0.1:${managementPort}`,
    dir,
    /** Stops it as a crash would and starts it again, with `changes` to its settings. */
    async restart(changes = {}) { await stop(); Object.assign(env, changes); await start(); },
    async stop() { await stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}
