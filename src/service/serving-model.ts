/**
 * The encoder and index that serve requests, held as one pair behind one
 * reference. Swapping the pair is a single assignment, so a request sees
 * the old pair or the new one, never an encoder with the other's index.
 * Requests lease the pair they use; a retired encoder is disposed, and a
 * retired index closed, once the last lease on it ends.
 */
import type { SentenceEncoder } from '../encoder/types.js';
import { AppError, ErrorCode } from '../errors/app-error.js';
import type { IndexThread } from '../index/index-thread.js';

/** An encoder and the index of its vectors; same model version. */
export interface ServingModel {
  /** Embeds query and item texts. */
  readonly encoder: SentenceEncoder;
  /** Nearest-neighbour index over the encoder's vectors. */
  readonly index: ServingIndex;
}

/** What the slot needs of an index: the service's is an IndexThread. */
export type ServingIndex = IndexThread;

interface Held {
  model: ServingModel;
  leases: number;
  retired: boolean;
  disposeEncoder: boolean;
  closeIndex: boolean;
}

/** Holds the serving pair and counts who is using it. */
export class ModelSlot {
  private held: Held | undefined;

  /** The pair in use, or undefined before the first {@link put}. */
  get current(): ServingModel | undefined {
    return this.held?.model;
  }

  /**
   * Makes `model` the serving pair in one step. The previous encoder is
   * disposed when its last lease ends, unless it is `model`'s own
   * encoder (an index swap) or `disposeOld` is false; the previous
   * index is closed then unless it is `model`'s own. Returns the
   * previous pair.
   */
  put(model: ServingModel, disposeOld = true): ServingModel | undefined {
    const old = this.held;
    this.held = {
      model,
      leases: 0,
      retired: false,
      disposeEncoder: false,
      closeIndex: false,
    };
    if (!old) return undefined;

    old.retired = true;
    old.disposeEncoder = disposeOld && old.model.encoder !== model.encoder;
    old.closeIndex = old.model.index !== model.index;
    this.release(old);
    return old.model;
  }

  /**
   * Runs `fn` with the serving pair, keeping its encoder alive until
   * `fn` settles. `fn` may compare its pair with {@link current} to
   * notice a swap that happened while it waited.
   */
  async use<T>(fn: (model: ServingModel) => Promise<T> | T): Promise<T> {
    const held = this.held;
    if (!held) {
      throw new AppError(ErrorCode.NotReady, 'no model is loaded yet');
    }
    held.leases += 1;
    try {
      return await fn(held.model);
    } finally {
      held.leases -= 1;
      this.release(held);
    }
  }

  /** Disposes the serving encoder, closes its index, forgets the pair. */
  clear(): void {
    const old = this.held;
    this.held = undefined;
    if (!old) return;
    old.retired = true;
    old.disposeEncoder = true;
    old.closeIndex = true;
    this.release(old);
  }

  private release(held: Held): void {
    if (!held.retired || held.leases > 0) return;
    if (held.disposeEncoder) {
      held.disposeEncoder = false;
      held.model.encoder.dispose();
    }
    if (held.closeIndex) {
      held.closeIndex = false;
      void held.model.index.close();
    }
  }
}
