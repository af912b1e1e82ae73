// Every text ECS (and the ECS agent) writes that the simulator reproduces, in one place, so the
// diagnosis classifiers can be tested against the same strings the sandbox produces.
// Sources: the ECS developer guide ("Amazon ECS stopped tasks error messages", "service event
// messages", "deployment circuit breaker"), the runbook I-ECS-DB-04, and public issue threads.

const SVC = (service: string) => `(service ${service})`;

// ------------------------------------------------------------------ service events

export const serviceEvents = {
  startedTasks: (service: string, taskIds: string[]) =>
    `${SVC(service)} has started ${taskIds.length} tasks: ${taskIds.map((t) => `(task ${t})`).join(" ")}.`,
  stoppedRunningTasks: (service: string, taskIds: string[]) =>
    `${SVC(service)} has stopped ${taskIds.length} running tasks: ${taskIds.map((t) => `(task ${t})`).join(" ")}.`,
  registeredTargets: (service: string, n: number, targetGroupArn: string) =>
    `${SVC(service)} registered ${n} targets in (target-group ${targetGroupArn})`,
  deregisteredTargets: (service: string, n: number, targetGroupArn: string) =>
    `${SVC(service)} deregistered ${n} targets in (target-group ${targetGroupArn})`,
  drainingConnections: (service: string, n: number) =>
    `${SVC(service)} has begun draining connections on ${n} tasks.`,
  unhealthyTarget: (service: string, port: number, targetGroupArn: string, codes: number[]) =>
    `${SVC(service)} (port ${port}) is unhealthy in (target-group ${targetGroupArn}) due to (reason Health checks failed with these codes: [${codes.join(",")}]).`,
  steadyState: (service: string) => `${SVC(service)} has reached a steady state.`,
  deploymentCompleted: (service: string, deploymentId: string) =>
    `${SVC(service)} (deployment ${deploymentId}) deployment completed.`,
  /** The runbook's wording of the circuit-breaker event ("failed circuit breaker: tasks failed to start."). */
  circuitBreakerFailed: (service: string, why: CircuitBreakerCause) =>
    `${SVC(service)} failed circuit breaker: ${CAUSE_TEXT[why]}.`,
  /** What ECS writes on the deployment that failed. */
  deploymentFailed: (service: string, deploymentId: string, why: CircuitBreakerCause) =>
    `${SVC(service)} (deployment ${deploymentId}) deployment failed: ${CAUSE_TEXT[why]}.`,
  rollingBack: (service: string, toDeploymentId: string) =>
    `${SVC(service)} rolling back to deployment ${toDeploymentId}.`,
};

export type CircuitBreakerCause = "start" | "elb";
const CAUSE_TEXT: Record<CircuitBreakerCause, string> = {
  start: "tasks failed to start",
  elb: "tasks failed ELB health checks",
};

// ------------------------------------------------------------------ rolloutStateReason

export const rolloutReasons = {
  inProgress: "ECS deployment in progress",
  completed: (deploymentId: string) => `ECS deployment ${deploymentId} completed.`,
  circuitBreakerFailed: (why: CircuitBreakerCause) => `ECS deployment circuit breaker: ${CAUSE_TEXT[why]}.`,
  rollingBack: (toDeploymentId: string) =>
    `ECS deployment circuit breaker: rolling back to deploymentId ${toDeploymentId}.`,
};

// ------------------------------------------------------------------ stopped reasons

const RIE = "ResourceInitializationError: unable to pull secrets or registry auth";
const ASM = `${RIE}: execution resource retrieval failed: unable to retrieve secret from asm`;

export const stoppedReasons = {
  essentialContainerExited: "Essential container in task exited",
  elbHealthChecks: (targetGroupArn: string) =>
    `Task failed ELB health checks in (target-group ${targetGroupArn})`,
  scalingActivity: (deploymentId: string) => `Scaling activity initiated by (deployment ${deploymentId})`,
  secretNotFound: () =>
    `${ASM}: service call has been retried 5 time(s): ResourceNotFoundException: Secrets Manager can't find the specified secret.`,
  secretValueNotFound: (stage: string) =>
    `${ASM}: service call has been retried 5 time(s): ResourceNotFoundException: Secrets Manager can't find the specified secret value for staging label: ${stage}`,
  secretAccessDenied: (principalArn: string, secretArn: string, explicit: boolean, requestId: string) =>
    `${ASM}: service call has been retried 1 time(s): AccessDeniedException: User: ${principalArn} is not authorized to perform: secretsmanager:GetSecretValue on resource: ${secretArn} ${
      explicit
        ? "with an explicit deny in an identity-based policy"
        : "because no identity-based policy allows the secretsmanager:GetSecretValue action"
    } status code: 400, request id: ${requestId}`,
  kmsAccessDenied: (requestId: string) =>
    `${ASM}: service call has been retried 1 time(s): AccessDeniedException: Access to KMS is not allowed status code: 400, request id: ${requestId}`,
  kmsKeyDisabled: (keyArn: string, requestId: string) =>
    `${ASM}: service call has been retried 1 time(s): DecryptionFailure: Secrets Manager can't decrypt the protected secret text using the provided KMS key. KMS key ${keyArn} is disabled. status code: 400, request id: ${requestId}`,
  secretMarkedForDeletion: (requestId: string) =>
    `${ASM}: service call has been retried 1 time(s): InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion. status code: 400, request id: ${requestId}`,
  secretMissingJsonKey: (key: string) =>
    `${ASM}: retrieved secret from Secrets Manager did not contain json key ${key}`,
  secretNotJson: (secretArn: string) =>
    `${ASM}: secret ${secretArn}: unable to unmarshal secret value of secret into json: invalid character looking for beginning of value`,
  secretsNetwork: (secretArn: string) =>
    `${ASM}: There is a connection issue between the task and AWS Secrets Manager. Check your task network configuration. failed to fetch secret ${secretArn} from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded`,
  ecrNetwork: (region: string) =>
    `${RIE}: The task cannot pull registry auth from Amazon ECR: There is a connection issue between the task and Amazon ECR. Check your task network configuration. RequestError: send request failed caused by: Post "https://api.ecr.${region}.amazonaws.com/": dial tcp 10.0.128.14:443: i/o timeout`,
  imageNotFound: (image: string) =>
    `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${withTag(image)}: ${withTag(image)}: not found`,
  imagePullFailed: (image: string, reason: string) =>
    `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${withTag(image)}: ${reason}`,
};

function withTag(image: string): string {
  const last = image.split("/").pop() ?? image;
  return last.includes(":") || last.includes("@") ? image : `${image}:latest`;
}

export const stopCodes = {
  taskFailedToStart: "TaskFailedToStart",
  essentialContainerExited: "EssentialContainerExited",
  serviceSchedulerInitiated: "ServiceSchedulerInitiated",
  userInitiated: "UserInitiated",
} as const;

// ------------------------------------------------------------------ API errors

export const apiErrors = {
  clusterNotFound: "Cluster not found.",
  serviceNotFound: "Service not found.",
  taskDefinitionNotFound: "Unable to describe task definition.",
};
