import { useMemo } from 'preact/hooks';
import { renderSVG } from 'uqr';

/**
 * A QR code of `value`, drawn as SVG by uqr in the page (nothing leaves the browser). Error
 * correction M: a card that got a little dirty in a pocket still scans.
 */
export function QrCode({ value, label }: { value: string; label: string }) {
  const svg = useMemo(() => renderSVG(value, { ecc: 'M', border: 2, pixelSize: 8 }), [value]);
  return (
    <div
      class="qr-code"
      role="img"
      aria-label={label}
      data-qr={value.length > 0 ? 'ready' : undefined}
      // uqr's own SVG markup: rectangles and one path, no script and no style.
      dangerouslySetInnerHTML={{ __html: svg }}
    />
  );
}
