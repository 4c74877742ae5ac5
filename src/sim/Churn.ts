/**
 * Churn: realistic change at a steady rate, deterministic for a seed.
 *
 * Churn runs a few Deployment-like apps of its own (namespace `shop`: Services with a named targetPort,
 * Ingresses, Pods labelled `churn.routetrace.dev/app`). Each step is one action, chosen by the seeded
 * generator: scale up (a new Pod goes Pending → Running-not-ready → Ready over the next steps), scale
 * down (graceful delete), rolling restart (new Pods with a new pod-template-hash replace the old ones one
 * by one), readiness flap (Ready False, later True), Ingress edit (path/host/backend changes), Service
 * edit (targetPort named ↔ numeric). Follow-up stages are queued and run before new actions. Churn
 * decides from its own record of the Pods it created and deleted (never from the store), so the sequence
 * of writes depends only on the seed and the number of steps; wall-clock time only decides when steps
 * run and when graceful deletions complete. Pods removed by someone else are skipped when reached.
 *
 * Churn Pods carry fields routing does not use — env vars (some secret-looking, e.g.
 * `DB_PASSWORD=hunter2-secret`), command/args, volumes, resources, annotations — so consumers can prove
 * they drop them.
 */
import type { Cluster } from './Cluster.js';
import { isoSeconds } from './defaulting.js';
import { Random } from './Random.js';
import type { SimObject } from './Store.js';

export const CHURN_NAMESPACE = 'shop';
export const CHURN_APP_LABEL = 'churn.routetrace.dev/app';

interface App {
  name: string;
  replicas: number;
  hash: string;
  ingress: boolean;
  /** Names of the Pods churn created for this app and has not deleted, oldest first. */
  live: string[];
}

const APPS: readonly Omit<App, 'live'>[] = [
  { name: 'web', replicas: 3, hash: '5c7d9b8f6', ingress: true },
  { name: 'api', replicas: 3, hash: '6b4f8d7c9', ingress: true },
  { name: 'cart', replicas: 2, hash: '7f9c6d5b8', ingress: false },
  { name: 'search', replicas: 2, hash: '8d6b7c9f5', ingress: true },
];

type Stage = () => void;

export class Churn {
  private readonly random: Random;
  private readonly apps: App[];
  private readonly followUps: Stage[] = [];
  private timer: NodeJS.Timeout | undefined;
  private rateValue = 0;
  private budget = 0;
  private last = 0;
  private installed = false;
  private restartCounter = 0;
  /** Steps taken so far. */
  steps = 0;

  constructor(
    private readonly cluster: Cluster,
    seed: number,
  ) {
    this.random = new Random(seed ^ 0x5bd1e995);
    this.apps = APPS.map((a) => ({ ...a, live: [] }));
  }

  get rate(): number {
    return this.rateValue;
  }

  /** Creates the churn apps (idempotent). */
  install(): void {
    if (this.installed) return;
    this.installed = true;
    this.cluster.batch(() => {
      for (const app of this.apps) {
        this.cluster.apply(this.service(app, 'http'));
        if (app.ingress) this.cluster.apply(this.ingress(app, 0));
        for (let i = 0; i < app.replicas; i++) app.live.push(this.cluster.apply(this.pod(app, 'ready')).metadata.name);
      }
    });
  }

