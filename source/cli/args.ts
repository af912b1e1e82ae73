// The command line: subcommands, flags, their environment variables and defaults (the runbook's
// Quick Setup), and one clear line for every mistake. Pure: takes argv and env, returns options
// or throws UsageError (exit code 2).

import { FIX_IDS } from "../flow/fix-ids.js";
import { DEFAULT_LOG_CAPACITY } from "../flow/log-buffer.js";

export class UsageError extends Error {}

export type Command = "ui" | "diagnose" | "fix" | "watch" | "sandbox" | "help" | "version";

export interface CommonOptions {
  region: string;
  profile?: string;
  stack: string;
  networkStack: string;
  databaseStack: string;
  cluster: string;
  service: string;
  logGroup?: string;
  endpointUrl?: string;
  /** undefined: a real account; "" : the sandbox, scenario to pick; else the scenario id. */
  sandbox?: string;
  world?: string;
  readOnly: boolean;
  lang?: "en" | "de";
  cdkDir?: string;
  /** Lines the live log tail keeps in memory (a ring buffer). */
  logLines: number;
}

export interface Options extends CommonOptions {
  command: Command;
  /** diagnose */
  format: "text" | "json" | "markdown";
  output?: string;
  /** fix */
  fixId?: string;
  dryRun: boolean;
  yes: boolean;
  /** watch / fix */
  timeoutSeconds: number;
  deploymentId?: string;
  /** sandbox */
  scenario?: string;
  port: number;
  host: string;
  speed?: number;
  list: boolean;
  /** Which flags were given on the command line or by environment (for messages). */
  sources: Record<string, "flag" | "env" | "default">;
}

type Arity = "none" | "value" | "optional";

interface FlagSpec {
  name: string;
  key: keyof Options;
  arity: Arity;
  env?: string;
  commands?: Command[]; // undefined: common to all but sandbox-only ones
  describe: string;
  valueName?: string;
  check?: (v: string) => string | undefined; // returns a problem
}

