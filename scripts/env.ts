import { type AppConfig, loadConfig } from '@affection/config';

/** The configuration `npm start` runs on, from `process.env`. */
export function readStartConfig(): AppConfig {
  return loadConfig(process.env, process.cwd());
}
