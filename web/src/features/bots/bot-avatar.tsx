// A bot's round badge: its initials on its colour (set through the CSSOM, which the CSP allows).
import { Bot as BotIcon } from 'lucide-react';
import { cn, initials } from '@/lib/utils';

const COLOR = /^#[0-9a-fA-F]{6}$/;

export function BotAvatar({ name, color, className }: { name: string; color: string; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        'flex size-8 shrink-0 items-center justify-center rounded-full bg-indigo-600 text-xs font-medium text-white',
        className,
      )}
      style={COLOR.test(color) ? { backgroundColor: color } : undefined}
    >
      {name.trim() ? initials(name) : <BotIcon className="size-4" />}
    </span>
  );
}
