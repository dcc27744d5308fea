import { type AppConfig, loadConfig } from '@affection/config';

/** The server's configuration from `process.env` (the only place it is read). */
export function readServerConfig(): AppConfig {
  return loadConfig(process.env, process.cwd());
}
