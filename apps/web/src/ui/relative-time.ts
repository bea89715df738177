const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 minutes ago", "yesterday", "just now". */
export function relativeTime(date: Date | string): string {
  const diff = new Date(date).getTime() - Date.now();
  for (const [unit, ms] of UNITS) if (Math.abs(diff) >= ms) return new Intl.RelativeTimeFormat('en', { numeric: 'auto' }).format(Math.round(diff / ms), unit);
  return 'just now';
}
