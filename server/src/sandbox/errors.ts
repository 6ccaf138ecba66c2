/**
 * SCIM errors (RFC 7644 §3.12). Every failure inside the sandbox is a ScimError so the
 * router, Bulk and the seeder all turn it into the same Error body.
 */
import { URN } from '../schema/types';

export type ScimType =
  'invalidFilter' | 'tooMany' | 'uniqueness' | 'mutability' | 'invalidSyntax' | 'invalidPath' | 'noTarget' | 'invalidValue' | 'invalidVers' | 'sensitive';

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: ScimType | undefined,
    detail: string,
    /** Extra response headers, e.g. Allow on 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export interface ScimErrorBody {
  schemas: string[];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export function errorBody(err: ScimError): ScimErrorBody {
  const body: ScimErrorBody = { schemas: [URN.error], status: String(err.status), detail: err.message };
  if (err.scimType) body.scimType = err.scimType;
  return body;
}

/** Unexpected exceptions become a 500 whose detail does not leak internals. */
export function toScimError(e: unknown): ScimError {
  if (e instanceof ScimError) return e;
  return new ScimError(500, undefined, 'Internal server error');
}

export const invalidValue = (detail: string) => new ScimError(400, 'invalidValue', detail);
export const invalidSyntax = (detail: string) => new ScimError(400, 'invalidSyntax', detail);
export const notFound = (detail: string) => new ScimError(404, undefined, detail);
