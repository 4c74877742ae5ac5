/**
 * loadKubeConfig: finds the cluster to watch the way kubectl does, and refuses to guess.
 *
 * Order: `--kubeconfig FILE`; else `KUBECONFIG` (path-list; missing files skipped; merged with the first
 * file's current-context winning, as kubectl does); else `~/.kube/config`; else the in-cluster service
 * account; else `--server URL` alone. `--context NAME` picks a context, `--server URL` overrides the
 * chosen cluster's server. When none applies, NoClusterConfiguredError says so (client-node's own
 * loadFromDefault would silently fall back to http://localhost:8080 and fail on every request).
 *
 * Plain `http://` servers (the project's simulator, `kubectl proxy`) get `skipTLSVerify`, without which
 * client-node refuses http. The default cluster name is the context name, or the server's host.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig, type Cluster } from '@kubernetes/client-node';

export class NoClusterConfiguredError extends Error {
  override readonly name = 'NoClusterConfiguredError';
}

export interface KubeConfigRequest {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly server?: string;
}

export interface KubeConfigEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  /** The service-account token file whose presence means "running in a Pod". */
  readonly serviceAccountTokenPath: string;
}

export interface LoadedKubeConfig {
  readonly kc: KubeConfig;
  /** Where the configuration came from (for the start log). */
  readonly source: string;
  readonly contextName: string;
  readonly server: string;
  /** The name history is stored under unless --cluster says otherwise. */
  readonly defaultClusterName: string;
}

export const DEFAULT_ENVIRONMENT: KubeConfigEnvironment = {
  env: process.env,
  home: homedir(),
  serviceAccountTokenPath: '/var/run/secrets/kubernetes.io/serviceaccount/token',
};

export function loadKubeConfig(req: KubeConfigRequest, environment: KubeConfigEnvironment = DEFAULT_ENVIRONMENT): LoadedKubeConfig {
  let kc = new KubeConfig();
  let source: string;
  let serverOnly = false;
  const kubeconfigEnv = environment.env['KUBECONFIG'] ?? '';
  const homeConfig = join(environment.home, '.kube', 'config');
  if (req.kubeconfig !== undefined) {
    if (!existsSync(req.kubeconfig)) throw new NoClusterConfiguredError(`kubeconfig file ${req.kubeconfig} does not exist`);
    kc.loadFromFile(req.kubeconfig);
    source = `--kubeconfig ${req.kubeconfig}`;
  } else if (kubeconfigEnv.split(delimiter).some((f) => f && existsSync(f))) {
    const files = kubeconfigEnv.split(delimiter).filter((f) => f && existsSync(f));
    kc = mergeFirstWins(files.map((file) => {
      const one = new KubeConfig();
      one.loadFromFile(file);
      return one;
    }));
    source = `KUBECONFIG ${files.join(delimiter)}`;
  } else if (existsSync(homeConfig)) {
    kc.loadFromFile(homeConfig);
    source = homeConfig;
  } else if (existsSync(environment.serviceAccountTokenPath) && environment.env['KUBERNETES_SERVICE_HOST']) {
    kc.loadFromCluster();
    source = 'in-cluster service account';
  } else if (req.server !== undefined) {
    serverOnly = true;
    source = '--server';
  } else {
    const why = kubeconfigEnv ? `KUBECONFIG=${kubeconfigEnv} names no existing file, ` : '';
    throw new NoClusterConfiguredError(
      `no Kubernetes cluster configured: ${why}no ${homeConfig}, not running in a cluster, and no --server; ` +
        'pass --kubeconfig FILE, --server URL, or set KUBECONFIG',
    );
  }

  if (serverOnly) {
    const server = checkedServer(req.server!);
    kc.loadFromClusterAndUser(clusterFor(new URL(server).host, server, false), { name: 'routetrace' });
    if (req.context !== undefined) throw new NoClusterConfiguredError(`--context ${req.context}: no kubeconfig was found to take contexts from`);
    return { kc, source, contextName: kc.getCurrentContext(), server, defaultClusterName: new URL(server).host };
  }

  if (req.context !== undefined) {
    if (!kc.getContextObject(req.context)) {
      throw new NoClusterConfiguredError(`--context ${req.context}: no such context in ${source} (has: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(req.context);
  }
  const contextName = kc.getCurrentContext();
  const current = kc.getCurrentCluster();
  if (!contextName || !current) {
    throw new NoClusterConfiguredError(`${source}: no current context${contextName ? ` (context ${contextName} names no cluster)` : ''}; pass --context NAME`);
  }
  const server = checkedServer(req.server ?? current.server);
  if (server !== current.server || (server.startsWith('http:') && !current.skipTLSVerify)) {
    kc = withCluster(kc, clusterFor(current.name, server, current.skipTLSVerify, current));
  }
  return { kc, source, contextName, server, defaultClusterName: contextName };
}

function checkedServer(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new NoClusterConfiguredError(`server '${server}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new NoClusterConfiguredError(`server '${server}': only http and https are supported`);
  return server.replace(/\/+$/, '');
}

function clusterFor(name: string, server: string, skipTLSVerify: boolean, base?: Cluster): Cluster {
  return { ...(base ?? {}), name, server, skipTLSVerify: skipTLSVerify || server.startsWith('http:') };
}

function withCluster(kc: KubeConfig, cluster: Cluster): KubeConfig {
  const next = new KubeConfig();
  next.loadFromOptions({
    clusters: kc.getClusters().map((c) => (c.name === cluster.name ? cluster : c)),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  return next;
}

/** kubectl's merge of KUBECONFIG files: the first file that sets a value (or names an entry) wins. */
function mergeFirstWins(configs: KubeConfig[]): KubeConfig {
  const pick = <T extends { name: string }>(lists: T[][]): T[] => {
    const seen = new Map<string, T>();
    for (const list of lists) for (const entry of list) if (!seen.has(entry.name)) seen.set(entry.name, entry);
    return [...seen.values()];
  };
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: pick(configs.map((c) => c.getClusters())),
    users: pick(configs.map((c) => c.getUsers())),
    contexts: pick(configs.map((c) => c.getContexts())),
    currentContext: configs.map((c) => c.getCurrentContext()).find((name) => !!name) ?? '',
  });
  return merged;
}
