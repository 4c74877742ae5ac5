import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadSchemaText } from '../../src/api/graphql/graphqlRoutes.js';
import { MAX_DEPTH, queryLimitsRule } from '../../src/api/graphql/queryLimits.js';

const schema = buildSchema(loadSchemaText());
const codes = (doc: string) => validate(schema, parse(doc), [queryLimitsRule()]).map((e) => e.extensions['code']);

describe('query depth and cost limits', () => {
  const cases: { name: string; doc: string; want: string[] }[] = [
    { name: 'one route', doc: '{ route(host: "a.example.com") { backends endpoints { address pod { name } } findings { code } } }', want: [] },
    { name: 'every query once', doc: '{ route(host: "a") { backends } routeToService(namespace: "a", name: "b") { backends } reverse(ip: "10.0.0.1") { services { name } } timeline(host: "a") { totalCount } routeDiff(host: "a", from: 1, to: 2) { changed } history(kind: Pod, name: "p") { totalCount } }', want: [] },
    { name: 'the standard introspection query', doc: getIntrospectionQuery(), want: [] },
    { name: 'ten Services with their routes', doc: '{ services(first: 10) { edges { node { routes { backends findings { code } } } } } }', want: [] },
    { name: '600 aliased routes', doc: `{ ${Array.from({ length: 600 }, (_, i) => `r${i}: route(host: "a") { backends }`).join(' ')} }`, want: ['QUERY_TOO_COSTLY'] },
    { name: '500 Services with every route in full', doc: '{ services(first: 500) { edges { node { routes { endpoints { address pod { name } } findings { code message } } } } } }', want: ['QUERY_TOO_COSTLY'] },
    { name: 'a page size from a variable counts as the largest page', doc: 'query($n: Int) { services(first: $n) { edges { node { routes { endpoints { address pod { name } } findings { code message } } } } } }', want: ['QUERY_TOO_COSTLY'] },
    { name: `deeper than ${MAX_DEPTH} levels`, doc: `{ __schema { types { fields { type { ${'ofType { '.repeat(20)}name${' }'.repeat(20)} } } } } }`, want: ['QUERY_TOO_DEEP'] },
    { name: 'fragments are expanded', doc: 'fragment R on RouteAnswer { endpoints { address pod { name } } findings { code message objects { name } } } fragment S on Service { routes { ...R } } { services(first: 500) { edges { node { ...S } } } }', want: ['QUERY_TOO_COSTLY'] },
  ];
  for (const c of cases) it(c.name, () => expect(codes(c.doc)).toEqual(c.want));

  it('terminates on fragment cycles (graphql-js reports the cycle itself)', () => {
    const errors = validate(schema, parse('fragment A on Query { ...B } fragment B on Query { ...A } { ...A }'), [queryLimitsRule()]);
    expect(errors).toEqual([]);
  });
});
