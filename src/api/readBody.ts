/**
 * readBody: reads a request body up to a size limit. Over the limit: RequestError PAYLOAD_TOO_LARGE (the
 * rest of the body is drained, not buffered). A body that is not valid JSON where JSON is required:
 * RequestError BAD_REQUEST.
 */
import type { IncomingMessage } from 'node:http';
import { RequestError } from './errors.js';

export const MAX_BODY_BYTES = 1 << 20;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new RequestError('PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) over = true;
    if (!over) chunks.push(b);
  }
  if (over) throw new RequestError('PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new RequestError('BAD_REQUEST', 'request body is not valid JSON');
  }
}
