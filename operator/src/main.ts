/**
 * Roster's composition root: the only place that builds and connects the pieces. `startOperator`
 * runs the operator in-process (tests, the playground); run as a program it parses configuration
 * (flags > ROSTER_* environment > --config YAML > defaults), serves probes and metrics, and stops
 * gracefully on SIGTERM.
 */
import { hostname } from "node:os";
import { pathToFileURL } from "node:url";
import type { Logger } from "pino";
import { Counter, Registry } from "prom-client";
import { z } from "zod";
import { ConnectorPool } from "./controllers/connector-pool.js";
import { connectorBuilder, connectorFingerprint } from "./controllers/connectors/factory.js";
import { GrantController } from "./controllers/grant/grant-controller.js";
import { RosterMetrics } from "./controllers/metrics.js";
import { ACCESS_GRANTS, TARGETS, USERS, USER_FINALIZER } from "./controllers/resources.js";
import { TargetSync } from "./controllers/sync/target-sync.js";
import { ProvisioningState } from "./controllers/sync/target-state.js";
import { compactUserForCache } from "./controllers/user/cached-user.js";
import { UserController } from "./controllers/user/user-controller.js";
import { userVersion } from "./controllers/views.js";
import {
  Controller,
  EventRecorder,
  FinalizerHelper,
  Informer,
  KubeClient,
  LeaderElectionConfig,
  Manager,
  RuntimeConfig,
  RuntimeMetrics,
  StatusWriter,
  byField,
  createLogger,
  flagInt,
  installShutdown,
  loadConfig,
  loadKubeConfig,
  objectKey,
  realClock,
  startHeapTrim,
  startProbeServer,
  type ClusterAccess,
  type KubeObject,
  type Reconciler,
} from "./runtime/index.js";

export const OperatorConfig = RuntimeConfig.extend({
  /** Workers of the target sync controller: Targets reconciled at once. */
  targetWorkers: flagInt(z.number().int().min(1).max(64)).default(4),
  /** Workers of the User and AccessGrant status controllers. */
  statusWorkers: flagInt(z.number().int().min(1).max(64)).default(4),
  leaderElection: LeaderElectionConfig.extend({
    namespace: z.string().min(1).default("roster-system"),
    leaseName: z.string().min(1).default("roster-operator"),
  }).default(LeaderElectionConfig.parse({ namespace: "roster-system", leaseName: "roster-operator" })),
});
export type OperatorConfig = z.infer<typeof OperatorConfig>;

export interface RunningOperator {
  readonly state: ProvisioningState;
  readonly registry: Registry;
  readonly manager: Manager;
  readonly httpPort: number;
  stop(): Promise<void>;
}

/** How long a grant's status may lag behind User changes (matched-user counts). */
const GRANT_STATUS_DEBOUNCE_MS = 1000;

/** Lanes: revocations (and every change to a User or grant) before periodic full syncs. */
const LANES = ["revocation", "sync"] as const;

export async function startOperator(
  config: OperatorConfig,
  options: { kubeConfig?: ClusterAccess; logger?: Logger } = {},
): Promise<RunningOperator> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, base: { component: "roster" } });
  const client = new KubeClient(options.kubeConfig ?? loadKubeConfig(config.kubeconfig));
  const registry = new Registry();
  const runtimeMetrics = new RuntimeMetrics(registry, realClock);
  runtimeMetrics.collectProcessMetrics();
  const metrics = new RosterMetrics(registry);
  const state = new ProvisioningState();

  const informer = (type: typeof USERS, indexers = {}, transform?: (obj: KubeObject) => KubeObject) =>
    new Informer<KubeObject>({ client, type, logger, indexers, ...(transform ? { transform } : {}) });
  const users = informer(USERS, {}, compactUserForCache);
  const grants = informer(ACCESS_GRANTS, { namespace: byField((o) => o.metadata?.namespace) });
  const targets = informer(TARGETS);

  const controller = (name: string, reconcile: Reconciler, workers: number) =>
    new Controller({
      name,
      reconcile,
      logger,
      workers,
      metrics: runtimeMetrics,
      queue: { lanes: LANES, defaultLane: "sync" },
    });

  const userController = new UserController({
    users: users.store,
    grants: grants.store,
    targets: targets.store,
    state,
    statusWriter: new StatusWriter(client, USERS),
    finalizers: new FinalizerHelper(client, USERS, USER_FINALIZER),
    clock: realClock,
  });
  const userCtl = controller("user", userController.reconcile, config.statusWorkers);
  const grantCtl = controller(
    "accessgrant",
    new GrantController({
      grants: grants.store,
      targets: targets.store,
      users: users.store,
      statusWriter: new StatusWriter(client, ACCESS_GRANTS),
      clock: realClock,
    }).reconcile,
    config.statusWorkers,
  );
  const events = new EventRecorder({
    client,
    logger,
    reportingController: "roster.dev/operator",
    reportingInstance: hostname(),
  });
  const pool = new ConnectorPool(
    connectorBuilder(client, logger),
    connectorFingerprint(client, realClock.now),
  );
  const targetSync = new TargetSync({
    client,
    targets: targets.store,
    users: users.store,
    grants: grants.store,
    pool,
    state,
    statusWriter: new StatusWriter(client, TARGETS),
    clock: realClock,
    metrics,
    events,
    onUserChanged: (name) => userCtl.enqueue(name, "revocation"),
  });
  const targetCtl = controller("target", targetSync.reconcile, config.targetWorkers);
  // Its own queue, so a leaver's cut runs beside a long pass of the same Target.
  const cutCtl = controller("target-cut", targetSync.cutLane, config.targetWorkers);

  wireEvents({ users, grants, targets, userCtl, grantCtl, targetCtl, cutCtl, state });

  const manager = new Manager({
    logger,
    ...(config.leaderElection.enabled
      ? {
          leaderElection: {
            client,
            namespace: config.leaderElection.namespace,
            leaseName: config.leaderElection.leaseName,
            identity:
              config.leaderElection.identity ?? `${hostname()}-${Math.random().toString(36).slice(2, 8)}`,
            leaseDurationMs: config.leaderElection.leaseDurationMs,
            renewDeadlineMs: config.leaderElection.renewDeadlineMs,
            retryPeriodMs: config.leaderElection.retryPeriodMs,
          },
        }
      : {}),
  });
  for (const inf of [users, grants, targets]) manager.addInformer(inf);
  for (const ctl of [targetCtl, cutCtl, userCtl, grantCtl]) manager.addController(ctl);
  const probes = await startProbeServer({
    port: config.httpPort,
    host: config.httpHost,
    registry,
    logger,
    readyChecks: manager.readyChecks(),
  });
  await manager.start();
  return {
    state,
    registry,
    manager,
    httpPort: probes.port,
    async stop() {
      await manager.stop();
      await events.flush();
      await pool.closeAll();
      await probes.close();
    },
  };
}

