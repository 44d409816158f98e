/** The shapes the item store reads and writes. */

/** A stored question or sentence. */
export interface Item {
  /** Row id; also the item's label in the vector index. */
  id: number;
  /** The caller's own id, unique among all items, or null. */
  externalId: string | null;
  /** The text as given. */
  text: string;
  /** Caller's JSON object kept with the item, or null. */
  metadata: Record<string, unknown> | null;
  /** When it was stored, ISO-8601 UTC. */
  createdAt: string;
  /** When it was soft-deleted, ISO-8601 UTC; null while live. */
  deletedAt: string | null;
}

/** An item to store. */
export interface NewItem {
  /** Non-empty text. */
  text: string;
  /** Optional caller id, 1 to 256 characters; must be unused. */
  externalId?: string | null;
  /** Optional JSON object kept with the item. */
  metadata?: Record<string, unknown> | null;
}

/** Live and soft-deleted item counts. */
export interface ItemCounts {
  /** Items not deleted. */
  live: number;
  /** Items soft-deleted. */
  deleted: number;
}

/** One item's vector under one model version. */
export interface ItemVector {
  /** The item's id. */
  itemId: number;
  /** The encoder's output for the item's text. */
  vector: Float32Array;
}

/** Paging of the chunked iterators. */
export interface ChunkOptions {
  /** Rows per chunk. Default 1,000. */
  chunkSize?: number;
  /** Start after this item id. Default 0: from the first item. */
  after?: number;
}
