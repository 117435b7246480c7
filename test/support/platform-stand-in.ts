// A local stand-in for the voice platforms' APIs (Node only; the workers project reaches it over
// HTTP through test/support/stand-in-setup.ts). Each route checks a request as the platform
// documents it (path, auth, content type, required fields) and answers in the platform's shape,
// its errors included. It records every request, so a test can also read exactly what was sent.
//
// Outcomes a test can ask for, by the values it configures on its integration:
// - Vapi assistantId `asst-fail-500` → 500; `asst-moved` → 307 to another host; `asst-slow` → answers after 400 ms.
// - Retell from_number +15550000422 → 422 (its message names the number dialled); +15550000503 → 503.
// - Twilio From +15550000400 → 400 (error 21211 naming the To number).
// - Telnyx connection_id `conn-fail-503` → 503.
// - GET /recordings/<name>.wav: audio bytes (Range honoured); /recordings/gone.wav → 404.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const STAND_IN_KEYS = {
  vapi: 'vapi-private-key-0123456789',
  retell: 'key_retell_outbound_0123456789',
  twilioSid: `AC${'0123456789abcdef'.repeat(2)}`,
  twilioToken: 'twilio-auth-token-0123456789',
  telnyx: 'KEY0123456789TELNYX_abcdef',
} as const;

export const RECORDING_BYTES = Buffer.from(`RIFF${'\u0000'.repeat(4)}WAVEfmt agendai-test-audio`, 'binary');

export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | null;
  contentType: string | null;
  body: string;
}

const E164 = /^\+[1-9]\d{1,14}$/;

type Answer = { status: number; body: unknown; delayMs?: number; headers?: Record<string, string> };

const json = (res: ServerResponse, { status, body, headers }: Answer) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

function vapi(req: SeenRequest): Answer {
  if (req.method !== 'POST' || req.path !== '/vapi/call')
    return { status: 404, body: { message: 'Cannot POST', statusCode: 404 } };
  if (req.authorization !== `Bearer ${STAND_IN_KEYS.vapi}`) {
    return {
      status: 401,
      body: {
        message:
          'Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.',
        error: 'Unauthorized',
        statusCode: 401,
      },
    };
  }
  const b = JSON.parse(req.body || '{}');
  const problems: string[] = [];
  if (!req.contentType?.startsWith('application/json'))
    problems.push('content-type must be application/json');
  if (typeof b.assistantId !== 'string') problems.push('assistantId must be a string');
  if (typeof b.phoneNumberId !== 'string') problems.push('phoneNumberId must be a string');
  if (!E164.test(b.customer?.number ?? ''))
    problems.push('customer.number must be a valid phone number in the E.164 format');
  if (problems.length)
    return { status: 400, body: { message: problems, error: 'Bad Request', statusCode: 400 } };
  if (b.assistantId === 'asst-fail-500')
    return { status: 500, body: { message: 'Internal server error', statusCode: 500 } };
  if (b.assistantId === 'asst-moved')
    return { status: 307, body: { message: 'Moved' }, headers: { location: 'http://10.0.0.1/call' } };
  const now = new Date().toISOString();
  return {
    status: 201,
    delayMs: b.assistantId === 'asst-slow' ? 400 : 0,
    body: {
      id: crypto.randomUUID(),
      orgId: crypto.randomUUID(),
      type: 'outboundPhoneCall',
      status: 'queued',
      assistantId: b.assistantId,
      phoneNumberId: b.phoneNumberId,
      customer: b.customer,
      createdAt: now,
      updatedAt: now,
    },
  };
}

function retell(req: SeenRequest): Answer {
  if (req.method !== 'POST' || req.path !== '/retell/v2/create-phone-call')
    return { status: 404, body: { status: 'error', message: 'Not Found' } };
  if (req.authorization !== `Bearer ${STAND_IN_KEYS.retell}`)
    return { status: 401, body: { status: 'error', message: 'Invalid API Key' } };
  const b = JSON.parse(req.body || '{}');
  if (!E164.test(b.from_number ?? '') || !E164.test(b.to_number ?? '')) {
    return { status: 400, body: { status: 'error', message: 'from_number and to_number must be E.164' } };
  }
  if (b.from_number === '+15550000422') {
    return {
      status: 422,
      body: { status: 'error', message: `Cannot call ${b.to_number}: number not allowed` },
    };
  }
  if (b.from_number === '+15550000503')
    return { status: 503, body: { status: 'error', message: 'Service Unavailable' } };
  return {
    status: 201,
    body: {
      call_type: 'phone_call',
      from_number: b.from_number,
      to_number: b.to_number,
      direction: 'outbound',
      call_id: `call_${crypto.randomUUID().replace(/-/g, '')}`,
      agent_id: b.override_agent_id ?? 'agent_default_outbound',
      agent_version: 1,
      call_status: 'registered',
      metadata: b.metadata ?? {},
    },
  };
}

