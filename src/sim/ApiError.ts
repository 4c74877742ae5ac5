/**
 * ApiError: a failed API request, carried as the Kubernetes `Status` object the server answers with.
 *
 * Every error the simulator returns to a client is one of these (HTTP code + reason + message), so
 * clients see the same shape a kube-apiserver sends: `{kind:'Status', apiVersion:'v1', metadata:{},
 * status:'Failure', message, reason, details?, code}`.
 */

export type StatusReason =
  | 'BadRequest'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Expired'
  | 'Gone'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'TooManyRequests'
  | 'Timeout';

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason | '';
  details?: { name?: string; group?: string; kind?: string; retryAfterSeconds?: number };
  code: number;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusObject['details'],
  ) {
    super(message);
  }

  toStatus(): StatusObject {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }

  static notFound(resource: string, name: string, group = ''): ApiError {
    const what = group ? `${resource}.${group}` : resource;
    return new ApiError(404, 'NotFound', `${what} "${name}" not found`, { name, group, kind: resource });
  }

  static alreadyExists(resource: string, name: string, group = ''): ApiError {
    const what = group ? `${resource}.${group}` : resource;
    return new ApiError(409, 'AlreadyExists', `${what} "${name}" already exists`, { name, group, kind: resource });
  }

  static conflict(resource: string, name: string, group = ''): ApiError {
    const what = group ? `${resource}.${group}` : resource;
    return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${what} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group, kind: resource });
  }

  static invalid(kind: string, name: string, why: string): ApiError {
    return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${why}`, { name, kind });
  }

  static badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
  }

  static expired(message: string): ApiError {
    return new ApiError(410, 'Expired', message);
  }
}
