// Loading placeholder.
import * as React from 'react';
import { cn } from '@/lib/utils';

export const Skeleton = React.forwardRef<HTMLDivElement, React.HTMLAttributes<HTMLDivElement>>(
  ({ className, ...props }, ref) => (
    <div ref={ref} aria-hidden className={cn('animate-pulse rounded-md bg-muted', className)} {...props} />
  ),
);
Skeleton.displayName = 'Skeleton';
