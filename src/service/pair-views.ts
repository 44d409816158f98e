/**
 * Labelled pairs between the caller's shape and the store's: checking
 * and converting new pairs, and attaching item texts to stored ones.
 */
import { AppError, ErrorCode } from '../errors/app-error.js';
import type { ItemStore } from '../store/item-store.js';
import type { Item } from '../store/item-types.js';
import type { NewPair, Pair, PairSide } from '../store/pair-types.js';
import type {
  PairInput,
  PairOrigin,
  PairSideInput,
  PairView,
} from './service-types.js';
import { badField, checkText } from './text-rules.js';

/**
 * Checks `inputs` and converts them to pairs to store. Text sides must
 * follow the text rules; item sides must name live items (`not_found`
 * otherwise). `where` prefixes field names in errors: `pairs` names
 * the sides `pairs.0.a`, `pairs.0.b_id`...; '' names them `a`, `b_id`.
 */
export function newPairs(
  inputs: readonly PairInput[],
  origin: PairOrigin,
  items: ItemStore,
  maxChars: number,
  where: string,
): NewPair[] {
  const named = inputs.flatMap((p) => [p.a, p.b]).flatMap(sideItemId);
  const known = items.getMany([...new Set(named)]);

  return inputs.map((input, i) => {
    const at = where === '' ? '' : `${where}.${i}.`;
    const a = checkedSide(input.a, `${at}a`, known, maxChars);
    const b = checkedSide(input.b, `${at}b`, known, maxChars);
    const same = sameness(a, b, known);
    if (same && (same.item || input.label === 0)) {
      throw badField(
        `${at}b`,
        `${at}a and ${at}b are ${same.what}: ` +
          (same.item
            ? 'a labelled pair needs two different items'
            : 'a text always matches itself, so it cannot be labelled 0'),
      );
    }
    return {
      a,
      b,
      label: input.label,
      source: origin.source,
      who: origin.who ?? null,
    };
  });
}

/** Stored pairs with the texts of their item sides. */
export function pairViews(
  pairs: readonly Pair[],
  items: ItemStore,
): PairView[] {
  const ids = pairs.flatMap((p) => [p.a, p.b]).flatMap(sideItemId);
  const known = items.getMany([...new Set(ids)]);

  return pairs.map((pair) => ({
    id: pair.id,
    aItemId: 'itemId' in pair.a ? pair.a.itemId : null,
    a: sideText(pair.a, known),
    bItemId: 'itemId' in pair.b ? pair.b.itemId : null,
    b: sideText(pair.b, known),
    label: pair.label,
    source: pair.source,
    who: pair.who,
    createdAt: pair.createdAt,
  }));
}

/**
 * How the two sides of a pair are one and the same, or undefined when
 * they differ: one item (never a pair), or one text. A text always
 * matches itself, so labelled 1 it is merely redundant (real data sets
 * hold such pairs) and labelled 0 it contradicts itself.
 */
function sameness(
  a: PairSide,
  b: PairSide,
  known: ReadonlyMap<number, Item>,
): { what: string; item: boolean } | undefined {
  if ('itemId' in a && 'itemId' in b && a.itemId === b.itemId) {
    return { what: `both item ${a.itemId}`, item: true };
  }
  const textA = sideText(a, known).trim();
  return textA !== '' && textA === sideText(b, known).trim()
    ? { what: 'the same text', item: false }
    : undefined;
}

function sideItemId(side: PairSideInput | PairSide): number[] {
  return 'itemId' in side ? [side.itemId] : [];
}

function sideText(side: PairSide, known: ReadonlyMap<number, Item>): string {
  return 'itemId' in side ? (known.get(side.itemId)?.text ?? '') : side.text;
}

function checkedSide(
  side: PairSideInput,
  field: string,
  known: ReadonlyMap<number, Item>,
  maxChars: number,
): PairSide {
  if ('text' in side) return { text: checkText(field, side.text, maxChars) };

  const item = known.get(side.itemId);
  if (!item || item.deletedAt !== null) {
    throw new AppError(
      ErrorCode.NotFound,
      `${field}_id: item ${side.itemId} does not exist or was deleted`,
      { field: `${field}_id`, itemId: side.itemId },
    );
  }
  return { itemId: side.itemId };
}
