// Turns SDK errors into our own: what went wrong, in one line, and what to do next.

export type ProblemKind =
  | "no-credentials"
  | "sso-expired"
  | "token-expired"
  | "access-denied"
  | "not-found"
  | "throttled"
  | "network"
  | "invalid"
  | "other";

export class AwsProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    message: string,
    /** What the user can do about it. */
    readonly hint: string,
    /** The AWS error code (exception name), e.g. AccessDeniedException. */
    readonly code: string,
    /** The operation that failed, e.g. secretsmanager:GetSecretValue. */
    readonly operation?: string,
    /** For access-denied: the action and resource AWS named. */
    readonly action?: string,
    readonly resource?: string,
  ) {
    super(message);
    this.name = "AwsProblem";
  }
  /** "message — hint" for one line on the screen. */
  get line(): string {
    return this.hint ? `${this.message} — ${this.hint}` : this.message;
  }
}

const DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnauthorizedException",
  "AuthorizationError",
  "NotAuthorized",
]);
const THROTTLED = new Set([
  "Throttling",
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ThrottledException",
  "LimitExceededException",
  "RequestThrottled",
  "SlowDown",
]);
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "ECONNRESET",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EPIPE",
  "TimeoutError",
  "RequestTimeout",
  "NetworkingError",
]);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** "User: X is not authorized to perform: ACTION on resource: RES ..." → {action, resource}. */
export function parseDenied(message: string): { principal?: string; action?: string; resource?: string } {
  const m = /User: (\S+) is not authorized to perform: (\S+?)(?: on resource: (\S+?))?(?:[ ,.]|$)/.exec(
    message,
  );
  if (!m) return {};
  return { principal: m[1], action: m[2], resource: m[3]?.replace(/[.,]$/, "") };
}

export function toProblem(err: unknown, operation: string, profile?: string): AwsProblem {
  if (err instanceof AwsProblem) return err;
  const e = (err ?? {}) as SdkLikeError;
  const name = e.name ?? e.Code ?? e.code ?? "Error";
  const message = String(e.message ?? err);
  const login = profile ? `aws sso login --profile ${profile}` : "aws sso login";
  const ssoExpired = () =>
    new AwsProblem(
      "sso-expired",
      "The SSO session has expired",
      `run \`${login}\`, then try again (r in the UI)`,
      name,
      operation,
    );

  if (name === "CredentialsProviderError" || /Could not load credentials from any providers/i.test(message)) {
    if (/sso/i.test(message) && /expired|invalid|refresh/i.test(message)) return ssoExpired();
    return new AwsProblem(
      "no-credentials",
      "No AWS credentials found",
      profile
        ? `check the profile "${profile}" in ~/.aws/config, or run \`${login}\``
        : "pass --profile NAME, set AWS_PROFILE, or run `aws configure` / `aws sso login`",
      name,
      operation,
    );
  }
  if (name === "TokenProviderError" || /SSO session .*(expired|invalid)|sso.*token.*expired/i.test(message))
    return ssoExpired();
  if (name === "ExpiredToken" || name === "ExpiredTokenException" || name === "RequestExpired")
    return new AwsProblem(
      "token-expired",
      "The AWS session token has expired",
      profile
        ? `run \`${login}\` or refresh the credentials of "${profile}"`
        : "refresh your credentials (e.g. `aws sso login`)",
      name,
      operation,
    );
  if (
    name === "InvalidClientTokenId" ||
    name === "UnrecognizedClientException" ||
    name === "SignatureDoesNotMatch"
  )
    return new AwsProblem(
      "no-credentials",
      `AWS rejected the credentials (${name})`,
      "check the access key, or the profile",
      name,
      operation,
    );
  if (DENIED.has(name)) {
    const d = parseDenied(message);
    const action = d.action ?? operation;
    const resource = d.resource;
    return new AwsProblem(
      "access-denied",
      `Access denied: ${action}${resource ? ` on ${resource}` : ""}`,
      `the caller needs ${action}${resource ? ` on ${resource}` : ""}`,
      name,
      operation,
      action,
      resource,
    );
  }
  if (THROTTLED.has(name) || e.$metadata?.httpStatusCode === 429)
    return new AwsProblem(
      "throttled",
      `AWS throttled ${operation} and the retries ran out`,
      "wait a moment and try again (r in the UI)",
      name,
      operation,
    );
  const causeCode = (e.cause as SdkLikeError | undefined)?.code;
  if (NETWORK_CODES.has(name) || NETWORK_CODES.has(String(e.code)) || NETWORK_CODES.has(String(causeCode)))
    return new AwsProblem(
      "network",
      `Cannot reach AWS for ${operation} (${e.code ?? causeCode ?? name})`,
      "check the network, the region and --endpoint-url",
      name,
      operation,
    );
  if (/NotFound|NoSuchEntity|ResourceNotFound/.test(name) || /does not exist/.test(message))
    return new AwsProblem("not-found", message, "", name, operation);
  if (name === "ValidationError" || name === "InvalidParameterException" || name === "ClientException")
    return new AwsProblem("invalid", message, "", name, operation);
  return new AwsProblem("other", `${operation} failed: ${name}: ${message}`, "", name, operation);
}

/** Runs one AWS call and turns its error into an AwsProblem. */
export async function call<T>(operation: string, fn: () => Promise<T>, profile?: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toProblem(e, operation, profile);
  }
}
