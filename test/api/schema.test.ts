import { buildSchema, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadSchemaText } from '../../src/api/graphql/graphqlRoutes.js';
import { resolvers } from '../../src/api/graphql/resolvers.js';

const schema = buildSchema(loadSchemaText());

describe('schema.graphql and the resolvers', () => {
  const queryFields = Object.keys(schema.getQueryType()!.getFields());
  it('declares every query the API offers', () => {
    expect(queryFields.sort()).toEqual(['clusters', 'endpoints', 'history', 'ingresses', 'pod', 'reverse', 'route', 'routeDiff', 'routeDiffs', 'routeToService', 'routes', 'service', 'services', 'timeline'].sort());
  });
  const noInstant = ['timeline', 'routeDiff', 'routeDiffs', 'history', 'clusters'];
  for (const name of queryFields) {
    it(`Query.${name} has a resolver and takes ${noInstant.includes(name) ? 'an interval or none' : 'an optional at'}, and an optional cluster`, () => {
      expect(typeof (resolvers.Query as Record<string, unknown>)[name]).toBe('function');
      const args = schema.getQueryType()!.getFields()[name]!.args;
      if (!noInstant.includes(name)) expect(args.map((a) => a.name)).toContain('at');
      const cluster = args.find((a) => a.name === 'cluster');
      expect(cluster?.type.toString()).toBe('String');
    });
  }
  it('has a resolver for every custom scalar and no resolver for a type it does not declare', () => {
    for (const s of ['DateTime', 'JSON', 'IntOrString']) expect((resolvers as Record<string, unknown>)[s]).toBeDefined();
    for (const typeName of Object.keys(resolvers)) {
      const t = schema.getType(typeName);
      expect(t, typeName).toBeDefined();
      if (isObjectType(t)) for (const f of Object.keys((resolvers as Record<string, Record<string, unknown>>)[typeName]!)) expect(t.getFields()[f], `${typeName}.${f}`).toBeDefined();
    }
  });
});
