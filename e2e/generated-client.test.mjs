// A client generated from the checked-in OpenAPI document carries one onboarding through the
// backend: openapi-typescript makes its types from docs/openapi/partner.json, TypeScript checks
// the partner's client code (tools/openapi/client/) against them, and the compiled client then
// creates the onboarding (idempotently), waits for its outcome while the customer goes through
// the journey in a browser, lists the events, downloads the signed report, and erases it.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  answerEverything, launch, openIdentification, returnToOutcome, startBackend, walkWebview, withPage,
} from './support.mjs';

const KEY = 'e2e_client_key_0123456789abcdef0123456789';
const SUCCESS = 'DE11110101010100000020';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tools = join(root, 'tools', 'openapi');

/** Generates the client's types from the document and compiles the client against them. */
function buildClient() {
  const bin = (name) => join(tools, 'node_modules', '.bin', name);
  // From its own folder: at the root it would read redocly.yaml (the linter's) as its own config.
  execFileSync(bin('openapi-typescript'), [join(root, 'docs', 'openapi', 'partner.json'), '-o', join(tools, 'build', 'partner-api.d.ts')], { cwd: tools, stdio: 'inherit' });
  execFileSync(bin('tsc'), ['-p', join(tools, 'tsconfig.json')], { stdio: 'inherit' });
  return import(join(tools, 'build', 'js', 'client', 'partner-client.js'));
}

let browser;
let backend;
let partnerClient;
before(async () => {
  ({ partnerClient } = await buildClient());
  browser = await launch();
  backend = await startBackend('generated-client', {
    BANKIDENT_DEMO_MODE: 'false',
    BANKIDENT_PARTNER_API_KEYS: KEY,
    BANKIDENT_TERMS_URL: 'https://nova.example/terms',
    BANKIDENT_PRIVACY_URL: 'https://nova.example/privacy',
    BANKIDENT_SOLARIS_DATA_TERMS_URL: 'https://www.solarisgroup.com/en/legal/data-terms',
  });
});
after(async () => {
  await browser?.close();
  await backend?.stop();
});

test('a client generated from the OpenAPI document carries one onboarding from creation to erasure', async () => {
  const client = partnerClient(backend.url, KEY);
  const idempotencyKey = randomUUID();
  const created = await client.create('client-customer-1', 'en', idempotencyKey);
  assert.deepEqual([created.status, created.replayed, created.state], [201, false, 'not_started']);
  const again = await client.create('client-customer-1', 'en', idempotencyKey);
  assert.deepEqual(again, { ...created, replayed: true }, 'a retried create gets the first answer');

  await withPage(browser, 'generated-client', async (page) => {
    await page.goto(created.startLink);
    await page.click('a.bk-button--start');
    await answerEverything(page, { base: backend.url, lang: 'en', iban: SUCCESS });
    await page.goto(`${backend.url}/check?lang=en`);
    await page.waitForSelector('.bk-summary-list');
    assert.equal(await openIdentification(page), 'webview');
    await walkWebview(page, { lang: 'en', iban: SUCCESS });
    assert.equal((await returnToOutcome(page)).category, 'Success');
  });

  const onboarding = await client.final(created.onboardingId);
  assert.equal(onboarding.state, 'final');
  assert.equal(onboarding.category, 'success');
  assert.deepEqual(onboarding.history.map((entry) => entry.to), ['pending', 'final']);
  const ended = await client.events('onboarding.ended');
  assert.ok(ended.some((event) => event.data.onboarding_id === created.onboardingId && event.data.category === 'success'));
  const report = await client.signedReport(onboarding);
  assert.equal(Buffer.from(report.subarray(0, 4)).toString(), '%PDF');

  const erased = await client.erase(created.onboardingId);
  assert.deepEqual([erased.state, erased.erasedBy], ['final', 'partner']);
  const gone = await client.problemOf(created.onboardingId);
  assert.deepEqual([gone.status, gone.code, gone.erased_by], [410, 'erased', 'partner']);
  const unknown = await client.problemOf('no-such-onboarding');
  assert.deepEqual([unknown.status, unknown.code, unknown.type], [404, 'not_found', '/problems/not_found']);
});
