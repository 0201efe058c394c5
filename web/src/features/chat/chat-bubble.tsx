// One message in a chat: the visitor's on the right, the bot's on the left in the bot's colour.
import * as React from 'react';
import { textColorOn } from '@/lib/color';
import { cn } from '@/lib/utils';

interface ChatBubbleProps extends Omit<React.HTMLAttributes<HTMLDivElement>, 'color' | 'children'> {
  from: 'bot' | 'visitor';
  children: React.ReactNode;
  /** Under the text: source badge, latency, tokens… */
  meta?: React.ReactNode;
  className?: string;
  /** The visitor's bubble in this colour (a bot's avatar colour, #rrggbb) instead of the theme's. */
  color?: string;
}

export function ChatBubble({ from, children, meta, className, color, ...rest }: ChatBubbleProps) {
  const visitor = from === 'visitor';
  // Set through the CSSOM (React's style prop), which the CSP allows, unlike a style attribute in markup.
  // The text is white or near-black, whichever reads on that colour (the theme's primary text would be dark
  // on a dark tint in the dark theme).
  const tintText = visitor && color ? textColorOn(color) : null;
  const tint = tintText ? { backgroundColor: color, color: tintText } : undefined;
  return (
    <div {...rest} className={cn('flex flex-col gap-1', visitor ? 'items-end' : 'items-start', className)}>
      <div
        className={cn(
          'max-w-[85%] whitespace-pre-wrap break-words rounded-2xl px-3.5 py-2 text-sm',
          visitor
            ? 'rounded-br-sm bg-primary text-primary-foreground'
            : 'rounded-bl-sm bg-muted text-foreground',
        )}
        style={tint}
      >
        {children}
      </div>
      {meta ? (
        <div className="flex flex-wrap items-center gap-1.5 px-1 text-xs text-muted-foreground">{meta}</div>
      ) : null}
    </div>
  );
}
