// CloudFormation: stacks, their outputs and their events, in our own types.

import type { StackEvent } from "../diagnosis/model.js";
import type { Clients } from "./clients.js";
import { AwsProblem, call } from "./errors.js";

export interface StackInfo {
  name: string;
  stackId: string;
  status: string;
  outputs: Record<string, string>;
}

/** The stack, or undefined when it does not exist ("Stack with id X does not exist"). */
export async function describeStack(c: Clients, name: string): Promise<StackInfo | undefined> {
  const { DescribeStacksCommand } = await import("@aws-sdk/client-cloudformation");
  const cf = await c.cloudformation();
  try {
    const out = await call(
      "cloudformation:DescribeStacks",
      () => cf.send(new DescribeStacksCommand({ StackName: name })),
      c.target.profile,
    );
    const s = out.Stacks?.[0];
    if (!s) return undefined;
    const outputs: Record<string, string> = {};
    for (const o of s.Outputs ?? []) if (o.OutputKey) outputs[o.OutputKey] = o.OutputValue ?? "";
    return { name: s.StackName ?? name, stackId: s.StackId ?? "", status: s.StackStatus ?? "", outputs };
  } catch (e) {
    if (e instanceof AwsProblem && /does not exist/.test(e.message)) return undefined;
    throw e;
  }
}

/** Names of the stacks that exist (for "did you mean"), newest first. */
export async function listStackNames(c: Clients): Promise<string[]> {
  const { ListStacksCommand } = await import("@aws-sdk/client-cloudformation");
  const cf = await c.cloudformation();
  const out = await call(
    "cloudformation:ListStacks",
    () => cf.send(new ListStacksCommand({})),
    c.target.profile,
  );
  return (out.StackSummaries ?? [])
    .filter((s) => s.StackStatus !== "DELETE_COMPLETE")
    .map((s) => s.StackName ?? "");
}

/**
 * Stack events newest first, enough to cover the latest stack operation: pages until the event
 * that started it (the stack's own *_IN_PROGRESS with "User Initiated") or `max` events.
 */
export async function stackEvents(c: Clients, name: string, max = 200): Promise<StackEvent[]> {
  const { DescribeStackEventsCommand } = await import("@aws-sdk/client-cloudformation");
  const cf = await c.cloudformation();
  const events: StackEvent[] = [];
  let token: string | undefined;
  do {
    const out = await call(
      "cloudformation:DescribeStackEvents",
      () => cf.send(new DescribeStackEventsCommand({ StackName: name, NextToken: token })),
      c.target.profile,
    );
    let startedHere = false;
    for (const e of out.StackEvents ?? []) {
      const ev: StackEvent = {
        eventId: e.EventId,
        stackName: e.StackName,
        timestamp: e.Timestamp,
        logicalResourceId: e.LogicalResourceId ?? "",
        physicalResourceId: e.PhysicalResourceId,
        resourceType: e.ResourceType ?? "",
        status: e.ResourceStatus ?? "",
        reason: e.ResourceStatusReason,
      };
      events.push(ev);
      if (
        ev.logicalResourceId === name &&
        /_IN_PROGRESS$/.test(ev.status) &&
        /User Initiated/i.test(ev.reason ?? "")
      )
        startedHere = true;
    }
    token = out.NextToken;
    if (startedHere) break;
  } while (token && events.length < max);
  return events;
}
