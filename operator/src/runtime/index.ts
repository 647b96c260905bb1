// The generic controller runtime's public surface. It knows nothing about Roster's resources.
export { realClock, sleep, type Clock, type TimerHandle } from "./clock.js";
export { withDeadline, deadlinePassed } from "./deadline.js";
export { FakeClock, flushPromises } from "./fake-clock.js";
export { Backoff } from "./backoff.js";
export { startHeapTrim, HeapTrimPolicy, type GcFunction, type HeapTrimOptions } from "./heap-trim.js";
export {
  ExponentialBackoffLimiter,
  TokenBucketLimiter,
  MaxOfLimiter,
  defaultRateLimiter,
  type RateLimiter,
  type DefaultRateLimiterOptions,
} from "./queue/rate-limiter.js";
export { DelayScheduler } from "./queue/delay-scheduler.js";
export { KeyFifo } from "./queue/key-fifo.js";
export { WorkQueue, type WorkQueueOptions, type QueueItem, type QueueObserver } from "./queue/work-queue.js";
export {
  done,
  requeueAfter,
  transientError,
  terminalError,
  resultFromError,
  type ReconcileResult,
} from "./result.js";
export { Controller, type ControllerOptions, type Reconciler, type ReconcileContext } from "./controller.js";
export { RuntimeMetrics, type ControllerMetrics, type InProgressProbe } from "./metrics.js";
export {
  KubeClient,
  ApiError,
  ContentType,
  isConflict,
  isGone,
  isInvalid,
  isNotFound,
  type JsonPatchOp,
  type ListOptions,
  type ListResult,
  type RequestOptions,
} from "./kube/client.js";
export {
  apiVersionOf,
  objectKey,
  parseKey,
  resourcePath,
  type KubeObject,
  type ObjectMeta,
  type ObjectRef,
  type ResourceType,
} from "./kube/resource.js";
export { toMicroTime, parseKubeTime } from "./kube/micro-time.js";
export { loadKubeConfig, KubeConfigFile, type ClusterAccess } from "./kube/kubeconfig.js";
export { Store, byField, byLabel, type IndexFunc, type StoreChange } from "./informer/store.js";
export { Informer, slimForCache, type EventHandler, type InformerOptions } from "./informer/informer.js";
export {
  enqueueKeys,
  enqueueObject,
  enqueueOwners,
  generationChanged,
  ownerKeys,
  type Enqueue,
} from "./informer/event-handlers.js";
export {
  LeaderElector,
  LEASES,
  defaultIdentity,
  type LeaderElectionOptions,
  type LeaseSpec,
} from "./leader-election.js";
export {
  setCondition,
  removeCondition,
  findCondition,
  isConditionTrue,
  toKubeTime,
  type Condition,
  type ConditionStatus,
  type ConditionUpdate,
} from "./status/conditions.js";
export { deepEqual } from "./status/deep-equal.js";
export { mergePatchBetween } from "./status/merge-patch.js";
export { StatusWriter, type StatusWriteOutcome } from "./status/status-writer.js";
export {
  FinalizerHelper,
  addFinalizerPatch,
  removeFinalizerPatch,
  hasFinalizer,
  type FinalizerOutcome,
} from "./status/finalizers.js";
export {
  EventRecorder,
  EVENTS,
  type EventInput,
  type EventRecorderOptions,
} from "./events/event-recorder.js";
export { startProbeServer, type Check, type ProbeServer, type ProbeServerOptions } from "./http-server.js";
export { createLogger, redactPaths, SECRET_FIELDS, type LoggerOptions } from "./logger.js";
export { loadConfig, ConfigError, flagBool, flagInt, type ConfigSources } from "./config/load-config.js";
export { RuntimeConfig, LeaderElectionConfig } from "./config/runtime-config.js";
export { installShutdown, type ShutdownHandle, type ShutdownOptions, type ShutdownStep } from "./shutdown.js";
export { Manager, leaderElectionFrom, type ManagerLeaderElection, type ManagerOptions } from "./manager.js";
