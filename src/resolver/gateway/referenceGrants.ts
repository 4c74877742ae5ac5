/**
 * referenceGrants: whether a route may refer to an object in another namespace (gateway-api apis/v1beta1
 * ReferenceGrant). Pure.
 *
 * A reference from a route in namespace A to an object in namespace B is permitted when a ReferenceGrant
 * in B lists, in spec.from, the route's group (gateway.networking.k8s.io), kind and namespace A, and, in
 * spec.to, the object's group ("" for core) and kind, with either no name or the object's name.
 * References within one namespace need no grant.
 */
import type { ReferenceGrantObject } from '../../model/gatewayObjects.js';
import { GATEWAY_GROUP } from '../../model/gatewayObjects.js';
import { nsOf } from '../apiDefaults.js';

export interface CrossNamespaceRef {
  readonly fromKind: string;
  readonly fromNamespace: string;
  readonly toGroup: string;
  readonly toKind: string;
  readonly toNamespace: string;
  readonly toName: string;
}

/** The grant that permits the reference, or null (also null for same-namespace references: none needed). */
export function grantFor(grants: readonly ReferenceGrantObject[], r: CrossNamespaceRef): ReferenceGrantObject | null {
  if (r.fromNamespace === r.toNamespace) return null;
  return grants.find((g) => nsOf(g) === r.toNamespace
    && (g.spec?.from ?? []).some((f) => f.group === GATEWAY_GROUP && f.kind === r.fromKind && f.namespace === r.fromNamespace)
    && (g.spec?.to ?? []).some((t) => (t.group ?? '') === r.toGroup && t.kind === r.toKind && (!t.name || t.name === r.toName))) ?? null;
}

/** Whether the reference is permitted (same namespace, or granted). */
export function referencePermitted(grants: readonly ReferenceGrantObject[], r: CrossNamespaceRef): boolean {
  return r.fromNamespace === r.toNamespace || grantFor(grants, r) !== null;
}
