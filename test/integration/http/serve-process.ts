/** Waiting on a `siamese-dedup serve` process started by a test. */
import { setTimeout as sleep } from 'node:timers/promises';

/** The URL `serve` logged as listening on, once it has. */
export async function listeningUrl(stdout: () => string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    for (const line of stdout().split('\n')) {
      if (!line.includes('"listening"')) continue;
      return (JSON.parse(line) as { url: string }).url;
    }
    await sleep(100);
  }
  throw new Error(`serve did not start:\n${stdout()}`);
}

/** Resolves once GET /readyz at `url` answers 200. */
export async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.status === 200) return;
    await sleep(100);
  }
  throw new Error('serve never became ready');
}
