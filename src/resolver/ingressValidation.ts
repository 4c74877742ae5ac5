/**
 * ingressValidation: the field errors for which the API server rejects an Ingress as a whole (I3, I5, I9, I10).
 *
 * Follows kubernetes/kubernetes pkg/apis/networking/validation/validation.go (ValidateIngressSpec,
 * validateIngressRules, validateHTTPIngressRuleValue, validateHTTPIngressPath, validateIngressBackend):
 *  - spec: a defaultBackend or at least one rule; ingressClassName a DNS-1123 subdomain;
 *  - tls[i].hosts: DNS-1123 subdomains or wildcards (validateIngressTLS); secretName a DNS-1123 subdomain;
 *  - rules[i].host: a lower-case DNS-1123 subdomain, or `*.` + one (IsWildcardDNS1123Subdomain); not an IP;
 *  - rules[i].http.paths: at least one; each with a pathType (networking/v1 has no default); Exact and Prefix
 *    paths absolute, without `//`, `/./`, `/../`, `%2f`, `%2F`, not ending in `/..` or `/.`;
 *    ImplementationSpecific paths absolute when not empty; any other pathType unsupported;
 *  - backends: exactly one of service and resource; a service name that is a DNS-1035 label; exactly one of
 *    port.name (an IANA_SVC_NAME) and port.number (1–65535).
 * An Ingress with any such error never exists in a cluster: when one appears in a dump (hand-written
 * manifests, a dump edited by hand) it routes nothing. Pure; field paths are written as the API server
 * writes them (`spec.rules[0].http.paths[1].path`).
 */
import type { IngressBackend, IngressObject } from '../model/objects.js';
import { canonicalIP } from './canonicalIP.js';

export interface IngressFieldError {
  /** The field path, as the API server names it. */
  readonly field: string;
  /** What is wrong, in the API server's words. */
  readonly problem: string;
}

const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function subdomainProblem(host: string): string | null {
  if (host.length > 253) return 'must be no more than 253 characters';
  if (!DNS1123_SUBDOMAIN.test(host)) return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  return null;
}

function wildcardOrSubdomainProblem(host: string): string | null {
  if (host.includes('*')) {
    if (!host.startsWith('*.')) return "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain";
    return subdomainProblem(host.slice(2));
  }
  return subdomainProblem(host);
}

function hostProblem(host: string): string | null {
  if (canonicalIP(host) !== null) return 'must be a DNS name, not an IP address';
  return wildcardOrSubdomainProblem(host);
}

/** Port names: IANA_SVC_NAME (validation.IsValidPortName): ≤15 characters, a letter, no "--". */
function portNameProblem(name: string): string | null {
  if (name.length > 15) return 'must be no more than 15 characters';
  if (!IANA_SVC_NAME.test(name)) return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter (a-z)';
  return null;
}

function backendErrors(b: IngressBackend, field: string): IngressFieldError[] {
  const out: IngressFieldError[] = [];
  if (b.service && b.resource) return [{ field, problem: 'cannot set both resource and service backends' }];
  if (!b.service && !b.resource) return [{ field, problem: 'resource or service backend is required' }];
  if (!b.service) return out;
  const name = b.service.name ?? '';
  if (!DNS1035_LABEL.test(name) || name.length > 63) out.push({ field: `${field}.service.name`, problem: `Invalid value ${JSON.stringify(name)}: a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with a letter and end with an alphanumeric character` });
  const port = b.service.port;
  const hasName = Boolean(port?.name);
  const hasNumber = port?.number !== undefined && port?.number !== null && port.number !== 0;
  if (hasName && hasNumber) out.push({ field: `${field}.service.port`, problem: 'cannot set both port name & port number' });
  else if (hasName) {
    const p = portNameProblem(port!.name!);
    if (p) out.push({ field: `${field}.service.port.name`, problem: `Invalid value ${JSON.stringify(port!.name)}: ${p}` });
  } else if (hasNumber) {
    const n = port!.number!;
    if (!Number.isInteger(n) || n < 1 || n > 65535) out.push({ field: `${field}.service.port.number`, problem: `Invalid value ${n}: must be between 1 and 65535, inclusive` });
  } else out.push({ field: `${field}.service.port`, problem: 'port name or number is required' });
  return out;
}

