/**
 * cloneJson: a deep copy of a JSON-shaped value (objects, arrays, primitives) — what the API server's
 * decode step gives each request: the caller's object is never stored or modified. Values JSON cannot
 * carry (undefined fields, functions) are dropped; Dates become strings, as on the wire.
 */
export function cloneJson<T>(value: T): T {
  return clone(value) as T;
}

function clone(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'function' ? undefined : v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const c = clone(v[i]);
      out[i] = c === undefined ? null : c;
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k in v as Record<string, unknown>) {
    const c = clone((v as Record<string, unknown>)[k]);
    if (c !== undefined) out[k] = c;
  }
  return out;
}
