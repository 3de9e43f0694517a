// The development loop (README, "Working on the app"): `trunk serve` builds the app unsplit in
// debug, serves it with its reload script, and proxies the API, the start links and the
// embedded Solaris emulator to a running backend whose public URL is Trunk's. A customer's whole
// journey runs through Trunk's address. Run by `cargo xtask test` (xtask/src/dev_loop.rs), not
// with the release suite (this file's name does not end in .test.mjs).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  BASE, answerEverything, launch, openIdentification, returnToOutcome, walkWebview, withPage,
} from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('trunk serve: the debug build, reloading, and a journey through its proxies to success', async () => {
  const shell = await (await fetch(`${BASE}/`)).text();
  // Trunk's reload script, and the hook's unsplit debug build (no split loader).
  assert.match(shell, /__TRUNK_ADDRESS__|new WebSocket/);
  assert.match(shell, /bankident-app_bg\.wasm/);
  assert.doesNotMatch(shell, /__wasm_split\.js/);
  await withPage(browser, 'trunk-serve', async (page) => {
    await answerEverything(page, { lang: 'en', iban: 'DE11110101010100000020' });
    assert.equal(await openIdentification(page), 'webview');
    assert.ok(page.url().startsWith(`${BASE}/solaris/`), `the webview is proxied: ${page.url()}`);
    await walkWebview(page, { lang: 'en', iban: 'DE11110101010100000020' });
    const outcome = await returnToOutcome(page);
    assert.equal(outcome.category, 'Success');
    assert.ok(page.url().startsWith(`${BASE}/callback`));
  });
});
