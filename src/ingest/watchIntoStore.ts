/**
 * watchIntoStore: the watch half of an ingest pipeline, shared by both Ingest implementations (the ingest
 * thread and serve's own thread): a WatcherSet over every watched resource (watchedResources.ts), reporting
 * to `store`, started at once. stop() stops the streams, then closes the store (its final write), and
 * rejects with the first failure of the two, so nothing failed silently.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { DEFAULT_INFORMER_OPTIONS, informerStreamFactory, type SupervisedInformerOptions } from '../k8s/SupervisedInformer.js';
import { watchedResource } from '../k8s/watchedResources.js';
import type { ChangeSink } from '../watch/ChangeSink.js';
import type { Logger } from '../watch/Logger.js';
import { WatcherSet } from '../watch/WatcherSet.js';
import type { Ingest, IngestSettings } from './Ingest.js';

export function watchIntoStore(
  kc: KubeConfig,
  settings: Pick<IngestSettings, 'namespaces' | 'informer' | 'flushIntervalMs'>,
  store: ChangeSink & { close(): Promise<void> },
  log: Logger,
  transform?: SupervisedInformerOptions['transform'],
): Ingest {
  const watchers = new WatcherSet({
    sink: store,
    createStream: informerStreamFactory(kc, { ...DEFAULT_INFORMER_OPTIONS, ...settings.informer, log, ...(transform ? { transform } : {}) }),
    isNamespaced: (kind) => watchedResource(kind).namespaced,
    namespaces: settings.namespaces,
    ...(settings.flushIntervalMs !== undefined ? { flushIntervalMs: settings.flushIntervalMs } : {}),
    log,
  });
  watchers.start();
  return {
    status: () => watchers.status(),
    onFatal: (listener) => watchers.onFatal(listener),
    async stop() {
      let failure: unknown;
      try {
        await watchers.stop();
      } catch (err) {
        failure = err;
      }
      try {
        await store.close();
      } catch (err) {
        failure ??= err;
      }
      if (failure !== undefined) throw failure;
    },
  };
}
