/**
 * parents: the values resolvers hand to the field resolvers of object types whose GraphQL shape is not
 * the model's (codegen `mappers`). Each keeps the instant the question asked for (`queryAt`, undefined for
 * now) and its cluster, so nested fields (Service.routes, Pod.reverse) answer for the same instant and cluster.
 */
import type { ReverseAnswer, RouteAnswer } from '../../model/route.js';
import type { PodInfo, ServiceInfo } from '../../queries/views.js';

export type ServiceParent = ServiceInfo & { readonly queryAt: Date | undefined; readonly cluster: string };
export type PodParent = PodInfo & { readonly queryAt: Date | undefined; readonly cluster: string };
/** The resolver's answer unchanged, plus the instant and the cluster it is for. */
export type RouteAnswerParent = RouteAnswer & { readonly at: Date; readonly cluster: string };
export type ReverseAnswerParent = ReverseAnswer & { readonly at: Date; readonly cluster: string };
