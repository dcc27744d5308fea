/** Where a square crop sits in a picture: zoom 1 is the largest centred square, offsets move it (-1 to 1). */
export interface SquareCrop {
  zoom: number;
  offsetX: number;
  offsetY: number;
}

/** The side (in pixels) of the square a photo is stored at. */
export const PHOTO_SIDE = 512;

/** The largest photo the server keeps, in bytes. */
export const MAX_PHOTO_BYTES = 300 * 1024;

/** The source rectangle of `crop` in a `width`×`height` picture. */
export function sourceSquareOf(
  width: number,
  height: number,
  crop: SquareCrop,
): { x: number; y: number; side: number } {
  const side = Math.min(width, height) / Math.max(1, crop.zoom);
  const clamp = (value: number) => Math.max(-1, Math.min(1, value));
  const x = (width - side) / 2 + (clamp(crop.offsetX) * (width - side)) / 2;
  const y = (height - side) / 2 + (clamp(crop.offsetY) * (height - side)) / 2;
  return { x, y, side };
}

/** A picture to crop: the decoded image, or a canvas holding it turned. */
export interface Picture {
  source: HTMLImageElement | HTMLCanvasElement;
  width: number;
  height: number;
}

/**
 * The picture turned clockwise by a quarter: for a photo an older browser shows on its side (it does
 * not read the camera's orientation note).
 */
export function turnPicture(picture: Picture): Picture {
  const canvas = document.createElement('canvas');
  canvas.width = picture.height;
  canvas.height = picture.width;
  const context = canvas.getContext('2d');
  if (!context) return picture;
  context.translate(canvas.width, 0);
  context.rotate(Math.PI / 2);
  context.drawImage(picture.source, 0, 0);
  return { source: canvas, width: canvas.width, height: canvas.height };
}

/** Draws the crop of `picture` onto `canvas` (its whole area). */
export function drawSquare(canvas: HTMLCanvasElement, picture: Picture, crop: SquareCrop): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const { x, y, side } = sourceSquareOf(picture.width, picture.height, crop);
  context.imageSmoothingQuality = 'high';
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.drawImage(picture.source, x, y, side, side, 0, 0, canvas.width, canvas.height);
}

/** Bytes a base64 data URL holds. */
function bytesOf(dataUrl: string): number {
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  return Math.floor((base64.length * 3) / 4);
}

/**
 * The crop as a {@link PHOTO_SIDE}-pixel square data URL small enough to keep: WebP where the browser
 * can write it, JPEG otherwise, at lower quality until it fits. Null when even that is too large.
 */
export function encodeSquare(picture: Picture, crop: SquareCrop): string | null {
  const canvas = document.createElement('canvas');
  canvas.width = PHOTO_SIDE;
  canvas.height = PHOTO_SIDE;
  drawSquare(canvas, picture, crop);
  for (const quality of [0.85, 0.7, 0.5, 0.35]) {
    let url = canvas.toDataURL('image/webp', quality);
    // A browser that cannot write WebP answers PNG instead.
    if (!url.startsWith('data:image/webp')) url = canvas.toDataURL('image/jpeg', quality);
    if (bytesOf(url) <= MAX_PHOTO_BYTES) return url;
  }
  return null;
}

/** The picture in `file`, decoded; rejects when it is not a picture the browser can show. */
export async function loadPicture(file: Blob): Promise<Picture> {
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return { source: image, width: image.naturalWidth, height: image.naturalHeight };
  } finally {
    // The decoded picture stays usable for drawing.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
