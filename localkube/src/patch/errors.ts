// The one error type every patch function throws. It carries what the server needs to answer
// with a Kubernetes Status: the HTTP code, the Status reason, the message and optional causes.

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export class PatchError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly causes: StatusCause[];

  constructor(code: number, reason: string, message: string, causes: StatusCause[] = []) {
    super(message);
    this.name = "PatchError";
    this.code = code;
    this.reason = reason;
    this.causes = causes;
  }

  /** The Kubernetes `Status` object for this error (kind Status, apiVersion v1). */
  toStatus(): Record<string, unknown> {
    const status: Record<string, unknown> = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.causes.length > 0) status["details"] = { causes: this.causes };
    return status;
  }
}

export const badRequest = (message: string): PatchError => new PatchError(400, "BadRequest", message);

/**
 * Kubernetes answers a JSON patch whose operation fails with a generic 422: the message is fixed
 * and the operation's own error travels as an `UnexpectedServerResponse` cause.
 */
export const operationFailed = (detail: string): PatchError =>
  new PatchError(422, "Invalid", "the server rejected our request due to an error in our request", [
    { reason: "UnexpectedServerResponse", message: detail },
  ]);

export const UNSUPPORTED_MEDIA_TYPE_MESSAGE =
  "the body of the request was in an unknown format - accepted media types include: " +
  "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";

export const unsupportedMediaType = (): PatchError =>
  new PatchError(415, "UnsupportedMediaType", UNSUPPORTED_MEDIA_TYPE_MESSAGE);
