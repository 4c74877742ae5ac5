/**
 * Allocators: hands out Service cluster IPs (10.96.0.0/12), NodePorts (30000–32767) and Pod IPs
 * (10.244.0.0/14), never giving out a value that a stored object already uses. In-use sets follow the
 * store, so values freed by deletions become available again.
 */
import { ApiError } from './ApiError.js';
import type { Store } from './Store.js';

export interface SimNode {
  readonly name: string;
  readonly hostIP: string;
  readonly zone: string;
}

export class Allocators {
  readonly clusterIPs = new Set<string>();
  readonly nodePorts = new Set<number>();
  readonly podIPs = new Set<string>();
  private nextClusterIP = 10;
  private nextNodePort = 30000;
  private nextPodIP = 2;
  private nextNode = 0;

  constructor(
    store: Store,
    readonly nodes: readonly SimNode[],
  ) {
    store.onChange((e) => {
      if (e.kind === 'Service') {
        if (e.prev) this.releaseService(e.prev);
        if (e.type !== 'DELETED') this.claimService(e.object);
      } else if (e.kind === 'Pod') {
        const prevIP = (e.prev as { status?: { podIP?: string } } | undefined)?.status?.podIP;
        if (prevIP) this.podIPs.delete(prevIP);
        const ip = (e.object as { status?: { podIP?: string } }).status?.podIP;
        if (ip && e.type !== 'DELETED') this.podIPs.add(ip);
      }
    });
  }

  private releaseService(o: object): void {
    const spec = (o as { spec?: unknown }).spec as { clusterIPs?: string[]; clusterIP?: string; ports?: { nodePort?: number }[] } | undefined;
    for (const ip of spec?.clusterIPs ?? (spec?.clusterIP ? [spec.clusterIP] : [])) this.clusterIPs.delete(ip);
    for (const p of spec?.ports ?? []) if (p.nodePort) this.nodePorts.delete(p.nodePort);
  }

  private claimService(o: object): void {
    const spec = (o as { spec?: unknown }).spec as { clusterIPs?: string[]; clusterIP?: string; ports?: { nodePort?: number }[] } | undefined;
    for (const ip of spec?.clusterIPs ?? (spec?.clusterIP ? [spec.clusterIP] : [])) if (ip !== 'None') this.clusterIPs.add(ip);
    for (const p of spec?.ports ?? []) if (p.nodePort) this.nodePorts.add(p.nodePort);
  }

  clusterIP(): string {
    for (let tries = 0; tries < 1 << 20; tries++) {
      const n = this.nextClusterIP++;
      if (this.nextClusterIP >= 1 << 20) this.nextClusterIP = 10;
      const ip = `10.${96 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
      if ((n & 255) === 0 || (n & 255) === 255) continue;
      if (!this.clusterIPs.has(ip)) return ip;
    }
    throw new ApiError(500, 'InternalError', 'failed to allocate a serviceIP: range is full');
  }

  nodePort(): number {
    for (let tries = 0; tries <= 2768; tries++) {
      const p = this.nextNodePort++;
      if (this.nextNodePort > 32767) this.nextNodePort = 30000;
      if (!this.nodePorts.has(p)) return p;
    }
    throw new ApiError(422, 'Invalid', 'spec.ports[0].nodePort: Internal error: range is full');
  }

  podIP(): string {
    for (let tries = 0; tries < 1 << 18; tries++) {
      const n = this.nextPodIP++;
      if (this.nextPodIP >= 1 << 18) this.nextPodIP = 2;
      if ((n & 255) === 0 || (n & 255) === 255) continue;
      const ip = `10.${244 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
      if (!this.podIPs.has(ip)) return ip;
    }
    throw new ApiError(500, 'InternalError', 'no pod IPs left');
  }

  node(): SimNode {
    const n = this.nodes[this.nextNode++ % this.nodes.length];
    if (!n) throw new Error('Allocators: no nodes');
    return n;
  }
}
