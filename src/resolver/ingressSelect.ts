/**
 * ingressSelect: which Ingress rule (or default backend) takes a request for host/path (§1, I1–I11).
 *
 * Host: port stripped, compared case-insensitively; exact host > wildcard (`*.foo.com`: exactly one more
 * label) > rules without host (I3, I4); a request whose host matched host rules is not re-tried against
 * host-less rules. Paths: Exact = byte equality (I6), Prefix = element-wise with trailing "/" ignored (I7);
 * longest path string wins, Exact before Prefix on equal length (I8), then the oldest Ingress. No match →
 * the defaultBackend (I10) of an Ingress that defines the host, else of any Ingress (oldest first), else no
 * route (404). ImplementationSpecific paths are matched as Prefix and flagged (I5). Controller-specific
 * behaviour (§8, e.g. ingress-nginx) is not modelled; findings say where it would differ.
 *
 * Only Ingresses some controller serves take part (I1): an Ingress whose class names no existing
 * IngressClass, or that the API server would reject (ingressValidation), routes nothing; the ones that
 * would otherwise cover the request are reported. A question may speak for one controller: one class, or
 * every class whose spec.controller it names.
 */
import type { Finding } from '../model/route.js';
import { finding, ref } from './findingCatalogue.js';
import { compareIngresses, type ClusterView, type IngressInfo, type IngressPathRef, type IngressRuleRef } from './ClusterView.js';

export type IngressMatch =
  | { readonly kind: 'rule'; readonly path: IngressPathRef }
  | { readonly kind: 'default'; readonly ingress: IngressInfo };

export interface IngressSelection {
  readonly match: IngressMatch | null;
  readonly tls: { readonly secretName: string | null } | null;
  readonly findings: readonly Finding[];
}

/** I3: does a rule host (lower case, maybe `*.x`) match the request host (lower case, no port)? */
export function hostMatches(ruleHost: string | null, requestHost: string): boolean {
  if (ruleHost === null || ruleHost === '') return true;
  const rule = ruleHost.toLowerCase();
  if (rule.startsWith('*.')) {
    const suffix = rule.slice(1);
    if (!requestHost.endsWith(suffix)) return false;
    const label = requestHost.slice(0, requestHost.length - suffix.length);
    return label.length > 0 && !label.includes('.');
  }
  return rule === requestHost;
}

/** I6/I7: does a path of this type match the request path? ImplementationSpecific is matched as Prefix. */
export function pathMatches(pathType: string, rulePath: string, requestPath: string): boolean {
  if (pathType === 'Exact') return rulePath === requestPath;
  const r = rulePath === '/' ? '/' : rulePath.replace(/\/+$/, '');
  if (r === '/' || r === '') return true;
  const req = requestPath.length > 1 ? requestPath.replace(/\/+$/, '') : requestPath;
  return req === r || requestPath.startsWith(r + '/');
}

const TYPE_RANK: Record<string, number> = { Exact: 0, Prefix: 1 };
const typeRank = (t: string) => TYPE_RANK[t] ?? 2;

/** I8: precedence between two matching paths (negative: a wins). */
export function comparePaths(a: IngressPathRef, b: IngressPathRef): number {
  return b.path.length - a.path.length || typeRank(a.pathType) - typeRank(b.pathType) || compareIngresses(a.ingress, b.ingress) || a.order - b.order;
}

