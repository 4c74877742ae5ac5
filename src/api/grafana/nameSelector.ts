/**
 * nameSelector: a set of Kubernetes names (namespaces, services, zones, nodes) as Grafana dashboards send
 * it, read into a predicate.
 *
 * Accepted forms (all give the same selection):
 *  - a name: "checkout"; regex-escaped names as Grafana's regex format sends them ("checkout\.v2");
 *  - several names: a JSON array ["checkout","payments"] (code mode, or builder multi-select), Grafana's
 *    regex multi-value form "(checkout|payments)", "checkout|payments", glob "{checkout,payments}" and
 *    "checkout,payments" (Infinity's glob and csv formats);
 *  - everything: absent, "", "*", ".*", "All", "$__all" (a variable set to All with a custom all value).
 * Any other value (another regex, a number where a name is expected, an object) is a RequestError
 * BAD_REQUEST naming the field, so a typo never widens a query silently.
 */
import { RequestError } from '../errors.js';

export interface NameSelector {
  /** The names, or null for "everything". */
  readonly names: readonly string[] | null;
  test(name: string): boolean;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,251}[A-Za-z0-9])?$/;
const ALL = new Set(['', '*', '.*', 'all', '$__all', '.+']);

export const EVERYTHING: NameSelector = { names: null, test: () => true };

function unescapeRegex(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** Splits on `sep` outside backslash escapes. */
function splitUnescaped(s: string, seps: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[++i];
      continue;
    }
    if (seps.includes(c)) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

function alternatives(value: string): string[] {
  let v = value.trim();
  if ((v.startsWith('(') && v.endsWith(')')) || (v.startsWith('{') && v.endsWith('}'))) v = v.slice(1, -1);
  if (v.startsWith('?:')) v = v.slice(2);
  return splitUnescaped(v, '|,').map((a) => unescapeRegex(a.trim()));
}

export function nameSelector(value: unknown, field: string, pattern: RegExp = NAME): NameSelector {
  if (value === undefined || value === null) return EVERYTHING;
  const items: unknown[] = Array.isArray(value) ? value : [value];
  const names = new Set<string>();
  for (const item of items) {
    if (typeof item !== 'string') throw new RequestError('BAD_REQUEST', `${field}: expected a name or a list of names, got ${JSON.stringify(item)?.slice(0, 40)}`);
    if (item.length > 4096) throw new RequestError('BAD_REQUEST', `${field}: too long`);
    for (const alt of alternatives(item)) {
      if (ALL.has(alt.toLowerCase())) return EVERYTHING;
      if (!pattern.test(alt)) throw new RequestError('BAD_REQUEST', `${field}: '${alt.slice(0, 80)}' is not a name (use a name, a list like (a|b), or .* for all)`);
      names.add(alt);
    }
  }
  if (names.size === 0) return EVERYTHING;
  const list = [...names].sort();
  return { names: list, test: (n) => names.has(n) };
}

/** Both selectors must accept. */
export function both(a: NameSelector, b: NameSelector): NameSelector {
  if (a.names === null) return b;
  if (b.names === null) return a;
  const names = a.names.filter((n) => b.test(n));
  return { names, test: (n) => a.test(n) && b.test(n) };
}