  /** Sets the rate in steps per second; 0 stops. */
  setRate(perSecond: number): void {
    this.rateValue = perSecond;
    if (perSecond <= 0) {
      if (this.timer) clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    this.install();
    if (this.timer) return;
    this.last = Date.now();
    this.budget = 0;
    const interval = Math.max(5, Math.min(1000, Math.floor(1000 / perSecond)));
    this.timer = setInterval(() => {
      const now = Date.now();
      this.budget += ((now - this.last) / 1000) * this.rateValue;
      this.last = now;
      const n = Math.min(Math.floor(this.budget), Math.max(1, Math.ceil(this.rateValue)));
      this.budget -= n;
      if (n > 0) this.step(n);
    }, interval);
  }

  stop(): void {
    this.setRate(0);
  }

  /** Runs `n` steps now, each one API operation (controllers react after each). */
  step(n = 1): void {
    this.install();
    for (let i = 0; i < n; i++) {
      this.steps++;
      const next = this.followUps.shift();
      this.cluster.batch(() => (next ? next() : this.action()));
    }
  }

  private action(): void {
    const app = this.random.pick(this.apps);
    const live = app.live;
    const r = this.random.next();
    if (r < 0.2 || live.length === 0) this.scaleUp(app);
    else if (r < 0.35 && live.length > 1) this.deletePod(app, this.random.pick(live));
    else if (r < 0.45) this.rollingRestart(app);
    else if (r < 0.75) this.flap(this.random.pick(live));
    else if (r < 0.9 && app.ingress) this.cluster.apply(this.ingress(app, this.random.int(4)));
    else this.cluster.apply(this.service(app, this.random.chance(0.5) ? 'http' : 8080));
  }

  private deletePod(app: App, name: string): void {
    app.live = app.live.filter((n) => n !== name);
    const pod = this.cluster.store.get('Pod', CHURN_NAMESPACE, name);
    if (pod && !pod.metadata.deletionTimestamp) this.cluster.delete('Pod', CHURN_NAMESPACE, name);
  }

  private scaleUp(app: App): void {
    const pod = this.cluster.apply(this.pod(app, 'pending'));
    const name = pod.metadata.name;
    app.live.push(name);
    this.followUps.push(() => this.advance(name, 'running'));
    this.followUps.push(() => this.advance(name, 'ready'));
  }

  private rollingRestart(app: App): void {
    const old = [...app.live];
    app.hash = `${this.random.suffix(4)}${this.random.int(100000).toString(16)}`.slice(0, 9);
    this.restartCounter++;
    for (const name of old) {
      this.followUps.push(() => this.scaleUp(app));
      this.followUps.push(() => this.deletePod(app, name));
    }
  }

  private flap(name: string): void {
    this.advance(name, 'running');
    this.followUps.push(() => this.advance(name, 'ready'));
  }

  /** Moves a churn Pod's status to a stage (if it still exists and is not terminating). */
  private advance(name: string, stage: 'running' | 'ready'): void {
    const pod = this.cluster.store.get('Pod', CHURN_NAMESPACE, name);
    if (!pod || pod.metadata.deletionTimestamp) return;
    const status = pod.status as Record<string, unknown>;
    const ip = (status['podIP'] as string | undefined) ?? this.cluster.alloc.podIP();
    this.cluster.apply({ ...pod, status: this.status(pod, stage, ip) });
  }

  private status(pod: SimObject, stage: 'pending' | 'running' | 'ready', ip?: string): Record<string, unknown> {
    const ts = isoSeconds(this.cluster.now());
    const node = this.cluster.alloc.nodes.find((n) => n.name === (pod.spec as { nodeName?: string }).nodeName) ?? this.cluster.alloc.nodes[0]!;
    const cond = (type: string, ok: boolean) => ({ type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: ts });
    if (stage === 'pending') return { phase: 'Pending', conditions: [cond('PodScheduled', true)], hostIP: node.hostIP, hostIPs: [{ ip: node.hostIP }], qosClass: 'Burstable' };
    const ready = stage === 'ready';
    return {
      phase: 'Running',
      conditions: [cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', true)],
      hostIP: node.hostIP,
      hostIPs: [{ ip: node.hostIP }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: ts,
      qosClass: 'Burstable',
      containerStatuses: [{ name: 'app', ready, restartCount: 0, started: true, image: 'registry.example/app:1.4.2', imageID: '', state: { running: { startedAt: ts } } }],
    };
  }

  private pod(app: App, stage: 'pending' | 'ready'): SimObject {
    const name = `${app.name}-${app.hash}-${this.random.suffix()}`;
    const node = this.random.pick(this.cluster.alloc.nodes);
    const pod: SimObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: CHURN_NAMESPACE,
        labels: { app: app.name, [CHURN_APP_LABEL]: app.name, 'pod-template-hash': app.hash, tier: app.ingress ? 'frontend' : 'backend' },
        annotations: {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '9090',
          'checksum/config': this.random.uuid().replace(/-/g, ''),
          'kubectl.kubernetes.io/restartedAt': `restart-${this.restartCounter}`,
        },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app.name}-${app.hash}`, uid: `rs-${app.name}-${app.hash}`, controller: true }],
      },
      spec: {
        nodeName: node.name,
        serviceAccountName: app.name,
        containers: [
          {
            name: 'app',
            image: `registry.example/${app.name}:1.4.2`,
            command: ['/usr/local/bin/server'],
            args: ['--listen=:8080', '--metrics=:9090', `--db=postgres://${app.name}@db.shop.svc:5432/${app.name}`],
            env: [
              { name: 'DB_PASSWORD', value: 'hunter2-secret' },
              { name: 'API_TOKEN', value: `tok_${this.random.uuid().replace(/-/g, '')}` },
              { name: 'LOG_LEVEL', value: 'info' },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
            ports: [
              { name: 'http', containerPort: 8080, protocol: 'TCP' },
              { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
            ],
            volumeMounts: [
              { name: 'config', mountPath: '/etc/app' },
              { name: 'db-credentials', mountPath: '/var/run/secrets/db', readOnly: true },
            ],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
          },
        ],
        volumes: [
          { name: 'config', configMap: { name: `${app.name}-config` } },
          { name: 'db-credentials', secret: { secretName: `${app.name}-db-credentials` } },
        ],
      },
    };
    pod.status = this.status(pod, stage === 'ready' ? 'ready' : 'pending', stage === 'ready' ? this.cluster.alloc.podIP() : undefined);
    return pod;
  }

  private service(app: App, targetPort: string | number): SimObject {
    return {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app.name, namespace: CHURN_NAMESPACE, labels: { app: app.name } },
      spec: {
        type: 'ClusterIP',
        selector: { [CHURN_APP_LABEL]: app.name },
        ports: [
          { name: 'http', port: 80, targetPort, protocol: 'TCP' },
          { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
        ],
      },
    };
  }

  private ingress(app: App, variant: number): SimObject {
    const host = `${app.name}.shop.example.com`;
    const paths = [{ path: '/', pathType: 'Prefix', backend: { service: { name: app.name, port: { number: 80 } } } }];
    if (variant === 1) paths.push({ path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } });
    if (variant === 2) paths[0]!.backend.service.port = { name: 'http' } as never;
    const rules: object[] = [{ host, http: { paths } }];
    if (variant === 3) rules.push({ host: `www.${host}`, http: { paths } });
    return {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: app.name, namespace: CHURN_NAMESPACE, annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' } },
      spec: { ingressClassName: 'nginx', tls: [{ hosts: [host], secretName: `${app.name}-tls` }], rules },
    };
  }
}
