// `afu9-tui sandbox`: serve a shipped scenario or a world file on 127.0.0.1 and print the lines
// that point the AWS CLI or afu9-tui at it.

import { startSandbox } from "../sandbox/index.js";
import { loadScenario, loadWorldFile, SCENARIOS } from "../sandbox/scenarios/index.js";
import type { World } from "../sandbox/world.js";
import type { Options } from "./args.js";

export function scenarioList(): string {
  const width = Math.max(...SCENARIOS.map((s) => s.id.length));
  return SCENARIOS.map((s) => `${s.id.padEnd(width)}  ${s.description}`).join("\n");
}

export function exportLines(url: string, opts: Pick<Options, "region" | "cluster" | "service">): string[] {
  return [
    `export AWS_ENDPOINT_URL=${url}`,
    "export AWS_ACCESS_KEY_ID=test",
    "export AWS_SECRET_ACCESS_KEY=test",
    "unset AWS_PROFILE AWS_SESSION_TOKEN",
    `export AWS_REGION=${opts.region}`,
    `export AWS_DEFAULT_REGION=${opts.region}`,
    "export STACK_NAME=Afu9EcsStack",
    "export NETWORK_STACK_NAME=Afu9NetworkStack",
    "export DATABASE_STACK_NAME=Afu9DatabaseStack",
    `export CLUSTER_NAME=${opts.cluster}`,
    `export SERVICE_NAME=${opts.service}`,
    `# AWS CLI older than 2.13 ignores AWS_ENDPOINT_URL; then: alias aws='aws --endpoint-url ${url}'`,
  ];
}

export async function runSandboxCommand(opts: Options): Promise<number> {
  if (opts.list) {
    process.stdout.write(`${scenarioList()}\n`);
    return 0;
  }
  const scenario = opts.world ? undefined : (opts.scenario ?? "healthy");
  let world: World;
  try {
    world = opts.world ? await loadWorldFile(opts.world) : loadScenario(scenario!);
  } catch (e) {
    process.stderr.write(`afu9-tui sandbox: ${(e as Error).message}\n`);
    return 2;
  }
  const sandbox = await startSandbox({ world, port: opts.port, host: opts.host, speed: opts.speed ?? 10 });
  const region = sandbox.account.region;
  const what = scenario ? `scenario ${scenario}` : `world ${opts.world}`;
  process.stdout.write(
    [
      `afu9-tui sandbox: serving ${what} at ${sandbox.url} (clock ×${opts.speed ?? 10}); Ctrl-C stops it.`,
      "Point the AWS CLI or afu9-tui at it:",
      "",
      ...exportLines(sandbox.url, {
        region,
        cluster: world.cluster,
        service: world.services[0]?.name ?? "afu9-control-center-stage",
      }),
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await sandbox.close();
  return 0;
}
