/**
 * fieldSelector: the `fieldSelector` query parameter, limited to the fields every kind supports in
 * kube-apiserver: `metadata.name` and `metadata.namespace` with `=`, `==` or `!=`, comma-separated.
 * Anything else is a 400, as for an unsupported field label.
 */
import { ApiError } from './ApiError.js';
import type { SimObject } from './Store.js';

export type FieldSelector = readonly { field: 'metadata.name' | 'metadata.namespace'; neq: boolean; value: string }[];

export function parseFieldSelector(raw: string | null | undefined): FieldSelector {
  if (!raw || raw.trim() === '') return [];
  return raw.split(',').map((part) => {
    const m = part.trim().match(/^([^=!]+)(==|=|!=)(.*)$/);
    if (!m) throw ApiError.badRequest(`invalid field selector: "${part}"`);
    const field = m[1]!.trim();
    if (field !== 'metadata.name' && field !== 'metadata.namespace') throw ApiError.badRequest(`field label not supported: ${field}`);
    return { field, neq: m[2] === '!=', value: m[3]!.trim() };
  });
}

export function matchesFields(sel: FieldSelector, obj: SimObject): boolean {
  for (const r of sel) {
    const v = r.field === 'metadata.name' ? obj.metadata.name : (obj.metadata.namespace ?? '');
    if ((v === r.value) === r.neq) return false;
  }
  return true;
}
