// One factory for every AWS client. Honours --region, --profile, --endpoint-url / AWS_ENDPOINT_URL
// and the SDK's default credential chain (SSO, profiles, environment, container and instance
// roles), with adaptive retries. The SDK modules are imported on first use, so nothing of the SDK
// loads before the first frame.

import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

export interface AwsTarget {
  region: string;
  profile?: string;
  /** Every call goes here (the sandbox, LocalStack, a VPC endpoint). */
  endpointUrl?: string;
  /** Fixed credentials (the sandbox's test/test); otherwise the default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
  /** Per request socket timeout in ms (default 10 s). */
  requestTimeoutMs?: number;
}

/** Counts requests per operation; the benchmark and the "no request twice" tests read it. */
export class RequestCounter {
  readonly byOperation = new Map<string, number>();
  /** Same operation with the same input, more than once. */
  readonly repeated: string[] = [];
  private readonly seen = new Set<string>();
  total = 0;
  add(op: string, input: unknown): void {
    this.total++;
    this.byOperation.set(op, (this.byOperation.get(op) ?? 0) + 1);
    const key = `${op} ${JSON.stringify(input)}`;
    if (this.seen.has(key)) this.repeated.push(key);
    else this.seen.add(key);
  }
}

export interface Clients {
  target: AwsTarget;
  counter: RequestCounter;
  ecs(): Promise<ECSClient>;
  cloudformation(): Promise<CloudFormationClient>;
  secrets(): Promise<SecretsManagerClient>;
  logs(): Promise<CloudWatchLogsClient>;
  iam(): Promise<IAMClient>;
  destroy(): void;
}

// biome-ignore lint/suspicious/noExplicitAny: the SDK clients share this config shape
function baseConfig(t: AwsTarget, extra: Record<string, unknown> = {}): any {
  return {
    region: t.region,
    ...(t.profile ? { profile: t.profile } : {}),
    ...(t.endpointUrl ? { endpoint: t.endpointUrl } : {}),
    ...(t.credentials ? { credentials: t.credentials } : {}),
    retryMode: "adaptive",
    maxAttempts: t.maxAttempts ?? 5,
    ...extra,
  };
}

interface Middlewared {
  middlewareStack: {
    add(
      // biome-ignore lint/suspicious/noExplicitAny: SDK middleware signature
      mw: (next: any, context: { commandName?: string }) => any,
      opts: { step: "initialize"; name: string },
    ): void;
  };
  destroy(): void;
}

export function createClients(target: AwsTarget): Clients {
  const counter = new RequestCounter();
  const made = new Map<string, Promise<Middlewared>>();

  // The SDK builds its Node HTTP handler from these options.
  const requestHandler = { requestTimeout: target.requestTimeoutMs ?? 10_000, connectionTimeout: 5_000 };

  function lazy<T>(key: string, make: () => Promise<Middlewared>): () => Promise<T> {
    return () => {
      let p = made.get(key);
      if (!p) {
        p = make().then((c) => {
          c.middlewareStack.add(
            (next, context) => (args: { input?: unknown }) => {
              counter.add(`${key}:${(context.commandName ?? "?").replace(/Command$/, "")}`, args.input);
              return next(args);
            },
            { step: "initialize", name: "afu9RequestCounter" },
          );
          return c;
        });
        made.set(key, p);
      }
      return p as Promise<T>;
    };
  }

  return {
    target,
    counter,
    ecs: lazy("ecs", async () => {
      const { ECSClient } = await import("@aws-sdk/client-ecs");
      return new ECSClient(baseConfig(target, { requestHandler: requestHandler }));
    }),
    cloudformation: lazy("cloudformation", async () => {
      const { CloudFormationClient } = await import("@aws-sdk/client-cloudformation");
      return new CloudFormationClient(baseConfig(target, { requestHandler: requestHandler }));
    }),
    secrets: lazy("secretsmanager", async () => {
      const { SecretsManagerClient } = await import("@aws-sdk/client-secrets-manager");
      return new SecretsManagerClient(baseConfig(target, { requestHandler: requestHandler }));
    }),
    logs: lazy("logs", async () => {
      const { CloudWatchLogsClient } = await import("@aws-sdk/client-cloudwatch-logs");
      // StartLiveTail prefixes the host with "streaming-"; a custom endpoint has no such host.
      // No requestTimeout here: a live tail is one long response.
      return new CloudWatchLogsClient(baseConfig(target, { disableHostPrefix: Boolean(target.endpointUrl) }));
    }),
    iam: lazy("iam", async () => {
      const { IAMClient } = await import("@aws-sdk/client-iam");
      // IAM is global; its endpoint lives in us-east-1 whatever region the rest uses.
      return new IAMClient(
        baseConfig(target, {
          region: target.endpointUrl ? target.region : "us-east-1",
          requestHandler: requestHandler,
        }),
      );
    }),
    destroy() {
      for (const p of made.values()) p.then((c) => c.destroy()).catch(() => {});
      made.clear();
    },
  };
}