function pathErrors(path: string | null | undefined, pathType: string | null | undefined, field: string): IngressFieldError[] {
  if (!pathType) return [{ field: `${field}.pathType`, problem: 'Required value: pathType must be specified' }];
  const p = path ?? '';
  if (pathType === 'Exact' || pathType === 'Prefix') {
    const out: IngressFieldError[] = [];
    if (!p.startsWith('/')) out.push({ field: `${field}.path`, problem: `Invalid value ${JSON.stringify(p)}: must be an absolute path` });
    for (const seq of INVALID_PATH_SEQUENCES) if (p.includes(seq)) out.push({ field: `${field}.path`, problem: `Invalid value ${JSON.stringify(p)}: must not contain '${seq}'` });
    for (const suf of INVALID_PATH_SUFFIXES) if (p.endsWith(suf)) out.push({ field: `${field}.path`, problem: `Invalid value ${JSON.stringify(p)}: cannot end with '${suf}'` });
    return out;
  }
  if (pathType === 'ImplementationSpecific') {
    return p.length > 0 && !p.startsWith('/') ? [{ field: `${field}.path`, problem: `Invalid value ${JSON.stringify(p)}: must be an absolute path` }] : [];
  }
  return [{ field: `${field}.pathType`, problem: `Unsupported value ${JSON.stringify(pathType)}: supported values: "Exact", "ImplementationSpecific", "Prefix"` }];
}

/** Every field error of the Ingress, in spec order; empty when the API server accepts it. */
export function validateIngress(obj: IngressObject): IngressFieldError[] {
  const spec = obj.spec ?? {};
  const out: IngressFieldError[] = [];
  const rules = spec.rules ?? [];
  if (!spec.defaultBackend && rules.length === 0) out.push({ field: 'spec', problem: 'either `defaultBackend` or `rules` must be specified' });
  if (spec.ingressClassName) {
    const problem = subdomainProblem(spec.ingressClassName);
    if (problem) out.push({ field: 'spec.ingressClassName', problem: `Invalid value ${JSON.stringify(spec.ingressClassName)}: ${problem}` });
  }
  if (spec.defaultBackend) out.push(...backendErrors(spec.defaultBackend, 'spec.defaultBackend'));
  (spec.tls ?? []).forEach((t, i) => {
    (t.hosts ?? []).forEach((h, j) => {
      const problem = wildcardOrSubdomainProblem(h);
      if (problem) out.push({ field: `spec.tls[${i}].hosts[${j}]`, problem: `Invalid value ${JSON.stringify(h)}: ${problem}` });
    });
    const secretProblem = t.secretName ? subdomainProblem(t.secretName) : null;
    if (secretProblem) out.push({ field: `spec.tls[${i}].secretName`, problem: `Invalid value ${JSON.stringify(t.secretName)}: ${secretProblem}` });
  });
  rules.forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    if (rule.host) {
      const problem = hostProblem(rule.host);
      if (problem) out.push({ field: `${at}.host`, problem: `Invalid value ${JSON.stringify(rule.host)}: ${problem}` });
    }
    if (!rule.http) return;
    const paths = rule.http.paths ?? [];
    if (paths.length === 0) out.push({ field: `${at}.http.paths`, problem: 'Required value' });
    paths.forEach((p, j) => {
      const pf = `${at}.http.paths[${j}]`;
      out.push(...pathErrors(p.path, p.pathType, pf));
      // A path without pathType is reported alone, as the API server does.
      if (p.pathType) out.push(...backendErrors(p.backend ?? {}, `${pf}.backend`));
    });
  });
  return out;
}
