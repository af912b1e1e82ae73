// The shipped scenarios: world files with stable ids. The JSON is imported statically so a
// bundler can inline it. `loadWorldFile` reads a user's own world file (docs/world-format.md).

import { readFileSync } from "node:fs";
import { parseWorld, validateWorld, type World } from "../world.js";
import dbCredentialsWrong from "./db-credentials-wrong.json" with { type: "json" };
import dbEnabledNotNeeded from "./db-enabled-not-needed.json" with { type: "json" };
import dbSecretIncomplete from "./db-secret-incomplete.json" with { type: "json" };
import dbSecretMissing from "./db-secret-missing.json" with { type: "json" };
import githubSecretIncomplete from "./github-secret-incomplete.json" with { type: "json" };
import githubSecretMissing from "./github-secret-missing.json" with { type: "json" };
import healthy from "./healthy.json" with { type: "json" };
import imagePullFailed from "./image-pull-failed.json" with { type: "json" };
import kmsAccessDenied from "./kms-access-denied.json" with { type: "json" };
import llmSecretIncomplete from "./llm-secret-incomplete.json" with { type: "json" };
import llmSecretMissing from "./llm-secret-missing.json" with { type: "json" };
import loadBalancerMisconfigured from "./load-balancer-misconfigured.json" with { type: "json" };
import secretAccessDenied from "./secret-access-denied.json" with { type: "json" };
import secretNotJson from "./secret-not-json.json" with { type: "json" };
import secretsNetworkUnreachable from "./secrets-network-unreachable.json" with { type: "json" };

const RAW: Record<string, unknown> = {
  healthy: healthy,
  "db-secret-missing": dbSecretMissing,
  "db-secret-incomplete": dbSecretIncomplete,
  "db-enabled-not-needed": dbEnabledNotNeeded,
  "db-credentials-wrong": dbCredentialsWrong,
  "github-secret-missing": githubSecretMissing,
  "github-secret-incomplete": githubSecretIncomplete,
  "llm-secret-missing": llmSecretMissing,
  "llm-secret-incomplete": llmSecretIncomplete,
  "secret-access-denied": secretAccessDenied,
  "kms-access-denied": kmsAccessDenied,
  "secret-not-json": secretNotJson,
  "secrets-network-unreachable": secretsNetworkUnreachable,
  "image-pull-failed": imagePullFailed,
  "load-balancer-misconfigured": loadBalancerMisconfigured,
};

/** Stable ids, in the order `afu9-tui sandbox --list` shows them. */
export const SCENARIO_IDS = Object.keys(RAW);

export interface ScenarioInfo {
  id: string;
  description: string;
  /** The fix the diagnosis should propose (disable-database, database-secret, github-secret, llm-secret, sync-db-credentials) or null. */
  fix: string | null;
}

export const SCENARIOS: ScenarioInfo[] = SCENARIO_IDS.map((id) => {
  const w = RAW[id] as World;
  return { id, description: w.description, fix: w.expect?.fix ?? null };
});

/** A fresh, validated copy of a shipped scenario's world. Throws listing the valid ids on a wrong id. */
export function loadScenario(id: string): World {
  const raw = RAW[id];
  if (raw === undefined) {
    throw new Error(`unknown scenario "${id}"; valid scenarios: ${SCENARIO_IDS.join(", ")}`);
  }
  return validateWorld(structuredClone(raw), `scenario ${id}`);
}

/** Reads and validates a world file (JSON). Throws WorldError naming the file, the path and the problem. */
export function loadWorldFile(path: string): World {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`cannot read world file ${path}: ${(e as Error).message}`);
  }
  return parseWorld(text, path);
}
