// The contract between the sandbox's HTTP server (wire protocols) and the service handlers.
// A handler takes the decoded input (the operation's input shape, member names as AWS spells
// them) and returns the output shape as a plain object, or throws an AwsError. Timestamps are
// returned as Date objects; the wire layer writes them the way each protocol does (epoch seconds
// for JSON 1.1, ISO 8601 for Query/XML).

import type { Account } from "./account.js";

export type ServiceId = "ecs" | "secretsmanager" | "logs" | "cloudformation" | "iam";

export interface RequestContext {
  account: Account;
  service: ServiceId;
  operation: string;
  requestId: string;
}

// biome-ignore lint/suspicious/noExplicitAny: inputs are decoded wire data, checked by each handler
export type Input = Record<string, any>;

export type Handler = (input: Input, ctx: RequestContext) => unknown | Promise<unknown>;

export interface ServiceModule {
  service: ServiceId;
  ops: Record<string, Handler>;
}

/** JSON 1.1 target prefixes (X-Amz-Target: PREFIX.Operation). */
export const JSON_TARGETS: Record<string, ServiceId> = {
  AmazonEC2ContainerServiceV20141113: "ecs",
  secretsmanager: "secretsmanager",
  Logs_20140328: "logs",
};

/** Query API versions, to tell CloudFormation from IAM when the signature does not say. */
export const QUERY_VERSIONS: Record<string, ServiceId> = {
  "2010-05-15": "cloudformation",
  "2010-05-08": "iam",
};
