/**
 * queryLimits: a validation rule that rejects a GraphQL operation that is too deep or too costly before
 * anything runs (QUERY_TOO_DEEP / QUERY_TOO_COSTLY in extensions.code).
 *
 * Depth: nesting of fields (fragments expanded). Cost: every field costs 1, times the number of times it
 * may run: a field with a `first` argument multiplies what is under it by `first` (a literal; a variable
 * counts as the largest page, MAX_PAGE_SIZE), any other list field by LIST_FACTOR. Fields that resolve a
 * route or read history add their own weight (FIELD_WEIGHT). Unknown fields count like list fields
 * (graphql-js's own rules reject them anyway). Fragment cycles are reported by graphql-js's
 * own rules; here a fragment seen twice on one path stops the walk.
 */
import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type ASTVisitor,
  type GraphQLField,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { MAX_PAGE_SIZE } from '../../queries/pagination.js';

export const MAX_DEPTH = 16;
export const MAX_COST = 25_000;
const LIST_FACTOR = 10;

const FIELD_WEIGHT: Readonly<Record<string, number>> = {
  'Query.route': 50,
  'Query.routeToService': 50,
  'Query.reverse': 50,
  'Query.service': 20,
  'Query.services': 50,
  'Query.endpoints': 50,
  'Query.ingresses': 20,
  'Query.pod': 20,
  'Query.timeline': 200,
  'Query.routeDiff': 100,
  'Query.history': 100,
  'Service.routes': 20,
  'Pod.reverse': 20,
};

/** The field's definition, including the introspection fields (__schema, __type, __typename). */
function fieldDef(type: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === '__schema') return SchemaMetaFieldDef;
  if (name === '__type') return TypeMetaFieldDef;
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (!type || (!isObjectType(type) && !isInterfaceType(type))) return undefined;
  return type.getFields()[name];
}

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxCost: number;
}

export function queryLimitsRule(limits: QueryLimits = { maxDepth: MAX_DEPTH, maxCost: MAX_COST }) {
  return function QueryLimitsRule(context: ValidationContext): ASTVisitor {
    return {
      OperationDefinition(node) {
        const root = node.operation === 'query' ? context.getSchema().getQueryType() : node.operation === 'mutation' ? context.getSchema().getMutationType() : context.getSchema().getSubscriptionType();
        if (!root) return false;
        let maxDepth = 0;
        let cost = 0;
        let stop = false;
        const walk = (set: SelectionSetNode, type: GraphQLNamedType | undefined, depth: number, factor: number, fragments: ReadonlySet<string>) => {
          for (const sel of set.selections) {
            if (stop) return;
            if (sel.kind === Kind.FIELD) {
              const d = depth + 1;
              if (d > maxDepth) maxDepth = d;
              if (d > limits.maxDepth) {
                stop = true;
                return;
              }
              const def = fieldDef(type, sel.name.value);
              // Introspection (__schema, __type and the __* types under them) reads the schema only: depth counts, cost does not.
              const meta = sel.name.value.startsWith('__') || (type?.name.startsWith('__') ?? false);
              if (!meta) cost += factor * (1 + (def && type ? FIELD_WEIGHT[`${type.name}.${def.name}`] ?? 0 : 0));
              if (cost > limits.maxCost) {
                stop = true;
                return;
              }
              if (!sel.selectionSet) continue;
              let childFactor = factor;
              const firstArg = sel.arguments?.find((a) => a.name.value === 'first');
              if (meta) {
                // no multiplier
              } else if (firstArg) {
                childFactor *= firstArg.value.kind === Kind.INT ? Math.max(1, Math.min(Number(firstArg.value.value), MAX_PAGE_SIZE)) : MAX_PAGE_SIZE;
              } else if (!def || isListType(getNullableType(def.type))) {
                childFactor *= LIST_FACTOR;
              }
              walk(sel.selectionSet, def ? getNamedType(def.type) : undefined, d, childFactor, fragments);
            } else if (sel.kind === Kind.INLINE_FRAGMENT) {
              const t = sel.typeCondition ? context.getSchema().getType(sel.typeCondition.name.value) : type;
              walk(sel.selectionSet, t ?? undefined, depth, factor, fragments);
            } else {
              const name = sel.name.value;
              if (fragments.has(name)) continue;
              const frag = context.getFragment(name);
              if (!frag) continue;
              const t = context.getSchema().getType(frag.typeCondition.name.value) ?? undefined;
              walk(frag.selectionSet, t, depth, factor, new Set([...fragments, name]));
            }
          }
        };
        walk(node.selectionSet, root, 0, 1, new Set());
        if (maxDepth > limits.maxDepth) {
          context.reportError(new GraphQLError(`query is too deep: more than ${limits.maxDepth} levels of fields`, { nodes: [node], extensions: { code: 'QUERY_TOO_DEEP' } }));
        } else if (cost > limits.maxCost) {
          context.reportError(new GraphQLError(`query is too costly: estimated cost exceeds ${limits.maxCost} (ask for fewer items with first, or fewer fields)`, { nodes: [node], extensions: { code: 'QUERY_TOO_COSTLY' } }));
        }
        return false;
      },
    };
  };
}
