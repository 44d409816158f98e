import { describe, expect, it } from 'vitest';

import { AppError, ErrorCode } from '../../../src/errors/app-error.js';
import { LatePart } from '../../../src/http/late-part.js';
import { RETRY_AFTER_DETAIL } from '../../../src/http/problem.js';

/** A part with state, so a method that loses `this` fails. */
class Counter {
  count = 0;
  private readonly step = 2;

  add(): number {
    this.count += this.step;
    return this.count;
  }
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError, none was thrown');
}

describe('LatePart', () => {
  it('refuses with not_ready and a retry delay until a part is bound', () => {
    const late = new LatePart<Counter>('the counter', 7);

    const err = thrown(() => late.stand.add());

    expect(err.code).toBe(ErrorCode.NotReady);
    expect(err.message).toMatch(/^the counter is starting/);
    expect(err.details?.[RETRY_AFTER_DETAIL]).toBe(7);
    expect(late.bound).toBe(false);
  });

  it('forwards methods bound to the part, and its properties', () => {
    const late = new LatePart<Counter>('the counter');
    const counter = new Counter();
    late.bind(counter);

    // eslint-disable-next-line @typescript-eslint/unbound-method -- on purpose
    const add = late.stand.add;
    expect(add()).toBe(2);
    expect(late.stand.add()).toBe(4);
    expect(late.stand.count).toBe(4);
    expect(counter.count).toBe(4);
  });

  it('says the service is stopping once the part is unbound', () => {
    const late = new LatePart<Counter>('the counter');
    const counter = new Counter();
    late.bind(counter);

    expect(late.unbind()).toBe(counter);

    const err = thrown(() => late.stand.count);
    expect(err.code).toBe(ErrorCode.NotReady);
    expect(err.message).toMatch(/shutting down/);
    expect(() => late.bind(counter)).toThrow(/already stopped/);
  });

  it('binds only once', () => {
    const late = new LatePart<Counter>('the counter');
    late.bind(new Counter());

    expect(() => late.bind(new Counter())).toThrow(/already bound/);
  });
});
