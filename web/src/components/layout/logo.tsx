// The Switchboard mark and word. The mark is drawn in the theme's text and page colours (a light tile in
// dark), or white on the always-dark panel of the sign-in pages (`inverted`).
import { cn } from '@/lib/utils';

export function Logo({ inverted = false, className }: { inverted?: boolean; className?: string }) {
  return (
    <span
      className={cn('inline-flex items-center gap-2 text-[15px] font-semibold tracking-tight', className)}
    >
      <svg viewBox="0 0 32 32" className="size-7" aria-hidden>
        <rect width="32" height="32" rx="8" className={inverted ? 'fill-white' : 'fill-foreground'} />
        <path
          d="M9 11h9M9 16h14M9 21h9"
          strokeWidth="2.5"
          strokeLinecap="round"
          className={inverted ? 'stroke-zinc-900' : 'stroke-background'}
        />
        <circle cx="22" cy="11" r="2" className="fill-emerald-500" />
        <circle cx="22" cy="21" r="2" className={inverted ? 'fill-zinc-900' : 'fill-background'} />
      </svg>
      Switchboard
    </span>
  );
}
