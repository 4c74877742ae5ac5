/**
 * clientOrigin: where a question's traffic comes from, as a client states it: `pod:NAMESPACE/NAME`,
 * `node:NAME` or `external` (outside the cluster). The text form is shared by the CLI (--client), REST
 * (?client=) and GraphQL (client:); parseClientOrigin returns null for text that is none of these, and
 * each edge turns that into its own error.
 */
export type ClientOrigin =
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'node'; readonly name: string }
  | { readonly kind: 'external' };

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function isName(s: string): boolean {
  return s.length > 0 && s.length <= 253 && NAME.test(s);
}

export function parseClientOrigin(text: string): ClientOrigin | null {
  const t = text.trim();
  if (t === 'external') return { kind: 'external' };
  if (t.startsWith('node:')) {
    const name = t.slice(5);
    return isName(name) ? { kind: 'node', name } : null;
  }
  if (t.startsWith('pod:')) {
    const parts = t.slice(4).split('/');
    if (parts.length !== 2 || !isName(parts[0]!) || !isName(parts[1]!)) return null;
    return { kind: 'pod', namespace: parts[0]!, name: parts[1]! };
  }
  return null;
}

export function clientOriginText(c: ClientOrigin): string {
  return c.kind === 'external' ? 'external' : c.kind === 'node' ? `node:${c.name}` : `pod:${c.namespace}/${c.name}`;
}

export const CLIENT_ORIGIN_FORMS = 'pod:NAMESPACE/NAME, node:NAME or external';
