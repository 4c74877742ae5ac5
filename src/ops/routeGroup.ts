/**
 * routeGroup: which part of routetrace's HTTP surface a path belongs to, for metrics labels (a closed,
 * small set, so a client cannot create label values by requesting arbitrary paths).
 */
export type RouteGroup = 'graphql' | 'api' | 'grafana' | 'ui' | 'health' | 'metrics' | 'other';

function under(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

export function routeGroup(pathname: string): RouteGroup {
  if (under(pathname, '/graphql')) return 'graphql';
  if (under(pathname, '/api')) return 'api';
  if (under(pathname, '/grafana')) return 'grafana';
  if (under(pathname, '/ui')) return 'ui';
  if (pathname === '/healthz' || pathname === '/readyz') return 'health';
  if (pathname === '/metrics') return 'metrics';
  return 'other';
}
