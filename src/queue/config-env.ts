/**
 * The environment handed to a processor's process or thread: exactly the
 * parent's settings, so both read the same DATA_DIR, Redis and limits.
 */
import type { Config } from '../config/config.js';

/** Variables passed through from the parent's own environment. */
const PASSED_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'TZ'];

/**
 * `config` as environment variables (DATA_DIR made absolute), plus the
 * few system variables a process needs. Nothing else of the parent's
 * environment leaks in, so loadConfig on the result gives `config`.
 */
export function configToEnv(
  config: Config,
  parentEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = parentEnv[name];
    if (value !== undefined) env[name] = value;
  }

  for (const [name, value] of Object.entries(config)) {
    if (name === 'dataDir' || value === undefined) continue;
    env[name] = String(value);
  }
  env.DATA_DIR = config.dataDir;
  return env;
}
