// AWS managed policies that every sandbox account has, trimmed to the statements that matter
// for this tool (the real ones list more services).

import type { Document } from "../lib/iam-policy.js";

export interface BuiltinPolicy {
  name: string;
  arn: string;
  policyId: string;
  path: string;
  description: string;
  document: Document;
  defaultVersionId: string;
}

export const AWS_MANAGED_POLICIES: BuiltinPolicy[] = [
  {
    name: "SecretsManagerReadWrite",
    arn: "arn:aws:iam::aws:policy/SecretsManagerReadWrite",
    policyId: "ANPAIZ5QTMB2A5RCXYJ7M",
    path: "/",
    description: "Provides read/write access to AWS Secrets Manager via the AWS Management Console.",
    defaultVersionId: "v5",
    document: {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "BasePermissions",
          Effect: "Allow",
          Action: ["secretsmanager:*", "kms:DescribeKey", "kms:ListAliases", "kms:ListKeys"],
          Resource: "*",
        },
      ],
    },
  },
  {
    name: "AmazonECSTaskExecutionRolePolicy",
    arn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    policyId: "ANPAJG4T4G4PV56DE72PY",
    path: "/service-role/",
    description: "Provides access to other AWS service resources that are required to run Amazon ECS tasks",
    defaultVersionId: "v1",
    document: {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: [
            "ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
          ],
          Resource: "*",
        },
      ],
    },
  },
  {
    name: "AdministratorAccess",
    arn: "arn:aws:iam::aws:policy/AdministratorAccess",
    policyId: "ANPAIWMBCKSKIEE64ZLYK",
    path: "/",
    description: "Provides full access to AWS services and resources.",
    defaultVersionId: "v1",
    document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  },
  {
    name: "ReadOnlyAccess",
    arn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
    policyId: "ANPAILL3HVNFSB6DCOWYQ",
    path: "/",
    description: "Provides read-only access to AWS services and resources.",
    defaultVersionId: "v1",
    document: {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: [
            "ecs:Describe*",
            "ecs:List*",
            "logs:Get*",
            "logs:Describe*",
            "logs:FilterLogEvents",
            "secretsmanager:DescribeSecret",
            "secretsmanager:ListSecrets",
            "iam:Get*",
            "iam:List*",
            "cloudformation:Describe*",
          ],
          Resource: "*",
        },
      ],
    },
  },
];
