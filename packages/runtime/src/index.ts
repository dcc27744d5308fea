/**
 * The composition root: one factory builds the database, Redis connections, SMS sender, call rooms, LiveKit clients,
 * logger, clock and SMS policies from the validated config; the server, the workers and `npm start` compose what they
 * need from it. Also: the `DATA_DIR` lock, the production checks, the shutdown with a deadline, and the launchers of
 * the embedded Redis and LiveKit that `npm start` supervises (the test harness uses them too).
 */
export {
  type CreateLoggerOptions,
  createLogger,
  MASKED_PHONE,
  REDACTED_LOG_PATHS,
} from './create-logger.ts';
export {
  type CreateRuntimeOptions,
  closeRedis,
  createRuntime,
  type RedisConnectionKind,
  type Runtime,
  type RuntimeLivekit,
  smsPoliciesOf,
} from './create-runtime.ts';
export { DATA_DIR_LOCK_FILE, type DataDirLock, DataDirLockedError, lockDataDir } from './data-dir-lock.ts';
export {
  type ProcessExit,
  type RunningProcess,
  type SpawnOptions,
  spawnUntilReady,
  stopProcess,
} from './dev-services/child-process.ts';
export { findBinary } from './dev-services/find-binary.ts';
export { getFreeTcpPort, getFreeUdpPort } from './dev-services/free-port.ts';
export {
  isLoopbackHost,
  isWildcardHost,
  lanAddresses,
  lanUrlLines,
  type NetworkInterfaces,
  reachableAddresses,
} from './dev-services/lan-address.ts';
export {
  findLivekitBinary,
  LIVEKIT_LAN_PORTS,
  type LivekitServer,
  livekitInstallHint,
  type StartLivekitOptions,
  startLivekit,
} from './dev-services/livekit-launcher.ts';
export {
  REDIS_INSTALL_HINT,
  type RedisServer,
  type StartRedisOptions,
  startRedis,
} from './dev-services/redis-launcher.ts';
export {
  DEV_LIVEKIT_CREDENTIALS,
  type DevServices,
  type StartDevServicesOptions,
  startDevServices,
} from './dev-services/start-dev-services.ts';
export { stopLeftOver } from './dev-services/stop-left-over.ts';
export {
  type RestartableService,
  type SuperviseChildOptions,
  type SupervisedService,
  superviseChild,
} from './dev-services/supervise-child.ts';
export { type DevToolPaths, readDevToolPaths } from './env.ts';
export { MIN_NODE_MAJOR, unsupportedNodeProblem } from './node-version.ts';
export {
  DatabaseNotMigratedError,
  migratesOnStart,
  type OpenConfiguredDatabaseOptions,
  openConfiguredDatabase,
} from './open-configured-database.ts';
export { OUTBOUND_TRUNK_NAME, phoneBridgeFor } from './phone-bridge-for.ts';
export { ProductionConfigError, type ProductionPlan, productionProblems } from './production-problems.ts';
export {
  type ExitOnSignalsOptions,
  exitOnSignals,
  runShutdown,
  type ShutdownReport,
  type ShutdownStep,
  settleWithin,
} from './shutdown.ts';
export { type ConfiguredSmsSender, smsSenderFor } from './sms-sender-for.ts';
export { voiceNotifierFor } from './voice-notifier-for.ts';
