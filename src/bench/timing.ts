/**
 * Small timing helpers for benchmark parts. Every measure is taken twice:
 * on the wall clock (what a user got while other processes shared the
 * CPU) and in this process's CPU time, all threads (what one core gives:
 * the WASM backend computes on one thread, V8 adds a little on others).
 */
import * as tf from '@tensorflow/tfjs';

/** A duration on the wall clock and in process CPU time, in seconds. */
export interface Seconds {
  wall: number;
  cpu: number;
}

/** A stopwatch for both clocks. */
export function stopwatch(): () => Seconds {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return {
      wall: (performance.now() - wall) / 1000,
      cpu: (used.user + used.system) / 1e6,
    };
  };
}

/** `amount` per second by each clock. */
export function perSecond(amount: number, time: Seconds): Seconds {
  return { wall: amount / time.wall, cpu: amount / time.cpu };
}

/**
 * Runs `work` until at least `seconds` of wall time have passed and
 * `minRuns` runs are done, after `warmUp` untimed runs; returns the mean
 * time per run.
 */
export function secondsPerRun(
  work: () => void,
  options: { seconds: number; minRuns?: number; warmUp?: number },
): Seconds {
  for (let i = 0; i < (options.warmUp ?? 1); i++) work();
  const elapsed = stopwatch();
  let runs = 0;
  let time = elapsed();
  while (runs < (options.minRuns ?? 1) || time.wall < options.seconds) {
    work();
    runs++;
    time = elapsed();
  }
  return { wall: time.wall / runs, cpu: time.cpu / runs };
}

/**
 * GFLOP/s of one [m, k] x [k, n] product on the current backend, by each
 * clock: for the large product, the practical ceiling of dense arithmetic.
 */
export function matMulGflops(
  m: number,
  k: number,
  n: number,
  seconds: number,
): Seconds {
  const a = tf.randomUniform([m, k]);
  const b = tf.randomUniform([k, n]);
  const perRun = secondsPerRun(
    () => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    },
    { seconds, minRuns: 2 },
  );
  tf.dispose([a, b]);
  return perSecond((2 * m * k * n) / 1e9, perRun);
}

/**
 * Microseconds of CPU time one small elementwise op costs on the current
 * backend: the fixed price of every kernel call.
 */
export function opOverheadMicros(seconds: number): number {
  const x = tf.ones([64, 64]);
  const perRun = secondsPerRun(
    () => {
      const y = tf.tidy(() => {
        let t = x;
        for (let i = 0; i < 100; i++) t = tf.add(t, 1);
        return t;
      });
      y.dataSync();
      y.dispose();
    },
    { seconds, minRuns: 3 },
  );
  tf.dispose(x);
  return (perRun.cpu / 100) * 1e6;
}
