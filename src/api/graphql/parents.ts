/**
 * parents: the values resolvers hand to the field resolvers of object types whose GraphQL shape is not
 * the model's (codegen `mappers`). Each keeps the instant the question asked for (`queryAt`, undefined for
 * now) so nested fields (Service.routes, Pod.reverse) answer for the same instant.
 */
import type { ReverseAnswer, RouteAnswer } from '../../model/route.js';
import type { PodInfo, ServiceInfo } from '../../queries/views.js';

export type ServiceParent = ServiceInfo & { readonly queryAt: Date | undefined };
export type PodParent = PodInfo & { readonly queryAt: Date | undefined };
/** The resolver's answer unchanged, plus the instant it is for. */
export type RouteAnswerParent = RouteAnswer & { readonly at: Date };
export type ReverseAnswerParent = ReverseAnswer & { readonly at: Date };
