// Data tables in the shadcn/ui style: a bordered, horizontally scrolling table with quiet headers. The
// scrolling box is `relative` so that positioned content (sr-only labels) scrolls with the table instead
// of widening the page. A table with `stackOnPhone` shows each row as a stacked card below 640 px
// (src/index.css, `table[data-stack]`): the first cell on a line of its own, the other cells after it
// with their `stackLabel`, the last cell (the actions) at the end of the row.
import * as React from 'react';
import { cn } from '@/lib/utils';

interface TableProps extends React.TableHTMLAttributes<HTMLTableElement> {
  /** No frame of its own: the table fills a card edge to edge. */
  bare?: boolean;
  /** Below 640 px each row is a stacked card instead of a line to scroll sideways. */
  stackOnPhone?: boolean;
}

export const Table = React.forwardRef<HTMLTableElement, TableProps>(
  ({ className, bare, stackOnPhone, ...props }, ref) => (
    <div className={cn('relative overflow-x-auto', bare ? 'rounded-t-lg' : 'rounded-md border')}>
      <table
        ref={ref}
        data-stack={stackOnPhone ? (bare ? 'bare' : 'framed') : undefined}
        className={cn('w-full text-sm', className)}
        {...props}
      />
    </div>
  ),
);
Table.displayName = 'Table';

export const TableHeader = React.forwardRef<
  HTMLTableSectionElement,
  React.HTMLAttributes<HTMLTableSectionElement>
>(({ className, ...props }, ref) => (
  <thead
    ref={ref}
    className={cn('bg-muted/40 text-left text-xs text-muted-foreground', className)}
    {...props}
  />
));
TableHeader.displayName = 'TableHeader';

export const TableBody = React.forwardRef<
  HTMLTableSectionElement,
  React.HTMLAttributes<HTMLTableSectionElement>
>(({ className, ...props }, ref) => <tbody ref={ref} className={cn('divide-y', className)} {...props} />);
TableBody.displayName = 'TableBody';

export const TableRow = React.forwardRef<HTMLTableRowElement, React.HTMLAttributes<HTMLTableRowElement>>(
  ({ className, ...props }, ref) => <tr ref={ref} className={cn('align-middle', className)} {...props} />,
);
TableRow.displayName = 'TableRow';

export const TableHead = React.forwardRef<HTMLTableCellElement, React.ThHTMLAttributes<HTMLTableCellElement>>(
  ({ className, ...props }, ref) => (
    <th
      ref={ref}
      scope="col"
      className={cn('whitespace-nowrap px-4 py-2 font-medium', className)}
      {...props}
    />
  ),
);
TableHead.displayName = 'TableHead';

interface TableCellProps extends React.TdHTMLAttributes<HTMLTableCellElement> {
  /** Names the value in a stacked row (a phone), where the column's header is not shown. */
  stackLabel?: string;
}

export const TableCell = React.forwardRef<HTMLTableCellElement, TableCellProps>(
  ({ className, stackLabel, ...props }, ref) => (
    <td ref={ref} data-label={stackLabel} className={cn('px-4 py-2.5', className)} {...props} />
  ),
);
TableCell.displayName = 'TableCell';
