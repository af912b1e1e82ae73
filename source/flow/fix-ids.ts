// The fix ids in the runbook's order (the fix menu's order after the recommended fix). Stable:
// the command line, scripts and tests use them. A module of its own so the command line can
// check an id without loading the fix planner.
export const FIX_IDS = [
  "disable-database",
  "database-secret",
  "github-secret",
  "llm-secret",
  "sync-db-credentials",
  "redeploy",
] as const;
