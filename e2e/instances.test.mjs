// Two backend instances on one database behind a load balancer that alternates every request
// between them: a customer's whole journey, start page to outcome, and Solaris' webhooks, go
// through both. The database is PostgreSQL when the test command gives one
// (BANKIDENT_E2E_POSTGRES_URL), otherwise one SQLite file shared by both processes.

import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import {
  answerEverything, freePort, launch, openIdentification, returnToOutcome, startBackend,
  walkWebview, withPage,
} from './support.mjs';

const SUCCESS = 'DE11110101010100000020';

/**
 * A load balancer: each request goes to the next instance in turn, except the embedded Solaris
 * emulator's pages (`/solaris/`), which only the first instance serves. Counts what each
 * instance got of the app's API.
 */
async function startBalancer() {
  const port = await freePort();
  const balancer = { url: `http://127.0.0.1:${port}`, targets: [], apiRequests: [0, 0], next: 0 };
  balancer.server = http.createServer((request, response) => {
    if (balancer.targets.length === 0) {
      // Nothing behind it yet (the first instance is starting and checks its webhook URL).
      response.writeHead(503);
      response.end();
      return;
    }
    const toEmulator = request.url.startsWith('/solaris/');
    const index = toEmulator ? 0 : balancer.next++ % balancer.targets.length;
    if (request.url.startsWith('/api/')) balancer.apiRequests[index] += 1;
    const target = new URL(balancer.targets[index]);
    const upstream = http.request({
      host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers,
    }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => { response.writeHead(502); response.end(); });
    request.pipe(upstream);
  });
  await new Promise((resolve) => balancer.server.listen(port, '127.0.0.1', resolve));
  return balancer;
}

let browser;
let balancer;
let first;
let second;
let shared;

before(async () => {
  browser = await launch();
  balancer = await startBalancer();
  shared = mkdtempSync(join(tmpdir(), 'bankident-e2e-instances-'));
  const database = process.env.BANKIDENT_E2E_POSTGRES_URL ?? `sqlite://${join(shared, 'db.sqlite')}`;
  const common = {
    BANKIDENT_DATABASE_URL: database,
    BANKIDENT_PUBLIC_URL: balancer.url,
    BANKIDENT_DEMO_MODE: 'true',
  };
  // The first instance runs the emulator; the second reaches it through the balancer.
  first = await startBackend('instance-1', common);
  balancer.targets.push(first.url);
  const emulator = `${balancer.url}/solaris`;
  second = await startBackend('instance-2', {
    ...common,
    SOLARIS_API_URL: emulator,
    SOLARIS_TOKEN_URL: `${emulator}/oauth2/token`,
    SOLARIS_CLIENT_ID: 'sandbox-client',
    SOLARIS_CLIENT_SECRET: 'sandbox-secret',
    BANKIDENT_REDIRECT_HOSTS: new URL(balancer.url).host,
  });
  balancer.targets.push(second.url);
});

after(async () => {
  await browser.close();
  await second.stop();
  await first.stop();
  balancer.server.close();
  rmSync(shared, { recursive: true, force: true });
});

test('a journey whose requests alternate between two instances on one database ends in success', async () => {
  await withPage(browser, 'two-instances', async (page) => {
    await answerEverything(page, { lang: 'en', iban: SUCCESS, base: balancer.url });
    assert.equal(await openIdentification(page), 'webview');
    await walkWebview(page, { lang: 'en', iban: SUCCESS });
    const outcome = await returnToOutcome(page);
    assert.equal(outcome.category, 'Success', outcome.message);
    const [toFirst, toSecond] = balancer.apiRequests;
    assert.ok(toFirst > 0 && toSecond > 0, `both instances served the journey (${toFirst} and ${toSecond} API requests)`);
  });
});
