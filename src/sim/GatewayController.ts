/**
 * GatewayController: a Gateway API implementation's status writer, as a conformant controller keeps it
 * (gateway-api apis/v1 GatewayClassStatus, GatewayStatus, RouteParentStatus), for the GatewayClasses whose
 * spec.controllerName is GATEWAY_CONTROLLER_NAME.
 *
 *  - GatewayClass: Accepted=True.
 *  - Gateway of such a class: status.addresses (an IP allocated once per Gateway from 198.51.100.0/24),
 *    Accepted=True and Programmed=True, and per listener attachedRoutes, supportedKinds and
 *    Accepted/Programmed/ResolvedRefs=True.
 *  - HTTPRoute/GRPCRoute: one status.parents entry per parentRef naming such a Gateway (entries of other
 *    controllers are kept): Accepted=True when some listener admits it (sectionName/port, allowedRoutes kinds
 *    and namespaces, with namespace labels from the Namespace objects, hostname intersection), else False
 *    with reason NoMatchingParent, NotAllowedByListeners or NoMatchingListenerHostname; ResolvedRefs=True
 *    when every backendRef is a Service that exists and (across namespaces) a ReferenceGrant permits, else
 *    False with reason InvalidKind, BackendNotFound or RefNotPermitted.
 * Any change of a Gateway API object, Service or Namespace recomputes every status (there are few); a write
 * happens only when a status differs, and a condition keeps its lastTransitionTime while its status holds.
 * The hostname and ReferenceGrant rules are the resolver's pure helpers (src/resolver/gateway).
 */
import type { Condition, GatewayClassObject, GatewayObject, GRPCRouteObject, HTTPRouteObject, Listener, ParentReference, ReferenceGrantObject, RouteParentStatus } from '../model/gatewayObjects.js';
import { GATEWAY_GROUP } from '../model/gatewayObjects.js';
import { intersectHostnames } from '../resolver/gateway/gatewayHostnames.js';
import { referencePermitted } from '../resolver/gateway/referenceGrants.js';
import { type Controller, type ControllerHost, jsonEqual } from './Controller.js';
import { matchesSelectorMap } from './labelSelector.js';
import type { SimObject, StoredEvent } from './Store.js';

export const GATEWAY_CONTROLLER_NAME = 'sim.routetrace.dev/gateway-controller';

const WATCHED = new Set(['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant', 'Service', 'Namespace']);
type RouteObject = HTTPRouteObject | GRPCRouteObject;
type TimedCondition = Condition & { message?: string; lastTransitionTime?: string; observedGeneration?: number };