function twilio(req: SeenRequest): Answer {
  const match = /^\/twilio\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Calls\.json$/.exec(req.path);
  const more = (code: number) => `https://www.twilio.com/docs/errors/${code}`;
  if (req.method !== 'POST' || !match)
    return {
      status: 404,
      body: {
        code: 20404,
        message: 'The requested resource was not found',
        more_info: more(20404),
        status: 404,
      },
    };
  const expected = `Basic ${Buffer.from(`${match[1]}:${STAND_IN_KEYS.twilioToken}`).toString('base64')}`;
  if (req.authorization !== expected || match[1] !== STAND_IN_KEYS.twilioSid) {
    return {
      status: 401,
      body: { code: 20003, message: 'Authenticate', more_info: more(20003), status: 401 },
    };
  }
  if (req.contentType !== 'application/x-www-form-urlencoded') {
    return {
      status: 400,
      body: { code: 20001, message: 'Expected form data', more_info: more(20001), status: 400 },
    };
  }
  const form = new URLSearchParams(req.body);
  if (!form.get('Url') && !form.get('Twiml') && !form.get('ApplicationSid')) {
    return {
      status: 400,
      body: { code: 21205, message: 'Url parameter is required.', more_info: more(21205), status: 400 },
    };
  }
  for (const name of ['To', 'From']) {
    if (!E164.test(form.get(name) ?? ''))
      return {
        status: 400,
        body: { code: 21211, message: `Invalid '${name}' Phone Number`, more_info: more(21211), status: 400 },
      };
  }
  if (form.get('From') === '+15550000400') {
    return {
      status: 400,
      body: {
        code: 21211,
        message: `The 'To' number ${form.get('To')} is not a valid phone number.`,
        more_info: more(21211),
        status: 400,
      },
    };
  }
  const sid = `CA${crypto.randomUUID().replace(/-/g, '')}`;
  return {
    status: 201,
    body: {
      sid,
      account_sid: match[1],
      to: form.get('To'),
      from: form.get('From'),
      status: 'queued',
      direction: 'outbound-api',
      uri: `/2010-04-01/Accounts/${match[1]}/Calls/${sid}.json`,
    },
  };
}

function telnyx(req: SeenRequest): Answer {
  if (req.method !== 'POST' || req.path !== '/telnyx/v2/calls')
    return { status: 404, body: { errors: [{ code: '10005', title: 'Resource not found' }] } };
  if (req.authorization !== `Bearer ${STAND_IN_KEYS.telnyx}`) {
    return {
      status: 401,
      body: {
        errors: [
          {
            code: '10009',
            title: 'Authentication failed',
            detail: 'The API key looks malformed. Check that you copied it correctly.',
          },
        ],
      },
    };
  }
  const b = JSON.parse(req.body || '{}');
  for (const field of ['connection_id', 'to', 'from']) {
    if (typeof b[field] !== 'string' || !b[field]) {
      return {
        status: 422,
        body: {
          errors: [
            {
              code: '10015',
              title: 'Invalid value',
              detail: `${field} is required`,
              source: { pointer: `/${field}` },
            },
          ],
        },
      };
    }
  }
  if (b.connection_id === 'conn-fail-503')
    return {
      status: 503,
      body: { errors: [{ code: '10011', title: 'Service unavailable', detail: 'Try again later' }] },
    };
  const id = crypto.randomUUID();
  return {
    status: 200,
    body: {
      data: {
        call_control_id: `v3:${id}`,
        call_leg_id: id,
        call_session_id: crypto.randomUUID(),
        is_alive: false,
        record_type: 'call',
      },
    },
  };
}

function recording(req: IncomingMessage, path: string, res: ServerResponse) {
  if (path === '/recordings/gone.wav') return json(res, { status: 404, body: { message: 'Not found' } });
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (range) {
    const start = Number(range[1]);
    const end = range[2] ? Number(range[2]) : RECORDING_BYTES.length - 1;
    res.writeHead(206, {
      'content-type': 'audio/wav',
      'content-range': `bytes ${start}-${end}/${RECORDING_BYTES.length}`,
      'accept-ranges': 'bytes',
    });
    return res.end(RECORDING_BYTES.subarray(start, end + 1));
  }
  res.writeHead(200, {
    'content-type': 'audio/wav',
    'accept-ranges': 'bytes',
    'set-cookie': 'platform=secret',
  });
  res.end(RECORDING_BYTES);
}

export interface StandIn {
  url: string;
  close(): Promise<void>;
}

/** Starts the stand-in on 127.0.0.1; `${url}/vapi`, `/retell`, `/twilio`, `/telnyx` are the API roots. */
export async function startPlatformStandIn(): Promise<StandIn> {
  const seen: SeenRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    if (path === '/_requests') return json(res, { status: 200, body: seen });
    if (path.startsWith('/recordings/')) return recording(req, path, res);
    const request: SeenRequest = {
      method: req.method ?? '',
      path,
      authorization: req.headers.authorization ?? null,
      contentType: req.headers['content-type'] ?? null,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    seen.push(request);
    const platform = path.split('/')[1];
    const handler = { vapi, retell, twilio, telnyx }[platform ?? ''];
    let answer: Answer;
    try {
      answer = handler ? handler(request) : { status: 404, body: { message: 'unknown platform' } };
    } catch {
      answer = { status: 400, body: { message: 'Body is not JSON' } };
    }
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    json(res, answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
