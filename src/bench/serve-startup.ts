/**
 * Start-up of the real `siamese-dedup serve` process over an existing
 * DATA_DIR: time from spawning it until GET /readyz first answers, and
 * until it answers 200 (model loaded, saved index loaded and reconciled
 * with SQLite). The process is stopped with SIGTERM afterwards.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { projectRoot } from '../config/paths.js';
import { BENCH_SETTINGS } from './bench-server.js';

/** The built command-line entry. */
const CLI = path.join(projectRoot, 'dist', 'cli', 'main.js');

/** Milliseconds between readiness probes. */
const PROBE_MS = 20;

/** One start of `serve`, in seconds from spawn. */
export interface StartupTiming {
  /** Until /readyz answered at all (listening). */
  listening: number;
  /** Until /readyz answered 200. */
  ready: number;
}

/** A port free on loopback right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Status of GET `url`, or 0 when nothing answers. */
async function probe(url: string): Promise<number> {
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * Starts `serve` on `dataDir` and times it; gives up after
 * `limitSeconds`. The process is stopped before this returns.
 */
export async function timeServeStartup(
  dataDir: string,
  modelDir: string,
  limitSeconds = 120,
): Promise<StartupTiming> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...BENCH_SETTINGS,
    DATA_DIR: dataDir,
    MODEL_DIR: modelDir,
  };
  delete env.REDIS_URL;

  const started = performance.now();
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--host', '127.0.0.1', '--port', String(port)],
    { env, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}/readyz`;
  const seconds = () => (performance.now() - started) / 1000;

  try {
    let listening = NaN;
    while (seconds() < limitSeconds && child.exitCode === null) {
      const status = await probe(url);
      if (status !== 0 && Number.isNaN(listening)) listening = seconds();
      if (status === 200) return { listening, ready: seconds() };
      await sleep(PROBE_MS);
    }
    throw new Error(
      child.exitCode === null
        ? `serve was not ready after ${limitSeconds} s`
        : `serve exited with code ${child.exitCode} before it was ready`,
    );
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}
