/**
 * Who may do what. A key has one role: `client` uses the lookup API
 * (items, search, score, pairs), `reviewer` the review queue, and
 * `admin` everything, training, model activation, deleting items and
 * exporting labels included. A reviewer is not a client: the review
 * page needs only the review routes, and a key handed to a reviewer
 * should not also write items.
 */

/** The roles a key may have. */
export const ROLES = ['client', 'reviewer', 'admin'] as const;

/** A key's role. */
export type Role = (typeof ROLES)[number];

/**
 * Who may call a route: anyone (`public`), any valid key (`any-key`),
 * or a key whose role grants the named one.
 */
export type Access = 'public' | 'any-key' | Role;

/** The access of a route that does not say: closed, admin only. */
export const DEFAULT_ACCESS: Access = 'admin';

/** True when a key with `role` may call a route needing `needed`. */
export function roleGrants(role: Role, needed: Role): boolean {
  return role === 'admin' || role === needed;
}

/** True when `value` names a role. */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
