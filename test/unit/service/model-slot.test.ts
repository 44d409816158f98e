import { describe, expect, it } from 'vitest';

import type { SentenceEncoder } from '../../../src/encoder/types.js';
import {
  ModelSlot,
  type ServingIndex,
} from '../../../src/service/serving-model.js';

function encoder(version: string): SentenceEncoder & { disposed: number } {
  return {
    version,
    dim: 2,
    threshold: 0.5,
    margin: 1,
    disposed: 0,
    embed: (texts) =>
      Promise.resolve(texts.map(() => new Float32Array([0, 0]))),
    dispose() {
      this.disposed += 1;
    },
  };
}

function fakeIndex(): ServingIndex & { closed: number } {
  const fake = {
    closed: 0,
    close() {
      fake.closed += 1;
      return Promise.resolve();
    },
  };
  return fake as unknown as ServingIndex & { closed: number };
}

const index = fakeIndex();

describe('ModelSlot', () => {
  it('refuses use before a pair is put', async () => {
    await expect(new ModelSlot().use(() => 1)).rejects.toMatchObject({
      code: 'not_ready',
    });
  });

  it('disposes a replaced encoder at once when nobody uses it', () => {
    const slot = new ModelSlot();
    const old = encoder('v1');
    slot.put({ encoder: old, index });

    slot.put({ encoder: encoder('v2'), index });

    expect(old.disposed).toBe(1);
    expect(slot.current?.encoder.version).toBe('v2');
  });

  it('keeps a replaced encoder until its last lease ends', async () => {
    const slot = new ModelSlot();
    const old = encoder('v1');
    slot.put({ encoder: old, index });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));

    const lease = slot.use(async (model) => {
      await held;
      return model.encoder.version;
    });
    slot.put({ encoder: encoder('v2'), index });

    expect(old.disposed).toBe(0);
    release();
    expect(await lease).toBe('v1');
    expect(old.disposed).toBe(1);
  });

  it('does not dispose an encoder kept across an index swap', () => {
    const slot = new ModelSlot();
    const same = encoder('v1');
    slot.put({ encoder: same, index });

    slot.put({ encoder: same, index: fakeIndex() });

    expect(same.disposed).toBe(0);
  });

  it('closes a replaced index after its last lease, and keeps a reused one', async () => {
    const slot = new ModelSlot();
    const first = fakeIndex();
    slot.put({ encoder: encoder('v1'), index: first });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const lease = slot.use(() => held);

    const second = fakeIndex();
    slot.put({ encoder: encoder('v2'), index: second });
    expect(first.closed).toBe(0);
    release();
    await lease;
    expect(first.closed).toBe(1);

    slot.put({ encoder: encoder('v3'), index: second });
    expect(second.closed).toBe(0);
    slot.clear();
    expect(second.closed).toBe(1);
  });

  it('disposes the serving encoder on clear, once', () => {
    const slot = new ModelSlot();
    const only = encoder('v1');
    slot.put({ encoder: only, index });

    slot.clear();
    slot.clear();

    expect(only.disposed).toBe(1);
    expect(slot.current).toBeUndefined();
  });
});
