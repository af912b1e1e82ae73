// CloudFormation (Query protocol): DescribeStacks, DescribeStackEvents, ListStacks.

import { type Account, AwsError, type Stack } from "../account.js";
import type { Input, ServiceModule } from "../protocol.js";
import { qList } from "../protocols/query.js";
import { page } from "./paging.js";

const EVENTS_PAGE = 100;
const BAD_TOKEN = { code: "ValidationError", message: "Invalid NextToken" };

function findStack(account: Account, nameOrId: unknown): Stack {
  const id = typeof nameOrId === "string" ? nameOrId : "";
  const s = account.stacks.get(id) ?? [...account.stacks.values()].find((x) => x.stackId === id);
  if (!s) throw new AwsError("ValidationError", `Stack with id ${id} does not exist`, 400);
  return s;
}

function stackOut(s: Stack) {
  return {
    StackId: s.stackId,
    StackName: s.name,
    Description: s.description,
    Parameters: Object.entries(s.parameters).map(([ParameterKey, ParameterValue]) => ({
      ParameterKey,
      ParameterValue,
    })),
    CreationTime: new Date(s.createdAt),
    LastUpdatedTime: s.updatedAt !== undefined ? new Date(s.updatedAt) : undefined,
    StackStatus: s.status,
    DisableRollback: false,
    NotificationARNs: [],
    Capabilities: ["CAPABILITY_IAM"],
    Outputs: Object.entries(s.outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    Tags: [],
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: "NOT_CHECKED" },
  };
}

export function createCloudFormation(): ServiceModule {
  return {
    service: "cloudformation",
    ops: {
      DescribeStacks(input: Input, { account }) {
        if (input.StackName !== undefined && input.StackName !== "") {
          return { Stacks: [stackOut(findStack(account, input.StackName))] };
        }
        const all = [...account.stacks.values()].filter((s) => s.status !== "DELETE_COMPLETE");
        const p = page(all, 100, input.NextToken, BAD_TOKEN);
        return { Stacks: p.items.map(stackOut), NextToken: p.next };
      },
      DescribeStackEvents(input: Input, { account }) {
        if (input.StackName === undefined || input.StackName === "") {
          throw new AwsError(
            "ValidationError",
            "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null",
          );
        }
        const s = findStack(account, input.StackName);
        // account keeps them newest first
        const p = page(s.events, EVENTS_PAGE, input.NextToken, BAD_TOKEN);
        return {
          StackEvents: p.items.map((e) => ({
            StackId: e.stackId,
            EventId: e.eventId,
            StackName: e.stackName,
            LogicalResourceId: e.logicalResourceId,
            PhysicalResourceId: e.physicalResourceId,
            ResourceType: e.resourceType,
            Timestamp: new Date(e.timestamp),
            ResourceStatus: e.resourceStatus,
            ResourceStatusReason: e.resourceStatusReason,
          })),
          NextToken: p.next,
        };
      },
      ListStacks(input: Input, { account }) {
        const filter = qList(input.StackStatusFilter).map(String);
        const all = [...account.stacks.values()].filter(
          (s) => filter.length === 0 || filter.includes(s.status),
        );
        const p = page(all, 100, input.NextToken, BAD_TOKEN);
        return {
          StackSummaries: p.items.map((s) => ({
            StackId: s.stackId,
            StackName: s.name,
            TemplateDescription: s.description,
            CreationTime: new Date(s.createdAt),
            LastUpdatedTime: s.updatedAt !== undefined ? new Date(s.updatedAt) : undefined,
            StackStatus: s.status,
            DriftInformation: { StackDriftStatus: "NOT_CHECKED" },
          })),
          NextToken: p.next,
        };
      },
    },
  };
}
