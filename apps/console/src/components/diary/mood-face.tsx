const COLOURS = ['#D32F2F', '#F57C00', '#FBC02D', '#7CB342', '#2E7D32'] as const;

/** Mouth curves from a frown (1) to a wide smile (5), as the kiosk draws them. */
const MOUTHS = [
  'M34 76 Q50 60 66 76',
  'M34 72 Q50 64 66 72',
  'M34 70 L66 70',
  'M34 66 Q50 76 66 66',
  'M30 62 Q50 84 70 62 Z',
] as const;

/** One of the kiosk's five faces, 1 (sad) to 5 (happy); decorative (the caller gives its words). */
export function MoodFace({ mood, size = 40 }: { mood: number; size?: number }) {
  const index = Math.min(4, Math.max(0, Math.round(mood) - 1));
  return (
    <svg width={size} height={size} viewBox="0 0 100 100" aria-hidden="true" focusable="false">
      <circle cx="50" cy="50" r="46" fill={COLOURS[index]} stroke="#1A1A1A" stroke-width="3" />
      <circle cx="35" cy="40" r="6" fill="#1A1A1A" />
      <circle cx="65" cy="40" r="6" fill="#1A1A1A" />
      <path
        d={MOUTHS[index]}
        fill={index === 4 ? '#1A1A1A' : 'none'}
        stroke="#1A1A1A"
        stroke-width="5"
        stroke-linecap="round"
      />
    </svg>
  );
}