/** Request host without port, lower case, without trailing dot. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h; // IPv6 literal: not an Ingress host
  const colon = h.lastIndexOf(':');
  if (colon >= 0 && h.indexOf(':') === colon) h = h.slice(0, colon);
  return h.replace(/\.$/, '');
}

/** URL path only (I5: no query, no fragment); empty → "/". */
export function normalizePath(path: string | undefined): string {
  if (!path) return '/';
  const cut = path.search(/[?#]/);
  const p = cut >= 0 ? path.slice(0, cut) : path;
  return p === '' ? '/' : p;
}

function ingressRef(i: IngressInfo) {
  return ref('Ingress', i.namespace, i.name);
}

/** Rules for the host from each tier (I4), limited to Ingresses `served` accepts. */
function tiers(view: ClusterView, host: string, served: (i: IngressInfo) => boolean) {
  const exact = view.rulesForHost(host).filter((r) => served(r.ingress));
  const dot = host.indexOf('.');
  const wildcard = dot > 0 ? view.rulesForWildcard(host.slice(dot)).filter((r) => served(r.ingress)) : [];
  const hostless = view.hostlessRules.filter((r) => served(r.ingress));
  return { exact, wildcard, hostless };
}

function tlsFor(view: ClusterView, host: string, primary: IngressInfo, served: (i: IngressInfo) => boolean): { secretName: string | null } | null {
  // The Ingress that took the request first (an entry without hosts covers its own rules), then any other
  // Ingress of the same controller listing the host (controllers merge certificates by host).
  for (const t of primary.obj.spec?.tls ?? []) {
    const hosts = t.hosts ?? [];
    if (hosts.length === 0 || hosts.some((h) => hostMatches(h.toLowerCase(), host))) return { secretName: t.secretName ?? null };
  }
  const dot = host.indexOf('.');
  const refs = [...view.tlsForHost(host), ...(dot > 0 ? view.tlsForHost(`*${host.slice(dot)}`) : [])];
  const found = refs.filter((r) => served(r.ingress)).sort((a, b) => compareIngresses(a.ingress, b.ingress))[0];
  return found ? { secretName: found.secretName } : null;
}

/**
 * I1: whether an existing controller serves the Ingress at all: the API server accepted it (a dump may hold
 * manifests it would reject, ingressValidation) and its class, by field or annotation, names an existing
 * IngressClass (no controller claims a class that has no IngressClass object). Ingresses without any class
 * take part, with a warning (classFindings).
 */
function servedByAnyController(view: ClusterView, i: IngressInfo): boolean {
  return i.invalid.length === 0 && (i.className === null || view.hasIngressClass(i.className));
}

/** Why an Ingress that covers the request takes no part (servedByAnyController is false for it). */
function exclusionFinding(view: ClusterView, i: IngressInfo): Finding {
  if (i.invalid.length > 0) {
    const errors = i.invalid.map((e) => `${e.field}: ${e.problem}`).join('; ');
    return finding(
      'INGRESS_INVALID',
      `Ingress ${i.namespace}/${i.name} would be rejected by the API server as a whole (${errors}); in a cluster it cannot exist, so none of its rules or backends route anything.`,
      [ingressRef(i)],
    );
  }
  const how = i.classSource === 'field' ? 'spec.ingressClassName' : 'the kubernetes.io/ingress.class annotation';
  const none = view.ingressClassNames.length === 0 ? ' The snapshot holds no IngressClass at all (a dump should include them: kubectl get ingressclass).' : ` Existing classes: ${view.ingressClassNames.join(', ')}.`;
  return finding(
    'INGRESS_CLASS_NOT_FOUND',
    `Ingress ${i.namespace}/${i.name} names IngressClass ${i.className} (${how}), which does not exist: no controller serves it, so its rules route nothing.${none}`,
    [ingressRef(i), ref('IngressClass', null, i.className!)],
  );
}

/** Which controller the question speaks for: one IngressClass, every class of one controller, or any. */
export interface ControllerChoice {
  readonly ingressClass?: string | undefined;
  /** IngressClass spec.controller, e.g. "k8s.io/ingress-nginx". */
  readonly controller?: string | undefined;
}

/**
 * I1/I2: which Ingresses take part. With an explicit class (or controller) only the Ingresses that controller
 * serves; otherwise every served Ingress, and when rules of several classes cover the host, the default
 * class (else the first class name) is followed.
 */
function classFilter(view: ClusterView, host: string, choice: ControllerChoice, findings: Finding[]): (i: IngressInfo) => boolean {
  if (choice.controller !== undefined) {
    const classes = new Set(view.ingressClassesOfController(choice.controller));
    if (classes.size === 0) {
      findings.push(finding('INGRESS_CONTROLLER_HAS_NO_CLASS', `No IngressClass names controller ${choice.controller}, so it serves no Ingress.`, []));
    }
    return (i) => i.className !== null && classes.has(i.className);
  }
  if (choice.ingressClass !== undefined) return (i) => i.className === choice.ingressClass;
  const all = tiers(view, host, (i) => servedByAnyController(view, i));
  const rules = all.exact.length ? all.exact : all.wildcard.length ? all.wildcard : all.hostless;
  const classes = [...new Set(rules.map((r) => r.ingress.className))];
  if (classes.length <= 1) return () => true;
  const named = classes.filter((c): c is string => c !== null).sort();
  const chosen = view.defaultIngressClass !== null && classes.includes(view.defaultIngressClass) ? view.defaultIngressClass : (named[0] ?? null);
  findings.push(
    finding(
      'MULTIPLE_INGRESS_CLASSES_MATCH',
      `Ingresses of several classes (${classes.map((c) => c ?? '<none>').join(', ')}) have rules for ${host}; each class is a different controller with its own address. Following class ${chosen ?? '<none>'}; ask with an explicit class for the others.`,
      rules.map((r) => ingressRef(r.ingress)),
    ),
  );
  return (i) => i.className === chosen;
}

/** Class warnings for the Ingress that took the request (I1, I2). */
function classFindings(view: ClusterView, ing: IngressInfo): Finding[] {
  const out: Finding[] = [];
  if (ing.className === null) {
    const dflt = view.defaultIngressClass;
    out.push(
      finding(
        'INGRESS_NO_CLASS',
        `Ingress ${ing.namespace}/${ing.name} names no IngressClass (neither spec.ingressClassName nor the kubernetes.io/ingress.class annotation); only a controller that also serves Ingresses without a class picks it up.${dflt ? ` The default class ${dflt} is applied only when an Ingress is created, never to existing ones.` : ''}`,
        [ingressRef(ing)],
      ),
    );
  }
  if (view.defaultIngressClasses.length > 1) {
    out.push(
      finding(
        'MULTIPLE_DEFAULT_INGRESS_CLASSES',
        `Several IngressClasses are marked default (${view.defaultIngressClasses.join(', ')}); new Ingresses without a class get the newest, ${view.defaultIngressClass}.`,
        view.defaultIngressClasses.map((c) => ref('IngressClass', null, c)),
      ),
    );
  }
  return out;
}

/** Selects the Ingress backend for a request. `port` must already be 80 or 443. */
export function selectIngressBackend(view: ClusterView, rawHost: string, rawPath: string | undefined, port: number, choice: ControllerChoice = {}): IngressSelection {
  const host = normalizeHost(rawHost);
  const path = normalizePath(rawPath);
  const findings: Finding[] = [];
  const eligible = classFilter(view, host, choice, findings);
  const served = (i: IngressInfo) => eligible(i) && servedByAnyController(view, i);
  const { exact, wildcard, hostless } = tiers(view, host, served);
  const tier: readonly IngressRuleRef[] = exact.length ? exact : wildcard.length ? wildcard : hostless;
  const tierName = exact.length ? 'rules for this host' : wildcard.length ? 'wildcard rules' : 'rules without host';

  // Ingresses covering the host as specifically as the rules that apply, but served by no controller.
  const seen = tiers(view, host, (i) => eligible(i) && !servedByAnyController(view, i));
  const depth = exact.length ? 1 : wildcard.length ? 2 : 3;
  const excluded = [...seen.exact, ...(depth >= 2 ? seen.wildcard : []), ...(depth >= 3 ? seen.hostless : [])].map((r) => r.ingress);
  for (const i of [...new Set(excluded)].sort(compareIngresses)) findings.push(exclusionFinding(view, i));
  const reportUnservedDefaults = () => {
    for (const i of view.defaultBackends) if (eligible(i) && !servedByAnyController(view, i) && !excluded.includes(i)) findings.push(exclusionFinding(view, i));
  };

  for (const r of tier) {
    if (!r.hasHttp) {
      findings.push(
        finding('INGRESS_RULE_WITHOUT_HTTP', `Ingress ${r.ingress.namespace}/${r.ingress.name} has a rule for ${r.host ?? 'every host'} without http paths; what it serves is up to the controller (treated as no path).`, [ingressRef(r.ingress)]),
      );
    }
  }

  let match: IngressMatch | null = null;
  if (tier.length > 0) {
    const candidates = tier.flatMap((r) => r.paths).filter((p) => pathMatches(p.pathType, p.path, path));
    candidates.sort(comparePaths);
    const best = candidates[0];
    if (best) {
      match = { kind: 'rule', path: best };
      const shadowed = candidates.filter((c) => c !== best && c.path === best.path && c.pathType === best.pathType && c.ingress !== best.ingress);
      if (shadowed.length > 0) {
        findings.push(
          finding(
            'INGRESS_SHADOWED_PATH',
            `Path ${best.path} (${best.pathType}) for ${best.host ?? 'every host'} is defined by several Ingresses; the oldest, ${best.ingress.namespace}/${best.ingress.name}, is used and ${shadowed.map((s) => `${s.ingress.namespace}/${s.ingress.name}`).join(', ')} never receive this traffic.`,
            [ingressRef(best.ingress), ...shadowed.map((s) => ingressRef(s.ingress))],
          ),
        );
      }
      if (best.pathType !== 'Exact' && best.pathType !== 'Prefix') {
        findings.push(
          finding('INGRESS_IMPLEMENTATION_SPECIFIC', `Path ${best.path} has pathType ${best.pathType}: its matching depends on the controller; it was matched as a Prefix path.`, [ingressRef(best.ingress)]),
        );
      }
    } else {
      const owners = [...new Set(tier.map((r) => r.ingress))].sort(compareIngresses);
      // I8/I10: the defaultBackend of an Ingress defining the host first; else any Ingress's defaultBackend
      // (the request matches none of that Ingress's rules). ingress-nginx would answer 404 here (N6).
      const own = owners.find((i) => i.obj.spec?.defaultBackend);
      const withDefault = own ?? view.defaultBackends.find(served);
      if (!withDefault) reportUnservedDefaults();
      if (withDefault) {
        match = { kind: 'default', ingress: withDefault };
        findings.push(
          finding(
            'INGRESS_DEFAULT_BACKEND',
            `No path of the ${tierName} matches ${path}; Ingress ${withDefault.namespace}/${withDefault.name}'s defaultBackend takes the request${own ? '' : ' (ingress-nginx would answer 404 instead: it uses only the defaultBackend of an Ingress defining the host)'}.`,
            [ingressRef(withDefault)],
          ),
        );
      } else {
        findings.push(
          finding(
            'NO_INGRESS_RULE_MATCH',
            `Host ${host} matches ${tierName} of ${owners.map((i) => `${i.namespace}/${i.name}`).join(', ')}, but no path matches ${path} and no Ingress has a defaultBackend: the controller answers 404.`,
            owners.map(ingressRef),
          ),
        );
      }
    }
  } else {
    const withDefault = view.defaultBackends.find(served);
    if (!withDefault) reportUnservedDefaults();
    if (withDefault) {
      match = { kind: 'default', ingress: withDefault };
      findings.push(
        finding('INGRESS_DEFAULT_BACKEND', `No Ingress rule covers host ${host}; Ingress ${withDefault.namespace}/${withDefault.name}'s defaultBackend takes the request.`, [ingressRef(withDefault)]),
      );
    } else {
      findings.push(
        finding(
          'NO_INGRESS_RULE_MATCH',
          !view.hasIngresses
            ? `${host} is not a Service address or cluster DNS name, and there is no Ingress in the snapshot.`
            : excluded.length > 0
              ? `No Ingress that a controller serves has a rule for host ${host} or a defaultBackend: a controller receiving the request answers 404.`
              : `No Ingress rule matches host ${host} and no Ingress has a defaultBackend: the controller answers 404.`,
          [],
        ),
      );
    }
  }

  let tls: { secretName: string | null } | null = null;
  if (match) {
    const ing = match.kind === 'rule' ? match.path.ingress : match.ingress;
    findings.push(...classFindings(view, ing));
    if (port === 443) {
      tls = tlsFor(view, host, ing, served);
      if (!tls) {
        findings.push(
          finding('INGRESS_TLS_NO_HOST', `HTTPS for ${host}: no Ingress lists ${host} under spec.tls, so TLS is terminated with the controller's default certificate (clients will likely reject it); routing still follows the Host header.`, [ingressRef(ing)]),
        );
      }
    }
  }
  return { match, tls, findings };
}
