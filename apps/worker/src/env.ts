import { type AppConfig, loadConfig } from '@affection/config';

/** The worker's configuration from `process.env` (the only place it is read). */
export function readWorkerConfig(): AppConfig {
  return loadConfig(process.env, process.cwd());
}
