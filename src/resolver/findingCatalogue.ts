/**
 * findingCatalogue: every finding code the resolver reports, with its default severity and the rule of the
 * routing semantics it comes from. Codes are stable (clients match on them); messages are written at the
 * point of detection, in the words an operator uses when troubleshooting (empty endpoints, selector matching
 * no Pod, Pods not ready, port or name mismatches, missing labels).
 *
 * Codes named by the conformance contract keep those names; the others follow the same UPPER_SNAKE style
 * (the specification's `D-…` code is given beside each).
 */
import type { Finding, ObjectRef, Severity } from '../model/route.js';

interface CatalogueEntry {
  readonly severity: Severity;
  readonly rule: string;
  /** The specification's diagnostic code this maps to. */
  readonly spec: string;
}

export const FINDING_CATALOGUE = {
  // Lookup
  SERVICE_NOT_FOUND: { severity: 'error', rule: 'I9', spec: '-' },
  SERVICE_PORT_NOT_FOUND: { severity: 'error', rule: 'S2', spec: '-' },
  NODE_PORT_NOT_FOUND: { severity: 'error', rule: 'T3', spec: '-' },
  DIRECT_POD_IP: { severity: 'info', rule: 'P2', spec: '-' },
  POD_NOT_FOUND: { severity: 'error', rule: 'E4', spec: '-' },
  NOT_AN_ENDPOINT: { severity: 'info', rule: 'E9', spec: '-' },
  CLIENT_NOT_FOUND: { severity: 'warning', rule: 'P3', spec: '-' },
  CLIENT_CANNOT_REACH: { severity: 'error', rule: 'P2', spec: '-' },
  EXTERNAL_POLICY_BYPASSED: { severity: 'info', rule: 'P4', spec: '-' },
  // Ingress (§1)
  NO_INGRESS_RULE_MATCH: { severity: 'error', rule: 'I3', spec: 'D-ING-HOST-NO-MATCH / D-ING-PATH-NO-MATCH' },
  INGRESS_DEFAULT_BACKEND: { severity: 'info', rule: 'I10', spec: 'D-ING-HOST-NO-MATCH / D-ING-PATH-NO-MATCH' },
  INGRESS_NO_CLASS: { severity: 'warning', rule: 'I2', spec: 'D-ING-NO-CLASS' },
  INGRESS_CLASS_NOT_FOUND: { severity: 'error', rule: 'I1', spec: 'D-ING-NO-CLASS' },
  INGRESS_CONTROLLER_HAS_NO_CLASS: { severity: 'error', rule: 'I1', spec: '-' },
  MULTIPLE_DEFAULT_INGRESS_CLASSES: { severity: 'warning', rule: 'I2', spec: 'D-ING-NO-CLASS' },
  MULTIPLE_INGRESS_CLASSES_MATCH: { severity: 'info', rule: 'I1', spec: '-' },
  INGRESS_IMPLEMENTATION_SPECIFIC: { severity: 'info', rule: 'I5', spec: 'D-ING-IMPL-SPECIFIC' },
  INGRESS_INVALID: { severity: 'error', rule: 'I5', spec: '-' },
  INGRESS_SHADOWED_PATH: { severity: 'warning', rule: 'I8', spec: 'D-ING-SHADOWED-PATH' },
  INGRESS_RULE_WITHOUT_HTTP: { severity: 'info', rule: 'I10', spec: '-' },
  INGRESS_BACKEND_SERVICE_NOT_FOUND: { severity: 'error', rule: 'I9', spec: 'D-ING-BACKEND-SVC-NOT-FOUND' },
  INGRESS_BACKEND_PORT_NOT_FOUND: { severity: 'error', rule: 'I9', spec: 'D-ING-BACKEND-PORT-NOT-FOUND' },
  INGRESS_RESOURCE_BACKEND: { severity: 'info', rule: 'I9', spec: 'D-ING-RESOURCE-BACKEND' },
  INGRESS_TLS_NO_HOST: { severity: 'warning', rule: 'I11', spec: 'D-ING-TLS-NO-HOST' },
  // Service (§2, §6)
  EXTERNAL_NAME: { severity: 'info', rule: 'T6', spec: 'D-SVC-EXTERNALNAME' },
  HEADLESS: { severity: 'info', rule: 'T2', spec: 'D-SVC-HEADLESS' },
  SELECTOR_MATCHES_NO_PODS: { severity: 'error', rule: 'E5', spec: 'D-SVC-SELECTOR-NO-MATCH' },
  PODS_NOT_READY: { severity: 'error', rule: 'E4', spec: 'D-EPS-NONE-READY' },
  NO_ENDPOINTS: { severity: 'error', rule: 'P4', spec: 'D-SVC-NO-ENDPOINTS / D-SVC-SELECTORLESS-NO-ENDPOINTS' },
  NO_READY_ENDPOINTS: { severity: 'error', rule: 'P4', spec: 'D-EPS-NONE-READY / D-EPS-TERMINATING-FALLBACK / D-EP-NOTREADY-ONLY' },
  NO_LOCAL_ENDPOINTS: { severity: 'error', rule: 'P3', spec: 'D-SVC-NO-LOCAL-ENDPOINTS' },
  TRAFFIC_POLICY_LOCAL: { severity: 'info', rule: 'P3', spec: '-' },
  TOPOLOGY_HINTS: { severity: 'info', rule: 'P4', spec: '-' },
  SESSION_AFFINITY: { severity: 'info', rule: 'S1', spec: '-' },
  TARGET_PORT_NOT_DECLARED: { severity: 'warning', rule: 'S4', spec: 'D-POD-NAMED-PORT-MISSING' },
  NUMERIC_TARGET_PORT_UNDECLARED: { severity: 'warning', rule: 'S3', spec: 'D-SVC-TARGETPORT-UNDECLARED' },
  TARGET_PORT_IGNORED: { severity: 'info', rule: 'S6', spec: 'D-SVC-TARGETPORT-IGNORED' },
  SERVICE_PROXY_SKIPPED: { severity: 'warning', rule: 'P1', spec: 'D-SVC-PROXY-SKIPPED' },
  LB_NOT_CAPTURED: { severity: 'info', rule: 'P2', spec: 'D-LB-NOT-CAPTURED' },
  HEALTH_CHECK_FAILS: { severity: 'warning', rule: 'P6', spec: 'D-HC-FAIL' },
  // EndpointSlices (§3)
  ENDPOINT_PORT_NAME_MISMATCH: { severity: 'error', rule: 'E9', spec: 'D-EPS-PORT-NAME-MISMATCH' },
  SLICE_PORT_WITHOUT_NUMBER: { severity: 'error', rule: 'E1', spec: '-' },
  SLICE_MISSING_SERVICE_NAME_LABEL: { severity: 'error', rule: 'E3', spec: 'D-EPS-UNLABELED' },
  SLICE_ORPHAN_LABEL: { severity: 'warning', rule: 'E3', spec: 'D-EPS-ORPHAN-LABEL' },
  SLICE_IGNORED_BY_PROXY: { severity: 'warning', rule: 'P1', spec: 'D-SVC-PROXY-SKIPPED' },
  SLICE_FAMILY_MISMATCH: { severity: 'warning', rule: 'E1', spec: 'D-EPS-FAMILY-MISMATCH' },
  DUPLICATE_ENDPOINT: { severity: 'info', rule: 'E8', spec: 'D-EPS-DUPLICATE' },
  ENDPOINT_MULTIPLE_ADDRESSES: { severity: 'info', rule: 'E1', spec: 'D-EPS-MULTI-ADDRESS' },
  ENDPOINT_ADDRESS_INVALID: { severity: 'warning', rule: 'E8', spec: '-' },
  ENDPOINT_ADDRESS_RESTRICTED: { severity: 'warning', rule: 'P8', spec: '-' },
  SLICE_NO_MANAGED_BY: { severity: 'info', rule: 'E7', spec: 'D-EPS-NO-MANAGED-BY' },
  SLICE_RESERVED_MANAGER: { severity: 'warning', rule: 'E7', spec: 'D-EPS-RESERVED-MANAGER' },
  // Endpoints and mirroring (§4)
  ENDPOINTS_MIRRORED: { severity: 'info', rule: 'M4', spec: '-' },
  ENDPOINTS_DERIVED_FROM_PODS: { severity: 'info', rule: 'E4', spec: '-' },
  ENDPOINTS_NAME_MISMATCH: { severity: 'error', rule: 'M4', spec: 'D-EP-NAME-MISMATCH' },
  ENDPOINTS_SKIP_MIRROR: { severity: 'warning', rule: 'M4', spec: 'D-EP-SKIP-MIRROR' },
  ENDPOINTS_IGNORED_SELECTOR: { severity: 'warning', rule: 'M3', spec: 'D-EP-IGNORED-SELECTOR' },
  ENDPOINTS_OVER_CAPACITY: { severity: 'warning', rule: 'M3', spec: 'D-EP-OVER-CAPACITY' },
  ENDPOINTS_MIRROR_CAPACITY: { severity: 'warning', rule: 'M6', spec: '-' },
  ENDPOINTS_NOT_MIRRORED: { severity: 'warning', rule: 'M4', spec: '-' },
  // Gateway API (src/resolver/gateway/GATEWAY.md, G1–G9)
  GATEWAY_NO_LISTENER: { severity: 'error', rule: 'G1', spec: '-' },
  GATEWAY_LISTENER_PROTOCOL: { severity: 'info', rule: 'G1', spec: '-' },
  GATEWAY_AND_INGRESS: { severity: 'info', rule: 'G1', spec: '-' },
  GATEWAY_SEVERAL_SERVE_HOST: { severity: 'info', rule: 'G1', spec: '-' },
  GATEWAY_ROUTE_NOT_ATTACHED: { severity: 'warning', rule: 'G2', spec: '-' },
  GATEWAY_ATTACHMENT_FROM_STATUS: { severity: 'info', rule: 'G2', spec: '-' },
  GATEWAY_ROUTE_HOSTNAME_MISMATCH: { severity: 'warning', rule: 'G3', spec: '-' },
  GATEWAY_NO_ROUTE_MATCH: { severity: 'error', rule: 'G4', spec: '-' },
  GATEWAY_REGEX_PATH: { severity: 'info', rule: 'G5', spec: '-' },
  GATEWAY_RULE_NO_BACKENDS: { severity: 'error', rule: 'G6', spec: '-' },
  GATEWAY_BACKEND_WEIGHT_ZERO: { severity: 'info', rule: 'G6', spec: '-' },
  GATEWAY_WEIGHTED_BACKENDS: { severity: 'info', rule: 'G6', spec: '-' },
  GATEWAY_BACKEND_NOT_FOUND: { severity: 'error', rule: 'G6', spec: '-' },
  GATEWAY_BACKEND_UNSUPPORTED_KIND: { severity: 'error', rule: 'G6', spec: '-' },
  GATEWAY_BACKEND_PORT_MISSING: { severity: 'error', rule: 'G6', spec: '-' },
  GATEWAY_BACKEND_NOT_PERMITTED: { severity: 'error', rule: 'G7', spec: '-' },
  GATEWAY_REDIRECT: { severity: 'info', rule: 'G8', spec: '-' },
  GATEWAY_URL_REWRITE: { severity: 'info', rule: 'G8', spec: '-' },
  GATEWAY_MIRROR: { severity: 'info', rule: 'G8', spec: '-' },
  GATEWAY_FILTER_UNSUPPORTED: { severity: 'info', rule: 'G8', spec: '-' },
  GATEWAY_CLASS_NOT_FOUND: { severity: 'error', rule: 'G9', spec: '-' },
  GATEWAY_NOT_ACCEPTED: { severity: 'warning', rule: 'G9', spec: '-' },
} as const satisfies Record<string, CatalogueEntry>;

export type FindingCode = keyof typeof FINDING_CATALOGUE;

/** Builds a finding; the severity defaults to the catalogue's. */
export function finding(code: FindingCode, message: string, objects: readonly ObjectRef[] = [], severity?: Severity): Finding {
  const entry: CatalogueEntry = FINDING_CATALOGUE[code];
  return { code, severity: severity ?? entry.severity, rule: entry.rule, message, objects };
}

export function ref(kind: string, namespace: string | null, name: string): ObjectRef {
  return { kind, namespace, name };
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Deterministic order: severity, then detection order; exact duplicates (code + message) removed. */
export function orderFindings(list: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const unique: Finding[] = [];
  for (const f of list) {
    const k = `${f.code}\u0000${f.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    unique.push(f);
  }
  return unique
    .map((f, i) => ({ f, i }))
    .sort((a, b) => ORDER[a.f.severity] - ORDER[b.f.severity] || a.i - b.i)
    .map((x) => x.f);
}
