/**
 * The built command line (`node dist/cli/main.js`) as real processes
 * for the fault tests: `serve` on an ephemeral port over its own
 * DATA_DIR, waited on until ready, `worker`, killed however a test
 * likes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { projectRoot } from '../../../src/config/paths.js';
import { ensureBuilt } from '../cli/cli.js';

const mainJs = path.join(projectRoot, 'dist', 'cli', 'main.js');

/** How a serve process ended. */
export interface ServeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started serve process. */
export interface ServeProcess extends CliProcess {
  /** The base URL it logged as listening on. */
  url: string;
}

/** A started command-line process. */
export interface CliProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output: () => string;
  /** Resolves when the process has ended. */
  exited: Promise<ServeExit>;
  /** Sends SIGKILL (if still running) and waits for the end. */
  kill(): Promise<ServeExit>;
}

/**
 * Starts `node dist/cli/main.js <args>` (built first if src/ is newer)
 * with `env` over the test's environment, JSON logs at info.
 */
export function startCli(
  args: string[],
  env: Record<string, string>,
): CliProcess {
  ensureBuilt();
  const child = spawn(process.execPath, [mainJs, ...args], {
    cwd: projectRoot,
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      SEED_CORPUS: '',
      PROGRESS: '0',
      ...env,
    },
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exited = new Promise<ServeExit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  let ended = false;
  void exited.then(() => (ended = true));

  return {
    child,
    output: () => Buffer.concat(chunks).toString('utf8'),
    exited,
    kill: async () => {
      if (!ended && child.exitCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

/**
 * Starts `serve` with `env` (PORT 0 unless given) and resolves once it
 * is listening. Fails with the output when it exits first or says
 * nothing for 30 s.
 */
export async function startServe(
  env: Record<string, string>,
): Promise<ServeProcess> {
  const proc = startCli(['serve'], { PORT: '0', ...env });
  let ended = false;
  void proc.exited.then(() => (ended = true));
  try {
    const url = await listeningUrl(proc.output, () => ended);
    return { ...proc, url };
  } catch (err) {
    await proc.kill();
    throw err;
  }
}

async function listeningUrl(
  output: () => string,
  ended: () => boolean,
): Promise<string> {
  for (let i = 0; i < 300 && !ended(); i++) {
    for (const line of output().split('\n')) {
      if (!line.includes('"listening"')) continue;
      return (JSON.parse(line) as { url: string }).url;
    }
    await sleep(100);
  }
  throw new Error(`serve did not start listening:\n${output()}`);
}

/** Readiness as GET /readyz reports it. */
export interface Ready {
  model_version: string;
  index_size: number;
}

/**
 * Waits until GET /readyz answers 200 and the process has logged
 * "service ready" (30 s at most): the log line can reach this process
 * after the HTTP answer does.
 */
export async function waitReady(serve: ServeProcess): Promise<Ready> {
  for (let i = 0; i < 300; i++) {
    const res = await fetch(`${serve.url}/readyz`).catch(() => undefined);
    if (res?.status === 200 && serve.output().includes('"service ready"')) {
      return (await res.json()) as Ready;
    }
    await res?.body?.cancel();
    await sleep(100);
  }
  throw new Error(`serve never became ready:\n${serve.output()}`);
}

/** POSTs `body` as JSON to `route` under `url`. */
export function postJson(
  url: string,
  route: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** One search hit as POST /v1/search returns it. */
export interface Hit {
  id: number;
  text: string;
  energy: number;
}

/** The ids POST /v1/search returns for `text`, nearest first. */
export async function searchIds(
  url: string,
  text: string,
  k = 5,
): Promise<Hit[]> {
  const res = await postJson(url, '/v1/search', { text, k });
  if (res.status !== 200) {
    throw new Error(`search answered ${res.status}: ${await res.text()}`);
  }
  return ((await res.json()) as { results: Hit[] }).results;
}
