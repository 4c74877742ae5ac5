/**
 * sameProjection: whether two projections (project.ts) hold the same content apart from
 * metadata.resourceVersion, i.e. whether the history writer would store the second as a no-op.
 *
 * Equal exactly when canonicalJson() of both without resourceVersion is equal (projections are plain JSON
 * values with keys in one order), but compared in place: no text is built, and the first difference ends
 * the walk. Pure; neither argument is modified.
 */
import type { KubeObject } from './objects.js';

export function sameProjection(a: KubeObject, b: KubeObject): boolean {
  if (a === b) return true;
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const ka = Object.keys(ra);
  const kb = Object.keys(rb);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i] || !sameValue(ra[k], rb[k], k === 'metadata' ? 'resourceVersion' : undefined)) return false;
  }
  return true;
}

/** Deep equality of JSON values with keys in the same order; `skip`: a key of this level to ignore. */
function sameValue(x: unknown, y: unknown, skip?: string): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) {
    return typeof x === 'number' && typeof y === 'number' && Number.isNaN(x) && Number.isNaN(y);
  }
  if (Array.isArray(x)) {
    if (!Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(y)) return false;
  const ox = x as Record<string, unknown>;
  const oy = y as Record<string, unknown>;
  const kx = skip === undefined ? Object.keys(ox) : Object.keys(ox).filter((k) => k !== skip);
  const ky = skip === undefined ? Object.keys(oy) : Object.keys(oy).filter((k) => k !== skip);
  if (kx.length !== ky.length) return false;
  for (let i = 0; i < kx.length; i++) {
    const k = kx[i]!;
    if (k !== ky[i] || !sameValue(ox[k], oy[k])) return false;
  }
  return true;
}
