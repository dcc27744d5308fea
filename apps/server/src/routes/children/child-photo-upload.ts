import { AppError, type ErrorMessageKey } from '@affection/core';
import type { ChildPhotoType } from '@affection/db';
import { z } from '@hono/zod-openapi';
import { fieldProblem } from '../contacts/field-problem.ts';

/** The largest photo kept, in bytes (a 512×512 WebP or JPEG is 20–80 KB). */
export const MAX_PHOTO_BYTES = 300 * 1024;

/** Body of `PUT /api/children/{id}/photo`. */
export const ChildPhotoUploadSchema = z
  .object({
    image: z.string().min(1).openapi({
      description:
        'The picture, base64 (a `data:image/…;base64,` prefix may stay): a square JPEG, WebP or PNG of at most 300 KB, cropped and resized by the page before it is sent',
      example: 'data:image/webp;base64,UklGRh4AAABXRUJQVlA4TBEAAAAvAAAAAAfQ//73v/+BiOh/AAA=',
    }),
  })
  .strict()
  .openapi('ChildPhotoUpload');

/** A photo refusal the route answers with a status of its own (413, 415). */
export class PhotoRefusal {
  constructor(
    readonly status: 413 | 415,
    readonly reason: 'too-large' | 'wrong-type',
    readonly message: string,
    readonly details: Record<string, unknown>,
  ) {}

  /** The catalog key of the message to show. */
  get userMessageKey(): ErrorMessageKey {
    return `error.photo.${this.reason}`;
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URL = /^data:[\w.+-]+\/[\w.+-]+;base64,/;

/** The picture type the first bytes show: JPEG, PNG or WebP; null for anything else. */
export function photoTypeOf(bytes: Uint8Array): ChildPhotoType | null {
  const at = (i: number) => bytes[i];
  if (bytes.length >= 3 && at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((byte, i) => at(i) === byte)) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * The bytes and type of an uploaded photo, or the refusal: not base64 → 400 (a field problem on
 * `image`), over {@link MAX_PHOTO_BYTES} → 413, not a JPEG, PNG or WebP by its first bytes → 415.
 * The type a `data:` prefix names is not trusted.
 */
export function readPhotoUpload(image: string): { contentType: ChildPhotoType; data: Uint8Array } | PhotoRefusal {
  const base64 = image.replace(DATA_URL, '');
  if (base64.length % 4 !== 0 || !BASE64.test(base64)) {
    throw new AppError('validation-failed', 'The picture could not be read. Choose the photo again.', {
      details: { fields: [fieldProblem('image', 'validation.invalid_format')] },
    });
  }
  // Three bytes for every four characters, less the padding.
  const size = (base64.length / 4) * 3 - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
  if (size > MAX_PHOTO_BYTES) {
    return new PhotoRefusal(413, 'too-large', `The photo is larger than ${MAX_PHOTO_BYTES / 1024} KB.`, {
      reason: 'too-large',
      maxBytes: MAX_PHOTO_BYTES,
      bytes: size,
    });
  }
  const data = new Uint8Array(Buffer.from(base64, 'base64'));
  const contentType = photoTypeOf(data);
  if (!contentType) {
    return new PhotoRefusal(415, 'wrong-type', 'The photo must be a JPEG, PNG or WebP picture.', {
      reason: 'wrong-type',
      accepted: ['image/jpeg', 'image/png', 'image/webp'],
    });
  }
  return { contentType, data };
}
