/** The service's results in the API's snake_case JSON shapes. */
import type { IngestResult, Item, PairView } from '../service/service-types.js';

/** An item as the API shows it (no deletion time: it is live). */
export function itemJson(item: Item) {
  return {
    id: item.id,
    external_id: item.externalId,
    text: item.text,
    metadata: item.metadata,
    created_at: item.createdAt,
  };
}

/** One ingest result. */
export function ingestJson(result: IngestResult) {
  return {
    item: itemJson(result.item),
    duplicates: result.duplicates,
    duplicate: result.duplicate,
  };
}

/** A labelled pair. */
export function pairJson(pair: PairView) {
  return {
    id: pair.id,
    a_id: pair.aItemId,
    a: pair.a,
    b_id: pair.bItemId,
    b: pair.b,
    label: pair.label,
    source: pair.source,
    who: pair.who,
    created_at: pair.createdAt,
  };
}
