import { initialsOf } from '../lib/time-left.ts';

/** A child's round picture: their initials on their own colour (photos are not served to kiosks yet). */
export function ChildAvatar({ name, colour, size }: { name: string; colour: string; size: number }) {
  const initials = initialsOf(name);
  return (
    <div
      class="avatar"
      style={{
        width: `${size}px`,
        height: `${size}px`,
        background: colour,
        fontSize: `${Math.round(size / (initials.length > 1 ? 2.6 : 1.9))}px`,
      }}
      aria-hidden="true"
    >
      {initials}
    </div>
  );
}
