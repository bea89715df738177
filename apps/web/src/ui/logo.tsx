export function Logo({ size = 'md' }: { size?: 'sm' | 'md' }) {
  return (
    <span className={`flex ${size === 'sm' ? 'size-7' : 'size-8'} items-center justify-center rounded-lg bg-indigo-600 text-white shadow-sm`} aria-hidden="true">
      <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
        <circle cx="12" cy="12" r="1.5" fill="currentColor" stroke="none" />
        <path d="M8.5 15.5a5 5 0 0 1 0-7M15.5 8.5a5 5 0 0 1 0 7" />
        <path d="M5.6 18.4a9 9 0 0 1 0-12.8M18.4 5.6a9 9 0 0 1 0 12.8" />
      </svg>
    </span>
  );
}
