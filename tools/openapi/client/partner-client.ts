// A partner's client of the Bankident partner API, written against the types openapi-typescript
// generates from docs/openapi/partner.json (build/partner-api.d.ts), with openapi-fetch as its
// runtime: if the document and the API part ways, either TypeScript refuses this file or the
// end-to-end test that drives it (e2e/generated-client.test.mjs) fails.

import createClient from 'openapi-fetch';
import type { components, paths } from '../build/partner-api.js';

/** An onboarding as the API shows it. */
export type Onboarding = components['schemas']['OnboardingView'];
/** A webhook's body. */
export type PartnerEvent = components['schemas']['PartnerEvent'];
/** An error of the API (RFC 9457). */
export type Problem = components['schemas']['Problem'];

/** A failed call: the problem the API answered with. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
  }
}

/** What creating an onboarding answered. */
export interface Created {
  status: number;
  replayed: boolean;
  onboardingId: string;
  state: Onboarding['state'];
  startLink: string;
  expiresAt: string;
}

/** The partner API at `baseUrl`, called with `apiKey`. */
export function partnerClient(baseUrl: string, apiKey: string) {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${apiKey}` } });
  return {
    /** Creates the customer's onboarding once per `idempotencyKey`. */
    async create(customerReference: string, language: 'de' | 'en', idempotencyKey: string): Promise<Created> {
      const { data, error, response } = await client.POST('/partner/v1/onboardings', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body: { customer_reference: customerReference, language },
      });
      if (error) throw new ProblemError(error);
      return {
        status: response.status,
        replayed: response.headers.get('idempotent-replayed') === 'true',
        onboardingId: data.onboarding.id,
        state: data.onboarding.state,
        startLink: data.start_link.url,
        expiresAt: data.start_link.expires_at,
      };
    },

    /** How an onboarding stands. */
    async show(id: string): Promise<Onboarding> {
      const { data, error } = await client.GET('/partner/v1/onboardings/{id}', { params: { path: { id } } });
      if (error) throw new ProblemError(error);
      return data;
    },

    /** Waits until the onboarding is final (or cancelled), asking every half second. */
    async final(id: string, timeoutMs = 30_000): Promise<Onboarding> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const onboarding = await this.show(id);
        if (onboarding.state === 'final' || onboarding.state === 'cancelled') return onboarding;
        if (Date.now() > deadline) throw new Error(`onboarding ${id} still ${onboarding.state}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    },

    /** Every event of one type, page after page. */
    async events(type: PartnerEvent['type']): Promise<PartnerEvent[]> {
      const events: PartnerEvent[] = [];
      let startingAfter: string | undefined;
      for (;;) {
        const query = startingAfter === undefined ? { type, limit: 2 } : { type, limit: 2, starting_after: startingAfter };
        const { data, error } = await client.GET('/partner/v1/events', { params: { query } });
        if (error) throw new ProblemError(error);
        events.push(...data.events);
        if (!data.has_more || !data.next_starting_after) return events;
        startingAfter = data.next_starting_after;
      }
    },

    /** The signed KYC report of a successful onboarding, as bytes. */
    async signedReport(onboarding: Onboarding): Promise<Uint8Array> {
      const report = onboarding.documents?.find((document) => document.document_type === 'SIGNED_QES_DOCUMENT');
      if (!report) throw new Error(`onboarding ${onboarding.id} lists no signed report`);
      const { data, error } = await client.GET('/partner/v1/onboardings/{id}/documents/{document_id}', {
        params: { path: { id: onboarding.id, document_id: report.id } },
        parseAs: 'arrayBuffer',
      });
      if (error) throw new ProblemError(error);
      return new Uint8Array(data);
    },

    /** Erases the onboarding; what remains. */
    async erase(id: string) {
      const { data, error } = await client.DELETE('/partner/v1/onboardings/{id}', { params: { path: { id } } });
      if (error) throw new ProblemError(error);
      return { state: data.state, erasedBy: data.erased_by, erasedAt: data.erased_at };
    },

    /** The problem an onboarding that is gone or unknown answers with. */
    async problemOf(id: string): Promise<Problem> {
      const { error } = await client.GET('/partner/v1/onboardings/{id}', { params: { path: { id } } });
      if (!error) throw new Error(`onboarding ${id} answered`);
      return error;
    },
  };
}
