import { buildSchema, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadSchemaText } from '../../src/api/graphql/graphqlRoutes.js';
import { resolvers } from '../../src/api/graphql/resolvers.js';

const schema = buildSchema(loadSchemaText());

describe('schema.graphql and the resolvers', () => {
  const queryFields = Object.keys(schema.getQueryType()!.getFields());
  it('declares every query the API offers', () => {
    expect(queryFields.sort()).toEqual(['endpoints', 'history', 'ingresses', 'pod', 'reverse', 'route', 'routeDiff', 'routeToService', 'service', 'services', 'timeline'].sort());
  });
  for (const name of queryFields) {
    it(`Query.${name} has a resolver and takes ${['timeline', 'routeDiff', 'history'].includes(name) ? 'an interval or none' : 'an optional at'}`, () => {
      expect(typeof (resolvers.Query as Record<string, unknown>)[name]).toBe('function');
      const args = schema.getQueryType()!.getFields()[name]!.args.map((a) => a.name);
      if (!['timeline', 'routeDiff', 'history'].includes(name)) expect(args).toContain('at');
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
