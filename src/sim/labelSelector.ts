/**
 * labelSelector: parses and evaluates Kubernetes label selector strings (the `labelSelector` query
 * parameter): comma-separated requirements `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`
 * (exists) and `!k` (does not exist). All requirements must hold. An empty string matches everything.
 * Malformed input throws ApiError 400, as the API server does.
 */
import { ApiError } from './ApiError.js';

export type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

export type LabelSelector = readonly Requirement[];

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;
const VALUE = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?)?$/;

/** Splits on commas that are not inside parentheses. */
function splitTop(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function checkKey(key: string, raw: string): string {
  if (!KEY.test(key)) throw ApiError.badRequest(`unable to parse requirement: invalid label key "${key}" in "${raw}"`);
  return key;
}

function checkValue(v: string, raw: string): string {
  if (!VALUE.test(v) || v.length > 63) throw ApiError.badRequest(`unable to parse requirement: invalid label value "${v}" in "${raw}"`);
  return v;
}

export function parseLabelSelector(raw: string | null | undefined): LabelSelector {
  if (raw === null || raw === undefined || raw.trim() === '') return [];
  const reqs: Requirement[] = [];
  for (const partRaw of splitTop(raw)) {
    const part = partRaw.trim();
    if (part === '') throw ApiError.badRequest(`unable to parse requirement: empty requirement in "${raw}"`);
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/))) {
      const values = m[3]!.split(',').map((v) => checkValue(v.trim(), raw));
      reqs.push({ op: m[2] as 'in' | 'notin', key: checkKey(m[1]!, raw), values });
    } else if ((m = part.match(/^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/))) {
      reqs.push({ op: m[2] === '!=' ? 'neq' : 'eq', key: checkKey(m[1]!, raw), value: checkValue(m[3]!, raw) });
    } else if ((m = part.match(/^!\s*(\S+)$/))) {
      reqs.push({ op: 'notexists', key: checkKey(m[1]!, raw) });
    } else if ((m = part.match(/^(\S+)$/))) {
      reqs.push({ op: 'exists', key: checkKey(m[1]!, raw) });
    } else {
      throw ApiError.badRequest(`unable to parse requirement: "${part}"`);
    }
  }
  return reqs;
}

export function matchesLabels(sel: LabelSelector, labels: Readonly<Record<string, string>> | null | undefined): boolean {
  for (const r of sel) {
    const has = labels != null && Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = has ? labels![r.key] : undefined;
    switch (r.op) {
      case 'eq':
        if (v !== r.value) return false;
        break;
      case 'neq':
        if (v === r.value) return false;
        break;
      case 'in':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case 'notexists':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** A Service-style equality selector (map) matches when every pair is present; an empty map matches nothing here (callers decide). */
export function matchesSelectorMap(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> | null | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) {
    if (labels == null || labels[k] !== v) return false;
  }
  return true;
}
