/**
 * The secret part of an API key: `sdk_` and 43 base64url characters (256
 * random bits). Only its SHA-256 is stored: with that much entropy a
 * slow password hash buys nothing, and a fast one lets every request be
 * checked with one indexed lookup. Looking the hash up rather than
 * comparing secrets means timing can at most tell an attacker about the
 * hash of a guess, which does not bring them nearer to a key.
 */
import { createHash, randomBytes } from 'node:crypto';

/** What every key starts with, so leaked keys are easy to search for. */
export const KEY_MARK = 'sdk_';

/** Characters of a key kept as its non-secret prefix. */
export const PREFIX_CHARS = KEY_MARK.length + 8;

/** The shape of a key; anything else is refused without a lookup. */
export const KEY_PATTERN = /^sdk_[A-Za-z0-9_-]{43}$/;

/** A new random key. */
export function newSecret(): string {
  return `${KEY_MARK}${randomBytes(32).toString('base64url')}`;
}

/** The stored form of a key: its SHA-256, hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The prefix that names a key in listings, e.g. `sdk_Ab12Cd34`. */
export function secretPrefix(secret: string): string {
  return secret.slice(0, PREFIX_CHARS);
}
