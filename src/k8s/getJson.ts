/**
 * getJson: one GET of an API server path with the kubeconfig's credentials, answered as plain parsed JSON.
 *
 * The request is built exactly as client-node's own Watch builds its stream request (RequestContext, the
 * kubeconfig's authentication, its TLS dispatcher, undici's fetch), so lists and watches reach the API
 * server the same way; the body is parsed with JSON.parse only: no generated model classes, no Date
 * conversion (timestamps stay RFC 3339 strings, as in watch events). A status other than 200 is an Error
 * carrying `statusCode` and the API server's Status message when it sent one (410 Gone for an expired
 * continue token, 403 for a forbidden kind, ...). `timeoutMs` bounds the whole request.
 */
import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { fetch } from 'undici';

export interface HttpStatusError extends Error {
  statusCode: number;
}

export async function getJson<T>(kc: KubeConfig, pathAndQuery: string, timeoutMs = 60_000): Promise<T> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('getJson: the kubeconfig names no current cluster');
  const ctx = new RequestContext(`${cluster.server}${pathAndQuery}`, HttpMethod.GET);
  await kc.applySecurityAuthentication(ctx);
  const response = await fetch(ctx.getUrl(), {
    method: 'GET',
    headers: { ...ctx.getHeaders(), accept: 'application/json' },
    dispatcher: ctx.getDispatcher(),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (response.status !== 200) {
    let message = text.slice(0, 300);
    try {
      const status = JSON.parse(text) as { message?: string };
      if (status.message) message = status.message;
    } catch {
      // not a Status object: keep the start of the body
    }
    const err = new Error(`GET ${pathAndQuery}: HTTP ${response.status}${message ? `: ${message}` : ''}`) as HttpStatusError;
    err.statusCode = response.status;
    throw err;
  }
  return JSON.parse(text) as T;
}