/** Event handlers only enqueue keys. Any change to a User or grant may change every Target's desired state. */
function wireEvents(args: {
  users: Informer<KubeObject>;
  grants: Informer<KubeObject>;
  targets: Informer<KubeObject>;
  userCtl: Controller;
  grantCtl: Controller;
  targetCtl: Controller;
  cutCtl: Controller;
  state: ProvisioningState;
}): void {
  const { users, grants, targets, userCtl, grantCtl, targetCtl, cutCtl, state } = args;
  const allTargets = () => targets.store.keys().forEach((key) => targetCtl.enqueue(key, "revocation"));
  const allCutLanes = () => targets.store.keys().forEach((key) => cutCtl.enqueue(key, "revocation"));
  // Grant status (matched Users) follows User changes at most once a second per grant.
  const allGrants = () =>
    grants.store.keys().forEach((key) => grantCtl.enqueueAfter(key, GRANT_STATUS_DEBOUNCE_MS));
  const onUser = (obj: KubeObject) => {
    state.noteUserChange(obj.metadata?.name ?? "", Date.now());
    userCtl.enqueue(objectKey(obj));
    allTargets();
    allCutLanes();
    allGrants();
  };
  users.addEventHandler({
    onAdd: onUser,
    // Status-only writes (Roster's own) change no decision; a finalizer change needs the User controller.
    onUpdate: (old, obj) => {
      if (userVersion(old) !== userVersion(obj)) onUser(obj);
      else if (!sameFinalizers(old, obj)) userCtl.enqueue(objectKey(obj));
    },
    onDelete: onUser,
  });
  const onGrant = (obj: KubeObject) => {
    grantCtl.enqueue(objectKey(obj));
    // A grant's window shows in its Users' nextTransitionTime.
    users.store.keys().forEach((key) => userCtl.enqueue(key));
    const target = (obj.spec as { target?: string } | undefined)?.target;
    if (!target) return;
    const key = `${obj.metadata?.namespace}/${target}`;
    state.decideAllFor(key);
    targetCtl.enqueue(key, "revocation");
  };
  grants.addEventHandler({
    onAdd: onGrant,
    onUpdate: (old, obj) => {
      if (!specChanged(old, obj)) return grantCtl.enqueue(objectKey(obj));
      onGrant(old);
      onGrant(obj);
    },
    onDelete: onGrant,
  });
  const onTarget = (obj: KubeObject) => {
    state.decideAllFor(objectKey(obj));
    targetCtl.enqueue(objectKey(obj), "sync");
    allGrants();
  };
  targets.addEventHandler({
    onAdd: onTarget,
    // The Target's own status writes need no pass; spec and annotation changes (release) do.
    onUpdate: (old, obj) => {
      const annotationsChanged =
        JSON.stringify(old.metadata?.annotations) !== JSON.stringify(obj.metadata?.annotations);
      if (specChanged(old, obj) || annotationsChanged) onTarget(obj);
    },
    onDelete: onTarget,
  });
}

function specChanged(old: KubeObject, obj: KubeObject): boolean {
  return old.metadata?.generation !== obj.metadata?.generation;
}

function sameFinalizers(old: KubeObject, obj: KubeObject): boolean {
  return JSON.stringify(old.metadata?.finalizers ?? []) === JSON.stringify(obj.metadata?.finalizers ?? []);
}

async function main(): Promise<void> {
  const logger = createLogger({ base: { component: "roster" } });
  let config: OperatorConfig;
  try {
    config = loadConfig(OperatorConfig, {
      argv: process.argv.slice(2),
      env: process.env,
      envPrefix: "ROSTER_",
    });
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  logger.level = config.logLevel;
  const operator = await startOperator(config, { logger });
  logger.info({ httpPort: operator.httpPort }, "roster operator started");
  const trims = new Counter({
    name: "roster_heap_trims_total",
    help: "Memory-reducing garbage collections run while idle after a burst of work (needs node --expose-gc).",
    registers: [operator.registry],
  });
  const stopHeapTrim = startHeapTrim({ logger, onTrim: () => trims.inc() });
  const shutdown = installShutdown({
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    steps: [
      { name: "heap trim", run: async () => stopHeapTrim() },
      { name: "operator", run: () => operator.stop() },
    ],
  });
  void operator.manager.leadershipLost().then(() => shutdown.trigger("lost leadership"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
