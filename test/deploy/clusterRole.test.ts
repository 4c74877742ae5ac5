import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The ClusterRole in deploy/ grants read-only access to exactly the resources routetrace watches.
 * Any new verb or resource must be a deliberate change of this table.
 */
const EXPECTED: Record<string, string[]> = {
  '': ['endpoints', 'nodes', 'pods', 'services'],
  'discovery.k8s.io': ['endpointslices'],
  'networking.k8s.io': ['ingressclasses', 'ingresses'],
  'gateway.networking.k8s.io': ['gatewayclasses', 'gateways', 'grpcroutes', 'httproutes', 'referencegrants'],
};

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const role = parse(readFileSync(new URL('../../deploy/clusterrole.yaml', import.meta.url), 'utf8')) as {
  kind: string;
  rules: PolicyRule[];
};

describe('deploy/clusterrole.yaml', () => {
  it('is a ClusterRole', () => {
    expect(role.kind).toBe('ClusterRole');
  });

  it('grants only get, list and watch', () => {
    for (const rule of role.rules) expect([...(rule.verbs ?? [])].sort()).toEqual(['get', 'list', 'watch']);
  });

  it('grants exactly the watched resources, no wildcards, no subresources, no non-resource URLs', () => {
    const granted: Record<string, string[]> = {};
    for (const rule of role.rules) {
      expect(rule.nonResourceURLs).toBeUndefined();
      for (const group of rule.apiGroups ?? []) {
        expect(group).not.toBe('*');
        for (const res of rule.resources ?? []) {
          expect(res).not.toContain('*');
          expect(res).not.toContain('/');
          (granted[group] ??= []).push(res);
        }
      }
    }
    for (const g of Object.keys(granted)) granted[g]!.sort();
    expect(granted).toEqual(EXPECTED);
  });

  it('never grants secrets, configmaps or namespaces', () => {
    const all = role.rules.flatMap((r) => r.resources ?? []);
    expect(all).not.toContain('secrets');
    expect(all).not.toContain('configmaps');
    expect(all).not.toContain('namespaces');
  });
});
