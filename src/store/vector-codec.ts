/**
 * Vectors as stored in SQLite: Float32 little-endian bytes, 4 per value,
 * whatever the byte order of the machine that wrote them.
 */
import { AppError, ErrorCode } from '../errors/app-error.js';

const hostIsLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Encodes a vector as Float32 little-endian bytes (4 bytes a value). */
export function encodeVector(vector: Float32Array): Buffer {
  if (hostIsLittleEndian) {
    return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
  }
  const out = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => out.writeFloatLE(value, i * 4));
  return out;
}

/**
 * Decodes bytes written by {@link encodeVector} into a fresh Float32Array.
 * Throws `storage_error` when the length is not a multiple of 4.
 */
export function decodeVector(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) {
    throw new AppError(
      ErrorCode.Storage,
      `stored vector has ${bytes.byteLength} bytes; expected a multiple of 4`,
    );
  }

  const out = new Float32Array(bytes.byteLength / 4);
  if (hostIsLittleEndian) {
    // Copy: SQLite's buffer need not be 4-byte aligned.
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
