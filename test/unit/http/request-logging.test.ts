// Every log line of a request carries its id under `request.id`, the
// handler's own lines and the completion line alike, and keys are
// never written to the log.
import { Writable } from 'node:stream';

import express from 'express';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';

import { requestLogging } from '../../../src/http/request-logging.js';

/** A stream to log to, and the JSON lines written to it. */
function logLines(): { lines: Record<string, unknown>[]; sink: Writable } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, sink };
}

describe('request logging', () => {
  it('puts request.id on every line and redacts keys', async () => {
    const { lines, sink } = logLines();
    const app = express();
    app.use(requestLogging(pino(sink)));
    app.get('/hello', (req, res) => {
      req.log.info('inside the handler');
      res.json({ ok: true });
    });

    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/hello`, {
        headers: {
          'X-Request-Id': 'abc-123',
          Authorization: 'Bearer sdk_secret',
        },
      });
      expect(res.headers.get('x-request-id')).toBe('abc-123');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }

    expect(lines.map((l) => l.msg)).toEqual([
      'inside the handler',
      'request completed',
    ]);
    for (const line of lines) expect(line['request.id']).toBe('abc-123');
    expect(JSON.stringify(lines)).not.toContain('sdk_secret');
  });

  it('logs probes at debug, failing requests at warn and error', async () => {
    const { lines, sink } = logLines();
    const app = express();
    app.use(requestLogging(pino({ level: 'debug' }, sink)));
    app.get('/readyz', (_req, res) => res.status(503).json({}));
    app.get('/healthz', (_req, res) => res.json({}));
    app.get('/v1/busy', (_req, res) => res.status(503).json({}));
    app.get('/v1/missing', (_req, res) => res.status(404).json({}));
    app.get('/v1/broken', (_req, res) => res.status(500).json({}));

    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const routes = [
      '/readyz',
      '/healthz?x=1',
      '/v1/busy',
      '/v1/missing',
      '/v1/broken',
    ];
    try {
      for (const route of routes)
        await fetch(`http://127.0.0.1:${port}${route}`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }

    const levels = lines.map((l) => l.level);
    // pino levels: 20 debug, 40 warn, 50 error.
    expect(levels).toEqual([20, 20, 40, 40, 50]);
  });
});