function isoSeconds(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

export class GatewayController implements Controller {
  readonly name = 'gateway-api';
  private dirty = false;
  private readonly addresses = new Map<string, string>();

  constructor(private readonly host: ControllerHost) {}

  observe(e: StoredEvent): void {
    if (WATCHED.has(e.kind)) this.dirty = true;
  }

  sync(): boolean {
    if (!this.dirty) return false;
    this.dirty = false;
    const { store } = this.host;
    const classes = (store.list('GatewayClass') as GatewayClassObject[]).filter((c) => c.spec?.controllerName === GATEWAY_CONTROLLER_NAME);
    const ours = new Set(classes.map((c) => c.metadata.name));
    for (const c of classes) this.write(c, { conditions: this.conditions(c.status?.conditions, [['Accepted', true, 'Accepted', 'handled by the simulated controller']]) });
    const gateways = (store.list('Gateway') as GatewayObject[]).filter((g) => ours.has(g.spec?.gatewayClassName ?? ''));
    const routes: [string, RouteObject][] = [
      ...(store.list('HTTPRoute') as HTTPRouteObject[]).map((r): [string, RouteObject] => ['HTTPRoute', r]),
      ...(store.list('GRPCRoute') as GRPCRouteObject[]).map((r): [string, RouteObject] => ['GRPCRoute', r]),
    ];
    const attached = new Map<string, number>();
    for (const [kind, route] of routes) this.syncRoute(kind, route, gateways, attached);
    for (const g of gateways) this.syncGateway(g, attached);
    return true;
  }

  private write(obj: SimObject | GatewayClassObject | GatewayObject | RouteObject, status: object): void {
    if (jsonEqual(obj.status ?? {}, status)) return;
    this.host.systemPut({ ...(obj as SimObject), status } as SimObject);
  }

  /** Conditions with their lastTransitionTime kept while the status holds. */
  private conditions(previous: readonly TimedCondition[] | null | undefined, wanted: [type: string, ok: boolean, reason: string, message: string][]): TimedCondition[] {
    const now = isoSeconds(this.host.now());
    return wanted.map(([type, ok, reason, message]) => {
      const status = ok ? 'True' : 'False';
      const old = (previous ?? []).find((c) => c.type === type);
      return { type, status, reason, message, lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : now };
    });
  }

  private addressOf(g: GatewayObject): string {
    const key = `${g.metadata.namespace ?? ''}/${g.metadata.name}`;
    let ip = this.addresses.get(key);
    if (!ip) this.addresses.set(key, (ip = `198.51.100.${10 + this.addresses.size}`));
    return ip;
  }

  private syncGateway(g: GatewayObject, attached: ReadonlyMap<string, number>): void {
    const ns = g.metadata.namespace ?? 'default';
    const listeners = (g.spec?.listeners ?? []).map((l) => ({
      name: l.name,
      attachedRoutes: attached.get(`${ns}/${g.metadata.name}/${l.name}`) ?? 0,
      supportedKinds: kindsOf(l).map((kind) => ({ group: GATEWAY_GROUP, kind })),
      conditions: this.conditions((g.status?.listeners ?? []).find((x) => x.name === l.name)?.conditions, [
        ['Accepted', true, 'Accepted', 'listener accepted'],
        ['Programmed', true, 'Programmed', 'listener programmed'],
        ['ResolvedRefs', true, 'ResolvedRefs', 'references resolved'],
      ]),
    }));
    this.write(g, {
      addresses: [{ type: 'IPAddress', value: this.addressOf(g) }],
      conditions: this.conditions(g.status?.conditions, [['Accepted', true, 'Accepted', 'gateway accepted'], ['Programmed', true, 'Programmed', 'gateway programmed']]),
      listeners,
    });
  }

  private namespaceLabels(ns: string): Record<string, string> {
    return this.host.store.get('Namespace', undefined, ns)?.metadata.labels ?? { 'kubernetes.io/metadata.name': ns };
  }

  /** Why a listener refuses the route (null: it admits it). */
  private refusal(kind: string, route: RouteObject, ref: ParentReference, g: GatewayObject, l: Listener): string | null {
    if ((ref.sectionName && ref.sectionName !== l.name) || (ref.port && ref.port !== l.port)) return 'NoMatchingParent';
    if (!kindsOf(l).includes(kind)) return 'NotAllowedByListeners';
    const routeNs = route.metadata.namespace ?? 'default';
    const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
    if (from === 'Same' && routeNs !== (g.metadata.namespace ?? 'default')) return 'NotAllowedByListeners';
    if (from === 'Selector') {
      const sel = l.allowedRoutes?.namespaces?.selector;
      if ((sel?.matchExpressions ?? []).length > 0 || !matchesSelectorMap(sel?.matchLabels ?? {}, this.namespaceLabels(routeNs))) return 'NotAllowedByListeners';
    }
    const hosts = route.spec?.hostnames ?? [];
    if (hosts.length > 0 && !hosts.some((h) => intersectHostnames(h, l.hostname ?? null) !== false)) return 'NoMatchingListenerHostname';
    return null;
  }

  private resolvedRefs(kind: string, route: RouteObject): [boolean, string, string] {
    const routeNs = route.metadata.namespace ?? 'default';
    const grants = this.host.store.list('ReferenceGrant') as ReferenceGrantObject[];
    for (const rule of route.spec?.rules ?? []) {
      for (const b of rule.backendRefs ?? []) {
        const ns = b.namespace ?? routeNs;
        if ((b.group ?? '') !== '' || (b.kind ?? 'Service') !== 'Service') return [false, 'InvalidKind', `${b.kind} is not a supported backend kind`];
        if (!referencePermitted(grants, { fromKind: kind, fromNamespace: routeNs, toGroup: '', toKind: 'Service', toNamespace: ns, toName: b.name })) return [false, 'RefNotPermitted', `no ReferenceGrant permits Service ${ns}/${b.name}`];
        if (!this.host.store.get('Service', ns, b.name)) return [false, 'BackendNotFound', `Service ${ns}/${b.name} not found`];
      }
    }
    return [true, 'ResolvedRefs', 'all references resolved'];
  }

  private syncRoute(kind: string, route: RouteObject, gateways: readonly GatewayObject[], attached: Map<string, number>): void {
    const routeNs = route.metadata.namespace ?? 'default';
    const parents: RouteParentStatus[] = [];
    const previous = route.status?.parents ?? [];
    for (const ref of route.spec?.parentRefs ?? []) {
      if ((ref.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (ref.kind ?? 'Gateway') !== 'Gateway') continue;
      const g = gateways.find((x) => x.metadata.name === ref.name && (x.metadata.namespace ?? 'default') === (ref.namespace ?? routeNs));
      if (!g) continue;
      let reason = 'NoMatchingParent';
      let accepted = false;
      for (const l of g.spec?.listeners ?? []) {
        const why = this.refusal(kind, route, ref, g, l);
        if (why === null) {
          accepted = true;
          const key = `${g.metadata.namespace ?? 'default'}/${g.metadata.name}/${l.name}`;
          attached.set(key, (attached.get(key) ?? 0) + 1);
        } else if (why !== 'NoMatchingParent' || reason === 'NoMatchingParent') reason = why;
      }
      const [ok, refReason, refMessage] = this.resolvedRefs(kind, route);
      const old = previous.find((p) => p.controllerName === GATEWAY_CONTROLLER_NAME && jsonEqual(p.parentRef, ref));
      parents.push({
        parentRef: ref,
        controllerName: GATEWAY_CONTROLLER_NAME,
        conditions: this.conditions(old?.conditions, [
          ['Accepted', accepted, accepted ? 'Accepted' : reason, accepted ? 'route attached' : `no listener admits the route (${reason})`],
          ['ResolvedRefs', ok, refReason, refMessage],
        ]),
      });
    }
    const others = previous.filter((p) => p.controllerName !== GATEWAY_CONTROLLER_NAME);
    if (parents.length === 0 && others.length === previous.length) return;
    this.write(route, { parents: [...others, ...parents] });
  }
}

function kindsOf(l: Listener): string[] {
  const kinds = l.allowedRoutes?.kinds;
  if (kinds && kinds.length > 0) return kinds.filter((k) => (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP).map((k) => k.kind);
  return l.protocol === 'HTTP' || l.protocol === 'HTTPS' ? ['HTTPRoute', 'GRPCRoute'] : [];
}
