/** A ring that empties as the call's time runs out, with the minutes left inside. */
export function TimeRing({
  fraction,
  minutes,
  unit,
  label,
  warn,
}: {
  fraction: number;
  minutes: number;
  /** The word under the number, e.g. 分钟. */
  unit: string;
  /** The whole sentence, for screen readers: 还剩3分钟. */
  label: string;
  warn: boolean;
}) {
  const radius = 52;
  const circumference = 2 * Math.PI * radius;
  return (
    <div class={`time-ring${warn ? ' time-ring--warn' : ''}`} role="timer" aria-label={label}>
      <svg viewBox="0 0 120 120" width="140" height="140" aria-hidden="true">
        <circle cx="60" cy="60" r={radius} class="time-ring__track" />
        <circle
          cx="60"
          cy="60"
          r={radius}
          class="time-ring__left"
          stroke-dasharray={circumference}
          stroke-dashoffset={circumference * (1 - fraction)}
          transform="rotate(-90 60 60)"
        />
      </svg>
      <span class="time-ring__label" aria-hidden="true">
        <strong>{minutes}</strong>
        <small>{unit}</small>
      </span>
    </div>
  );
}