const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/;
const LOG_GROUP = /^[.\-_/#A-Za-z0-9]{1,512}$/;

const checkEcsName = (what: string) => (v: string) =>
  ECS_NAME.test(v) ? undefined : `"${v}" is not a valid ${what} name (letters, digits, - and _, up to 255)`;
const checkStack = (v: string) =>
  STACK_NAME.test(v)
    ? undefined
    : `"${v}" is not a valid stack name (starts with a letter; letters, digits and -, up to 128)`;

const UI_AND_TOOLS: Command[] = ["ui", "diagnose", "fix", "watch"];

export const FLAGS: FlagSpec[] = [
  {
    name: "region",
    key: "region",
    arity: "value",
    env: "AWS_REGION",
    commands: UI_AND_TOOLS,
    describe: "AWS region (default eu-central-1)",
    valueName: "REGION",
    check: (v) => (REGION.test(v) ? undefined : `"${v}" is not an AWS region name (e.g. eu-central-1)`),
  },
  {
    name: "profile",
    key: "profile",
    arity: "value",
    env: "AWS_PROFILE",
    commands: UI_AND_TOOLS,
    describe: "named profile from ~/.aws/config (SSO, roles, keys)",
    valueName: "NAME",
    check: (v) => (/^[\w.@+-]+$/.test(v) ? undefined : `"${v}" is not a profile name`),
  },
  {
    name: "stack",
    key: "stack",
    arity: "value",
    env: "STACK_NAME",
    commands: UI_AND_TOOLS,
    describe: "ECS stack (default Afu9EcsStack)",
    valueName: "NAME",
    check: checkStack,
  },
  {
    name: "network-stack",
    key: "networkStack",
    arity: "value",
    env: "NETWORK_STACK_NAME",
    commands: UI_AND_TOOLS,
    describe: "network stack with LoadBalancerDNS (default Afu9NetworkStack)",
    valueName: "NAME",
    check: checkStack,
  },
  {
    name: "database-stack",
    key: "databaseStack",
    arity: "value",
    env: "DATABASE_STACK_NAME",
    commands: UI_AND_TOOLS,
    describe: "database stack with Afu9DbEndpoint (default Afu9DatabaseStack)",
    valueName: "NAME",
    check: checkStack,
  },
  {
    name: "cluster",
    key: "cluster",
    arity: "value",
    env: "CLUSTER_NAME",
    commands: UI_AND_TOOLS,
    describe: "ECS cluster (default afu9-cluster)",
    valueName: "NAME",
    check: checkEcsName("cluster"),
  },
  {
    name: "service",
    key: "service",
    arity: "value",
    env: "SERVICE_NAME",
    commands: UI_AND_TOOLS,
    describe: "ECS service (default afu9-control-center-stage)",
    valueName: "NAME",
    check: checkEcsName("service"),
  },
  {
    name: "log-group",
    key: "logGroup",
    arity: "value",
    commands: UI_AND_TOOLS,
    describe: "log group (default: the task definition's awslogs group, else /ecs/afu9/control-center)",
    valueName: "NAME",
    check: (v) => (LOG_GROUP.test(v) ? undefined : `"${v}" is not a valid log group name`),
  },
  {
    name: "endpoint-url",
    key: "endpointUrl",
    arity: "value",
    env: "AWS_ENDPOINT_URL",
    commands: UI_AND_TOOLS,
    describe: "send every AWS call to this URL (e.g. a sandbox started with `afu9-tui sandbox`)",
    valueName: "URL",
    check: (v) => {
      try {
        const u = new URL(v);
        return u.protocol === "http:" || u.protocol === "https:" ? undefined : `"${v}" is not an http(s) URL`;
      } catch {
        return `"${v}" is not a URL (e.g. http://127.0.0.1:4566)`;
      }
    },
  },
  {
    name: "sandbox",
    key: "sandbox",
    arity: "optional",
    commands: UI_AND_TOOLS,
    describe: "run against the built-in sandbox account; without ID the UI offers a scenario picker",
    valueName: "SCENARIO",
  },
  {
    name: "world",
    key: "world",
    arity: "value",
    commands: [...UI_AND_TOOLS, "sandbox"],
    describe: "run the sandbox on this world file instead of a shipped scenario",
    valueName: "FILE",
  },
  {
    name: "read-only",
    key: "readOnly",
    arity: "none",
    commands: UI_AND_TOOLS,
    describe: "show every fix as a preview, change nothing",
  },
  {
    name: "lang",
    key: "lang",
    arity: "value",
    commands: UI_AND_TOOLS,
    describe: "language of the screen: en or de (default: from LANG)",
    valueName: "LANG",
    check: (v) => (v === "en" || v === "de" ? undefined : `"${v}" is not a language we speak; use en or de`),
  },
  {
    name: "log-lines",
    key: "logLines",
    arity: "value",
    commands: ["ui"],
    describe: "lines the live log tail keeps in memory (default 5000; older lines drop out)",
    valueName: "N",
    check: (v) =>
      /^\d+$/.test(v) && Number(v) >= 100 && Number(v) <= 1_000_000
        ? undefined
        : `"${v}" is not a number of lines between 100 and 1000000`,
  },
  {
    name: "cdk-dir",
    key: "cdkDir",
    arity: "value",
    commands: ["ui", "fix"],
    describe: "the CDK app directory, for fix disable-database (default: current directory)",
    valueName: "DIR",
  },
  {
    name: "json",
    key: "format",
    arity: "none",
    commands: ["diagnose"],
    describe: "print the diagnosis as JSON",
  },
  {
    name: "markdown",
    key: "format",
    arity: "none",
    commands: ["diagnose"],
    describe: "print the support bundle as Markdown (redacted)",
  },
  {
    name: "output",
    key: "output",
    arity: "value",
    commands: ["diagnose"],
    describe: "write the report to FILE instead of standard output",
    valueName: "FILE",
  },
  {
    name: "dry-run",
    key: "dryRun",
    arity: "none",
    commands: ["fix"],
    describe: "print the preview only",
  },
  { name: "yes", key: "yes", arity: "none", commands: ["fix"], describe: "apply without asking" },
  {
    name: "timeout",
    key: "timeoutSeconds",
    arity: "value",
    commands: ["fix", "watch"],
    describe: "give up watching after SECONDS (default 900)",
    valueName: "SECONDS",
    check: (v) => (/^\d+$/.test(v) && Number(v) > 0 ? undefined : `"${v}" is not a whole number of seconds`),
  },
  {
    name: "deployment",
    key: "deploymentId",
    arity: "value",
    commands: ["watch"],
    describe: "the deployment to follow (default: the service's newest)",
    valueName: "ID",
    check: (v) =>
      /^ecs-svc\/\d+$/.test(v) ? undefined : `"${v}" is not an ECS deployment id (ecs-svc/123...)`,
  },
  {
    name: "scenario",
    key: "scenario",
    arity: "value",
    commands: ["sandbox"],
    describe: "the shipped scenario to serve (default healthy; see --list)",
    valueName: "ID",
  },
  {
    name: "port",
    key: "port",
    arity: "value",
    commands: ["sandbox"],
    describe: "port on 127.0.0.1 (default 4566; 0 picks a free one)",
    valueName: "N",
    check: (v) =>
      /^\d+$/.test(v) && Number(v) <= 65535 ? undefined : `"${v}" is not a port number (0 to 65535)`,
  },
  {
    name: "host",
    key: "host",
    arity: "value",
    commands: ["sandbox"],
    describe: "address to listen on; only loopback addresses are accepted (default 127.0.0.1)",
    valueName: "ADDR",
    check: (v) =>
      v === "127.0.0.1" || v === "localhost" || v === "::1"
        ? undefined
        : `the sandbox serves on loopback only; "${v}" is not 127.0.0.1, ::1 or localhost`,
  },
  {
    name: "speed",
    key: "speed",
    arity: "value",
    commands: ["sandbox", "ui", "diagnose", "fix", "watch"],
    describe: "sandbox clock speed: sandbox seconds per real second (default 10)",
    valueName: "X",
    check: (v) =>
      Number(v) > 0 && Number(v) <= 10000 ? undefined : `"${v}" is not a speed between 0 and 10000`,
  },
  { name: "list", key: "list", arity: "none", commands: ["sandbox"], describe: "list the shipped scenarios" },
  { name: "help", key: "command", arity: "none", describe: "show this help" },
  { name: "version", key: "command", arity: "none", describe: "print the version" },
];

export const COMMANDS: { name: Command; usage: string; describe: string }[] = [
  {
    name: "ui",
    usage: "afu9-tui [flags]",
    describe: "the terminal UI (prints the diagnosis when not on a terminal)",
  },
  {
    name: "diagnose",
    usage: "afu9-tui diagnose [--json | --markdown] [--output FILE] [flags]",
    describe: "run the runbook's steps 1-6 once and print the verdict",
  },
  {
    name: "fix",
    usage: "afu9-tui fix FIX-ID [--dry-run] [--yes] [flags]",
    describe: `preview, apply and watch a fix (${FIX_IDS.join(", ")})`,
  },
  {
    name: "watch",
    usage: "afu9-tui watch [--deployment ID] [flags]",
    describe: "follow a deployment until it is really healthy",
  },
  {
    name: "sandbox",
    usage: "afu9-tui sandbox [--scenario ID | --world FILE] [--port N] [--speed X] [--list]",
    describe: "serve a local fake AWS account on 127.0.0.1",
  },
];

export const DEFAULTS = {
  region: "eu-central-1",
  stack: "Afu9EcsStack",
  networkStack: "Afu9NetworkStack",
  databaseStack: "Afu9DatabaseStack",
  cluster: "afu9-cluster",
  service: "afu9-control-center-stage",
  defaultLogGroup: "/ecs/afu9/control-center",
  port: 4566,
  timeoutSeconds: 900,
  logLines: DEFAULT_LOG_CAPACITY,
};

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return d[a.length]![b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const dd = distance(word, c);
    if (dd < bestD) {
      bestD = dd;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function flagApplies(f: FlagSpec, command: Command): boolean {
  return f.commands === undefined || f.commands.includes(command);
}

/** Parses argv (without node and script) and the environment. */
export function parseArgs(argv: string[], env: Record<string, string | undefined> = {}): Options {
  const args = [...argv];
  let command: Command = "ui";
  const first = args[0];
  if (first !== undefined && !first.startsWith("-")) {
    const known = COMMANDS.map((c) => c.name).filter((c) => c !== "ui");
    if (!(known as string[]).includes(first)) {
      const hint = closest(first, known);
      throw new UsageError(
        `unknown command "${first}"${hint ? ` (did you mean ${hint}?)` : ""}; commands: ${known.join(", ")}`,
      );
    }
    command = first as Command;
    args.shift();
  }

  const given: Partial<Record<keyof Options, unknown>> = {};
  const sources: Options["sources"] = {};
  const positional: string[] = [];
  let help = false;
  let version = false;

  while (args.length > 0) {
    const arg = args.shift()!;
    if (arg === "--") {
      positional.push(...args.splice(0));
      break;
    }
    if (arg === "-h") {
      help = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      if (arg.startsWith("-") && arg.length > 1)
        throw new UsageError(`unknown flag ${arg}; flags are written --name (run afu9-tui --help)`);
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const spec = FLAGS.find((f) => f.name === name);
    if (!spec) {
      const hint = closest(
        name,
        FLAGS.map((f) => f.name),
      );
      throw new UsageError(
        `unknown flag --${name}${hint ? ` (did you mean --${hint}?)` : ""}; run afu9-tui --help for the flags`,
      );
    }
    if (!flagApplies(spec, command)) {
      const where = (spec.commands ?? []).map((c) => (c === "ui" ? "afu9-tui" : `afu9-tui ${c}`)).join(", ");
      throw new UsageError(
        `--${name} does not apply to ${command === "ui" ? "afu9-tui" : `afu9-tui ${command}`}; it is for ${where}`,
      );
    }
    if (spec.name === "help") {
      help = true;
      continue;
    }
    if (spec.name === "version") {
      version = true;
      continue;
    }
    let value: string | undefined;
    if (spec.arity === "none") {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value (got "${inline}")`);
    } else if (inline !== undefined) {
      value = inline;
    } else if (args[0] !== undefined && !args[0].startsWith("-")) {
      value = args.shift();
    } else if (spec.arity === "value") {
      throw new UsageError(`--${name} needs a value: --${name} ${spec.valueName ?? "VALUE"}`);
    }
    if (spec.arity === "value" && value === "")
      throw new UsageError(`--${name} needs a value, not an empty string`);
    if (value !== undefined && spec.check) {
      const problem = spec.check(value);
      if (problem) throw new UsageError(`--${name}: ${problem}`);
    }
    if (spec.name === "json" || spec.name === "markdown") {
      if (given.format !== undefined && given.format !== spec.name)
        throw new UsageError("--json and --markdown exclude each other; pick one");
      given.format = spec.name;
    } else if (spec.arity === "none") {
      given[spec.key] = true;
    } else if (spec.arity === "optional") {
      given[spec.key] = value ?? "";
    } else {
      given[spec.key] = value;
    }
    sources[spec.key] = "flag";
  }

  if (help) command = "help";
  else if (version) command = "version";

  if (command === "fix") {
    const id = positional.shift();
    if (id === undefined) throw new UsageError(`fix needs a FIX-ID: one of ${FIX_IDS.join(", ")}`);
    if (!(FIX_IDS as readonly string[]).includes(id)) {
      const hint = closest(id, FIX_IDS);
      throw new UsageError(
        `unknown fix "${id}"${hint ? ` (did you mean ${hint}?)` : ""}; fixes: ${FIX_IDS.join(", ")}`,
      );
    }
    given.fixId = id;
  }
  if (positional.length > 0 && command !== "help" && command !== "version")
    throw new UsageError(`unexpected argument "${positional[0]}"; run afu9-tui --help`);

  // Environment variables for flags that were not given.
  for (const f of FLAGS) {
    if (!f.env || given[f.key] !== undefined || !flagApplies(f, command)) continue;
    const v = env[f.env];
    if (v === undefined || v === "") continue;
    if (f.check) {
      const problem = f.check(v);
      if (problem) throw new UsageError(`${f.env} (environment): ${problem}`);
    }
    given[f.key] = v;
    sources[f.key] = "env";
  }
  // The AWS SDK reads AWS_DEFAULT_REGION too; so do we.
  if (given.region === undefined && env.AWS_DEFAULT_REGION && flagApplies(FLAGS[0]!, command)) {
    const problem = FLAGS[0]!.check!(env.AWS_DEFAULT_REGION);
    if (problem) throw new UsageError(`AWS_DEFAULT_REGION (environment): ${problem}`);
    given.region = env.AWS_DEFAULT_REGION;
    sources.region = "env";
  }

  if (given.sandbox !== undefined && given.endpointUrl !== undefined && sources.endpointUrl === "flag")
    throw new UsageError("--sandbox starts its own endpoint; leave out --endpoint-url (or drop --sandbox)");
  if (given.sandbox !== undefined && given.sandbox !== "" && given.world !== undefined)
    throw new UsageError("--sandbox ID and --world FILE both choose the sandbox's account; give one");
  if (command === "sandbox" && given.scenario !== undefined && given.world !== undefined)
    throw new UsageError("--scenario and --world both choose the account to serve; give one");
  if (given.world !== undefined && command !== "sandbox" && given.sandbox === undefined) given.sandbox = "";
  if (command !== "sandbox" && command !== "ui" && given.sandbox === "" && given.world === undefined)
    throw new UsageError(`afu9-tui ${command} --sandbox needs a scenario id (see afu9-tui sandbox --list)`);
  if (given.sandbox !== undefined) delete given.endpointUrl; // AWS_ENDPOINT_URL does not apply to the sandbox

  const opts: Options = {
    command,
    region: (given.region as string) ?? DEFAULTS.region,
    profile: given.profile as string | undefined,
    stack: (given.stack as string) ?? DEFAULTS.stack,
    networkStack: (given.networkStack as string) ?? DEFAULTS.networkStack,
    databaseStack: (given.databaseStack as string) ?? DEFAULTS.databaseStack,
    cluster: (given.cluster as string) ?? DEFAULTS.cluster,
    service: (given.service as string) ?? DEFAULTS.service,
    logGroup: given.logGroup as string | undefined,
    endpointUrl: given.endpointUrl as string | undefined,
    sandbox: given.sandbox as string | undefined,
    world: given.world as string | undefined,
    readOnly: given.readOnly === true,
    lang: (given.lang as "en" | "de" | undefined) ?? langFromEnv(env),
    cdkDir: given.cdkDir as string | undefined,
    logLines: given.logLines !== undefined ? Number(given.logLines) : DEFAULTS.logLines,
    format: (given.format as Options["format"]) ?? "text",
    output: given.output as string | undefined,
    fixId: given.fixId as string | undefined,
    dryRun: given.dryRun === true,
    yes: given.yes === true,
    timeoutSeconds:
      given.timeoutSeconds !== undefined ? Number(given.timeoutSeconds) : DEFAULTS.timeoutSeconds,
    deploymentId: given.deploymentId as string | undefined,
    scenario: given.scenario as string | undefined,
    port: given.port !== undefined ? Number(given.port) : DEFAULTS.port,
    host: (given.host as string) ?? "127.0.0.1",
    speed: given.speed !== undefined ? Number(given.speed) : undefined,
    list: given.list === true,
    sources,
  };
  for (const k of Object.keys(DEFAULTS)) if (!(k in sources)) sources[k] = "default";
  return opts;
}

function langFromEnv(env: Record<string, string | undefined>): "en" | "de" | undefined {
  const l = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return l.toLowerCase().startsWith("de") ? "de" : undefined;
}

export function helpText(version: string): string {
  const lines: string[] = [];
  lines.push(`afu9-tui ${version} — ECS circuit breaker: secrets diagnosis (runbook I-ECS-DB-04)`, "");
  lines.push("Usage:");
  for (const c of COMMANDS) lines.push(`  ${c.usage.padEnd(66)} ${c.describe}`);
  lines.push("", "Flags:");
  for (const f of FLAGS) {
    const left = `--${f.name}${f.arity === "value" ? ` ${f.valueName}` : f.arity === "optional" ? ` [${f.valueName}]` : ""}`;
    const env = f.env ? ` [${f.env}]` : "";
    lines.push(`  ${left.padEnd(26)} ${f.describe}${env}`);
  }
  lines.push(
    "",
    "Exit codes: 0 healthy / fix applied and ready, 1 a problem was found (or the deployment failed),",
    "            2 usage error, 3 could not diagnose (AWS unreachable, no permission, ...).",
    "",
    "Start here: afu9-tui --sandbox   (a built-in fake AWS account, no AWS account needed)",
  );
  return lines.join("\n");
}
