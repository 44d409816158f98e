/**
 * Progress bars for long commands, written to stderr so that stdout stays
 * clean for JSON. Silent when stderr is not a terminal unless forced.
 */
import cliProgress from 'cli-progress';

/** A bar with named values shown after the count. */
export interface ProgressBar {
  start(total: number, values?: Record<string, string | number>): void;
  update(value: number, values?: Record<string, string | number>): void;
  stop(): void;
}

/** Creates a bar; `format` may use {bar}, {value}, {total} and payload keys. */
export function progressBar(format: string): ProgressBar {
  const enabled = process.stderr.isTTY || process.env.PROGRESS === '1';
  if (!enabled) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total, values) => bar.start(total, 0, values),
    update: (value, values) => bar.update(value, values),
    stop: () => bar.stop(),
  };
}
