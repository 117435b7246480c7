// Local stand-ins for Twilio's and Telnyx's messaging APIs, as fetch handlers (Node serves them on
// 127.0.0.1, workerd calls them in process). Each checks a request the way the provider documents
// it (method, path, authentication, content type, required fields) and answers in the provider's
// shapes, failures included: an invalid number, 429, 5xx. Runtime-neutral: Web APIs only.

export const TWILIO_SID = `AC${'1'.repeat(32)}`;
export const TWILIO_TOKEN = 'twilio-auth-token-for-tests';
export const TELNYX_KEY = 'KEYtelnyx-api-key-for-tests';

export interface ProviderRequest {
  provider: 'twilio' | 'telnyx';
  to: string;
  from: string;
  body: string;
  statusCallback: string | null;
}

type Failure = 429 | 500 | 503 | 'invalid_number';

export interface MessageStandIn {
  handler: (request: Request) => Promise<Response>;
  /** Every accepted send, in order. */
  sent: ProviderRequest[];
  /** Every request that reached the stand-in (accepted or not), for counting attempts. */
  attempts: ProviderRequest[];
  /** Requests refused because they broke the provider's contract (a test expects none). */
  contractErrors: string[];
  /** The next sends fail like this, in order. */
  failNext(...failures: Failure[]): void;
  /** Numbers the provider calls invalid (Twilio 21211, Telnyx 40310). */
  invalidNumbers: Set<string>;
}

const E164 = /^\+[1-9]\d{6,14}$/;

export function messageStandIn(): MessageStandIn {
  const sent: ProviderRequest[] = [];
  const attempts: ProviderRequest[] = [];
  const contractErrors: string[] = [];
  const failures: Failure[] = [];
  const invalidNumbers = new Set<string>();
  let sids = 0;

  const twilioError = (status: number, code: number, message: string) =>
    Response.json(
      { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
      { status },
    );

  async function twilio(request: Request, accountSid: string): Promise<Response> {
    const expected = `Basic ${btoa(`${TWILIO_SID}:${TWILIO_TOKEN}`)}`;
    if (accountSid !== TWILIO_SID || request.headers.get('authorization') !== expected) {
      return twilioError(401, 20003, 'Authenticate');
    }
    if (!request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')) {
      contractErrors.push('twilio: body is not a form');
      return twilioError(400, 20001, 'Invalid content type');
    }
    const form = new URLSearchParams(await request.text());
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? '';
    const body = form.get('Body') ?? '';
    const whatsapp = to.startsWith('whatsapp:');
    if (!body || !from || whatsapp !== from.startsWith('whatsapp:')) {
      contractErrors.push(
        `twilio: To/From/Body ${to ? 'to' : ''} ${from ? 'from' : ''} ${body ? 'body' : ''}`,
      );
      return twilioError(400, 21604, "A 'From' phone number and a 'Body' are required.");
    }
    const number = to.replace(/^whatsapp:/, '');
    const call: ProviderRequest = {
      provider: 'twilio',
      to,
      from,
      body,
      statusCallback: form.get('StatusCallback'),
    };
    attempts.push(call);
    const failure = failures.shift();
    if (failure === 429) return twilioError(429, 20429, 'Too Many Requests');
    if (failure === 500 || failure === 503) return twilioError(failure, 20500, 'Internal Server Error');
    if (failure === 'invalid_number' || !E164.test(number) || invalidNumbers.has(number)) {
      return twilioError(400, 21211, `The 'To' number ${number} is not a valid phone number.`);
    }
    sent.push(call);
    const sid = `SM${String(++sids).padStart(32, '0')}`;
    return Response.json(
      {
        sid,
        account_sid: accountSid,
        to,
        from,
        body,
        status: 'queued',
        num_segments: '1',
        direction: 'outbound-api',
      },
      { status: 201 },
    );
  }

  const telnyxError = (status: number, code: string, title: string, detail?: string) =>
    Response.json({ errors: [{ code, title, ...(detail ? { detail } : {}) }] }, { status });

  async function telnyx(request: Request): Promise<Response> {
    if (request.headers.get('authorization') !== `Bearer ${TELNYX_KEY}`) {
      return telnyxError(401, '10009', 'Authentication failed');
    }
    if (!request.headers.get('content-type')?.startsWith('application/json')) {
      contractErrors.push('telnyx: body is not JSON');
      return telnyxError(400, '10015', 'Bad Request');
    }
    const json = (await request.json()) as Record<string, unknown>;
    const { from, to, text } = json as { from?: string; to?: string; text?: string };
    if (typeof from !== 'string' || typeof to !== 'string' || typeof text !== 'string' || !text) {
      contractErrors.push('telnyx: from/to/text');
      return telnyxError(422, '10005', 'Invalid parameters');
    }
    const call: ProviderRequest = {
      provider: 'telnyx',
      to,
      from,
      body: text,
      statusCallback: typeof json.webhook_url === 'string' ? json.webhook_url : null,
    };
    attempts.push(call);
    const failure = failures.shift();
    if (failure === 429) return telnyxError(429, '10011', 'Too many requests');
    if (failure === 500 || failure === 503) return telnyxError(failure, '10007', 'Unexpected error');
    if (failure === 'invalid_number' || !E164.test(to) || invalidNumbers.has(to)) {
      return telnyxError(400, '40310', "Invalid 'to' address", `The destination number ${to} is invalid.`);
    }
    sent.push(call);
    const id = `4031938e-60e4-4a1d-9f3c-${String(++sids).padStart(12, '0')}`;
    return Response.json({
      data: {
        record_type: 'message',
        direction: 'outbound',
        id,
        type: 'SMS',
        from: { phone_number: from },
        to: [{ phone_number: to, status: 'queued' }],
        text,
        parts: 1,
      },
    });
  }

  return {
    sent,
    attempts,
    contractErrors,
    invalidNumbers,
    failNext: (...next) => failures.push(...next),
    async handler(request) {
      const url = new URL(request.url);
      const twilioPath = url.pathname.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
      if (twilioPath && request.method === 'POST') return twilio(request, twilioPath[1]!);
      if (url.pathname === '/v2/messages' && request.method === 'POST') return telnyx(request);
      contractErrors.push(`unexpected ${request.method} ${url.pathname}`);
      return new Response('Not Found', { status: 404 });
    },
  };
}
