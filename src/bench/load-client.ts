/**
 * Entry of the load-generating child process: receives a
 * {@link LoadSpec}, runs autocannon against the server, and sends back
 * a {@link LoadResult}. Each connection cycles through a fixed,
 * interleaved sequence of requests in the shares the spec gives, and
 * each request of a kind takes the next of that kind's bodies.
 */
import autocannon from 'autocannon';

import { mulberry32, shuffleInPlace } from '../data/seeded-random.js';
import { summarise } from './latency.js';
import {
  STOP,
  type ChildMessage,
  type LoadSpec,
  type StatusCounts,
} from './load-protocol.js';

function send(message: ChildMessage): void {
  if (process.connected) process.send?.(message);
}

function quit(): void {
  if (process.connected) process.disconnect();
}

/** The request sequence a connection repeats, kinds interleaved. */
function sequence(spec: LoadSpec, statuses: Record<string, StatusCounts>) {
  const requests: autocannon.Request[] = [];
  for (const kind of spec.kinds) {
    const counts: StatusCounts = {};
    statuses[kind.name] = counts;
    let next = 0;
    const request: autocannon.Request = {
      method: 'POST',
      path: kind.path,
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => {
        req.body = kind.bodies[next++ % kind.bodies.length];
        return req;
      },
      onResponse: (status) => {
        counts[status] = (counts[status] ?? 0) + 1;
      },
    };
    for (let i = 0; i < kind.share; i++) requests.push(request);
  }
  return shuffleInPlace(requests, mulberry32(3));
}

function run(spec: LoadSpec): void {
  const statuses: Record<string, StatusCounts> = {};
  const times: number[] = [];
  const started = performance.now();
  const finish = (err: Error | null, result: autocannon.Result) => {
    if (err) {
      send({ type: 'failed', message: err.message });
      quit();
      return;
    }
    const seconds = (performance.now() - started) / 1000;
    send({
      type: 'done',
      result: {
        seconds,
        responses: times.length,
        rate: times.length / seconds,
        latency: summarise(times),
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        statuses,
      },
    });
    quit();
  };
  const instance = autocannon(
    {
      url: spec.url,
      connections: spec.connections,
      duration: spec.seconds,
      ...(spec.rate ? { overallRate: spec.rate } : {}),
      requests: sequence(spec, statuses),
      timeout: 30,
    },
    finish,
  );

  // autocannon emits (client, status, bytes, ms); its typings omit client.
  (instance as NodeJS.EventEmitter).on('response', (...args: unknown[]) => {
    times.push(args.at(-1) as number);
  });
  instance.on('start', () => send({ type: 'started' }));
  // Without a parent there is no one to report to.
  process.once('disconnect', () => instance.stop());
  process.on('message', (message) => {
    if (message === STOP) instance.stop();
  });
}

process.once('message', (spec: LoadSpec) => {
  try {
    run(spec);
  } catch (err) {
    send({ type: 'failed', message: (err as Error).message });
    quit();
  }
});
