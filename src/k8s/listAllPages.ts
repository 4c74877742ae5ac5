/**
 * listAllPages: one complete list of a scope, collected page by page with limit/continue.
 *
 * The informer does not page, so its list function must return everything. All pages of a chunked list
 * share the first page's resourceVersion (the snapshot), which is what the returned list carries and what
 * the informer will watch from. An expired continue token fails the whole list (the caller retries).
 * `onPage` is called after each page (progress for stall detection); `mapItem`, when given, replaces each
 * item as its page arrives (the page's parsed objects are then garbage before the next page is read).
 */
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { PageFn } from './watchedResources.js';

export async function listAllPages(
  pageFn: PageFn,
  namespace: string | undefined,
  pageSize: number,
  onPage: (itemsSoFar: number) => void = () => {},
  mapItem?: (item: KubernetesObject) => KubernetesObject,
): Promise<KubernetesListObject<KubernetesObject>> {
  const items: KubernetesObject[] = [];
  let resourceVersion: string | undefined;
  let continueToken: string | undefined;
  let pages = 0;
  do {
    const page = await pageFn(namespace, { limit: pageSize, ...(continueToken ? { continueToken } : {}) });
    pages++;
    if (pages === 1) resourceVersion = page.metadata?.resourceVersion;
    for (const item of page.items ?? []) items.push(mapItem ? mapItem(item) : item);
    // Plain JSON from the API server: the field is `continue` (the generated models call it `_continue`).
    continueToken = (page.metadata as { continue?: string } | undefined)?.continue || undefined;
    onPage(items.length);
    if (pages > 1_000_000) throw new Error('listAllPages: the server keeps returning continue tokens');
  } while (continueToken);
  return { metadata: { resourceVersion }, items };
}
