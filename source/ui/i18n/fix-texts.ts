// The lines the fix engine writes for the fix view (the preview of source/flow/fix-preview.ts, the
// apply results of source/flow/apply.ts, the watch of source/flow/watch.ts and source/aws/ready.ts),
// as the UI shows them in each language. The engine and `afu9-tui fix` / `watch` stay English.
// The fix view's state holds these lines as text (it is rendered and may be snapshotted, and never
// holds a value: the preview shows value SOURCES only); a catalog turns each line it knows into its
// language and leaves the others as they are. API call names, AWS CLI commands, ARNs, ids, AWS's
// and the app's own messages stay verbatim.

export interface FixTexts {
  /** The preview's lines (previewLines / diffLines), section by section. */
  preview(lines: readonly string[]): string[];
  /** The detail of an applied action (ActionResult.detail). */
  actionDetail(detail: string): string;
  /** watchSummaryLines (and the UI's "COULD NOT WATCH: …"). */
  summary(lines: readonly string[]): string[];
  /** A watch result's reason (WatchResult.reason) or a fix problem. */
  reason(reason: string): string;
  /** A line of readyLines (GET /api/ready). */
  ready(line: string): string;
  /** A stopped task's line during the watch. */
  stopped(line: string): string;
}

/** English: the engine's own lines. */
export const enFix: FixTexts = {
  preview: (lines) => [...lines],
  actionDetail: (d) => d,
  summary: (lines) => [...lines],
  reason: (r) => r,
  ready: (l) => l,
  stopped: (l) => l,
};
