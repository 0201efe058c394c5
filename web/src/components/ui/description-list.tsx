// Label/value rows for facts such as account details.
import * as React from 'react';
import { cn } from '@/lib/utils';

interface Fact {
  term: string;
  value: React.ReactNode;
}

export function DescriptionList({ facts, className }: { facts: Fact[]; className?: string }) {
  return (
    <dl className={cn('divide-y text-sm', className)}>
      {facts.map((fact) => (
        <div key={fact.term} className="flex items-baseline justify-between gap-4 py-2.5">
          <dt className="shrink-0 text-muted-foreground">{fact.term}</dt>
          <dd className="min-w-0 break-words text-right font-medium">{fact.value}</dd>
        </div>
      ))}
    </dl>
  );
}
