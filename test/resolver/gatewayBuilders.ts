/**
 * Builders for Gateway API objects in resolver tests: small, with the defaults a manifest would leave out.
 */
import type {
  BackendRef,
  GatewayClassObject,
  GatewayObject,
  GRPCRouteObject,
  HTTPRouteObject,
  Listener,
  ParentReference,
  ReferenceGrantObject,
} from '../../src/model/gatewayObjects.js';
import type { KubeObject } from '../../src/model/objects.js';
import { ep, port, slice, svc } from './builders.js';

const T0 = '2026-11-20T10:00:00Z';
const GW = 'gateway.networking.k8s.io/v1';

function split(ref: string): { namespace: string; name: string } {
  const i = ref.indexOf('/');
  return i < 0 ? { namespace: 'default', name: ref } : { namespace: ref.slice(0, i), name: ref.slice(i + 1) };
}

export function gatewayClass(name = 'example', extra: Partial<GatewayClassObject> = {}): GatewayClassObject {
  return { apiVersion: GW, kind: 'GatewayClass', metadata: { name, creationTimestamp: T0 }, spec: { controllerName: 'example.com/gateway-controller' }, ...extra };
}

export function listener(name: string, p: number, extra: Partial<Listener> = {}): Listener {
  return { name, port: p, protocol: p === 443 ? 'HTTPS' : 'HTTP', ...extra };
}

export function gateway(ref: string, listeners: Listener[], extra: { className?: string; address?: string; created?: string } = {}): GatewayObject {
  return {
    apiVersion: GW,
    kind: 'Gateway',
    metadata: { ...split(ref), creationTimestamp: extra.created ?? T0 },
    spec: { gatewayClassName: extra.className ?? 'example', listeners },
    ...(extra.address ? { status: { addresses: [{ type: 'IPAddress', value: extra.address }] } } : {}),
  };
}

export interface RuleSpec {
  matches?: NonNullable<NonNullable<HTTPRouteObject['spec']>['rules']>[number]['matches'];
  backendRefs?: BackendRef[];
  filters?: NonNullable<NonNullable<HTTPRouteObject['spec']>['rules']>[number]['filters'];
  name?: string;
}

export function httpRoute(ref: string, parentRefs: ParentReference[], rules: RuleSpec[], extra: { hostnames?: string[]; created?: string; status?: HTTPRouteObject['status'] } = {}): HTTPRouteObject {
  return {
    apiVersion: GW,
    kind: 'HTTPRoute',
    metadata: { ...split(ref), creationTimestamp: extra.created ?? T0 },
    spec: { parentRefs, ...(extra.hostnames ? { hostnames: extra.hostnames } : {}), rules },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

export function grpcRoute(ref: string, parentRefs: ParentReference[], rules: NonNullable<NonNullable<GRPCRouteObject['spec']>['rules']>, extra: { hostnames?: string[]; created?: string } = {}): GRPCRouteObject {
  return {
    apiVersion: GW,
    kind: 'GRPCRoute',
    metadata: { ...split(ref), creationTimestamp: extra.created ?? T0 },
    spec: { parentRefs, ...(extra.hostnames ? { hostnames: extra.hostnames } : {}), rules },
  };
}

export function referenceGrant(ref: string, from: { kind: string; namespace: string }[], to: { kind: string; name?: string }[]): ReferenceGrantObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { ...split(ref), creationTimestamp: T0 },
    spec: { from: from.map((f) => ({ group: 'gateway.networking.k8s.io', ...f })), to: to.map((t) => ({ group: '', ...t })) },
  };
}

/** A backendRef to Service `name` port 80 (weight given or default). */
export function to(name: string, weight?: number, extra: Partial<BackendRef> = {}): BackendRef {
  return { name, port: 80, ...(weight !== undefined ? { weight } : {}), ...extra };
}

/** A Service `ref` (port 80 → 8080) with one ready endpoint at `ip`:8080, so backends show which Service won. */
export function backendService(ref: string, ip: string): KubeObject[] {
  const { namespace, name } = split(ref);
  return [
    svc(`${namespace}/${name}`, { clusterIP: `10.96.${ip.split('.').slice(2).join('.')}`, selector: { app: name }, ports: [port(80, { name: 'http', targetPort: 8080 })] }),
    slice(`${namespace}/${name}-x`, name, [{ name: 'http', port: 8080, protocol: 'TCP' }], [ep(ip, { ready: true })], { managedBy: 'staff' }),
  ];
}
