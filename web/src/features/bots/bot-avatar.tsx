// A bot's round badge: its initials on its colour (set through the CSSOM, which the CSP allows), in white or
// near-black, whichever reads on that colour.
import { Bot as BotIcon } from 'lucide-react';
import { textColorOn } from '@/lib/color';
import { cn, initials } from '@/lib/utils';

export function BotAvatar({ name, color, className }: { name: string; color: string; className?: string }) {
  const text = textColorOn(color); // white, or near-black on a light colour
  return (
    <span
      aria-hidden="true"
      className={cn(
        'flex size-8 shrink-0 items-center justify-center rounded-full bg-indigo-600 text-xs font-medium text-white',
        className,
      )}
      style={text ? { backgroundColor: color, color: text } : undefined}
    >
      {name.trim() ? initials(name) : <BotIcon className="size-4" />}
    </span>
  );
}
