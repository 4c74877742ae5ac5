/**
 * OptionalResourceStream: the stream of a kind whose CRD a cluster may not have (the Gateway API kinds).
 *
 * Before watching, API discovery (`GET /apis/<group>/<version>`, versions tried in order of preference)
 * finds the version that serves the kind; the stream then delegates to an ordinary stream (SupervisedInformer)
 * on that version's path. When no version serves it (404, or the resource is not listed), the kind is
 * absent: the stream reports one empty list (so the kind counts as synced, readiness is unaffected, and
 * objects stored earlier are closed, as a relist would close them), shows state 'absent', logs once, and
 * probes again every `absentProbeMs` (default 5 minutes) quietly, so CRDs installed later are picked up
 * without a restart. Other discovery failures (network, 5xx) are retried with back-off as state 'down'.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { Kind } from '../model/objects.js';
import { Backoff } from '../watch/Backoff.js';
import type { Logger } from '../watch/Logger.js';
import { errorText } from '../watch/Logger.js';
import type { ResourceStream, StreamReport, StreamStats } from '../watch/ResourceStream.js';
import { getJson, type HttpStatusError } from './getJson.js';
import { atVersion, type WatchedResource } from './watchedResources.js';

export interface OptionalStreamOptions {
  readonly log: Logger;
  readonly absentProbeMs?: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly random?: () => number;
}

/** Creates the delegate stream on a resolved resource. */
export type DelegateFactory = (resource: WatchedResource) => ResourceStream;

export class OptionalResourceStream implements ResourceStream {
  private delegate: ResourceStream | undefined;
  private state: StreamStats['state'] = 'starting';
  private lastError: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private reportedAbsent = false;
  private probes = 0;
  private readonly backoff: Backoff;

  constructor(
    readonly kind: Kind,
    readonly namespace: string | undefined,
    private readonly kc: KubeConfig,
    private readonly resource: WatchedResource,
    private readonly report: StreamReport,
    private readonly createDelegate: DelegateFactory,
    private readonly options: OptionalStreamOptions,
  ) {
    if (!resource.optional) throw new Error(`OptionalResourceStream: ${kind} is not an optional kind`);
    this.backoff = new Backoff({ baseMs: options.backoffBaseMs, maxMs: options.backoffMaxMs, ...(options.random ? { random: options.random } : {}) });
  }

  start(): void {
    void this.probe();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.delegate) await this.delegate.stop();
    else this.state = 'stopped';
  }

  stats(): StreamStats {
    if (this.delegate) return this.delegate.stats();
    return { state: this.state, restarts: 0, relists: 0, gaps: 0, events: 0, ...(this.lastError !== undefined ? { lastError: this.lastError } : {}) };
  }

  /** The first version of the preference list that serves the resource, or null when none does. */
  private async servedVersion(): Promise<string | null> {
    const { group, plural, versions } = this.resource.optional!;
    for (const v of versions) {
      try {
        const list = await getJson<{ resources?: { name: string }[] }>(this.kc, `/apis/${group}/${v}`, 30_000);
        if ((list.resources ?? []).some((r) => r.name === plural)) return v;
      } catch (err) {
        if ((err as HttpStatusError).statusCode !== 404) throw err;
      }
    }
    return null;
  }

  private async probe(): Promise<void> {
    if (this.stopped) return;
    this.probes++;
    let version: string | null;
    try {
      version = await this.servedVersion();
    } catch (err) {
      if (this.stopped) return;
      this.state = 'down';
      this.lastError = errorText(err);
      const delay = this.backoff.next();
      this.options.log.log('warn', 'kind.discovery_failed', { kind: this.kind, error: this.lastError, retryInMs: delay });
      this.timer = setTimeout(() => void this.probe(), delay);
      return;
    }
    if (this.stopped) return;
    this.backoff.reset();
    if (version === null) {
      this.state = 'absent';
      this.lastError = undefined;
      if (!this.reportedAbsent) {
        this.reportedAbsent = true;
        this.options.log.log('info', 'kind.absent', { kind: this.kind, group: this.resource.optional!.group, ...(this.namespace !== undefined ? { namespace: this.namespace } : {}) });
        try {
          this.report.listed([], new Date(), false);
        } catch (err) {
          this.stopped = true;
          this.report.fatal(err);
          return;
        }
      }
      this.timer = setTimeout(() => void this.probe(), this.options.absentProbeMs ?? 300_000);
      return;
    }
    if (this.reportedAbsent) this.options.log.log('info', 'kind.served', { kind: this.kind, version, afterProbes: this.probes });
    const served = version === this.resource.optional!.versions[0] ? this.resource : atVersion(this.resource, version);
    const delegate = this.createDelegate(served);
    this.delegate = {
      kind: delegate.kind,
      namespace: delegate.namespace,
      start: () => delegate.start(),
      stop: () => delegate.stop(),
      stats: () => ({ ...delegate.stats(), servedVersion: version }),
    };
    delegate.start();
  }
}
