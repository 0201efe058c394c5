// The organisation's invoices from Stripe (GET /api/billing/invoices): number, date, amount, status and
// a link to Stripe's own page of each.
import { ExternalLink, Receipt } from 'lucide-react';
import { EmptyState, ErrorState } from '@/components/states';
import { Badge, type BadgeProps } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import type { Invoice } from '@/features/billing/api';
import { useInvoices } from '@/features/billing/queries';
import { isApiError } from '@/lib/api';
import { formatDate } from '@/lib/utils';

const INVOICE_STATUS: Record<string, BadgeProps['variant']> = {
  paid: 'green',
  open: 'amber',
  uncollectible: 'red',
  void: 'secondary',
  draft: 'secondary',
};

/** Integer cents in the invoice's currency: "$29.00". */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() }).format(
      cents / 100,
    );
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;
  }
}

function invoiceDate(created: Invoice['created']): string {
  return formatDate(typeof created === 'number' ? new Date(created * 1000).toISOString() : created);
}

export function InvoicesCard({ stripeConfigured }: { stripeConfigured: boolean }) {
  const invoices = useInvoices(stripeConfigured);
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <Receipt className="size-4 text-muted-foreground" /> Invoices
        </CardTitle>
        <CardDescription>Every invoice Stripe sent this organization.</CardDescription>
      </CardHeader>
      <CardContent>
        {!stripeConfigured ? (
          <EmptyState
            icon={Receipt}
            title="No invoices here"
            description="Invoices come from Stripe, which is not configured on this server."
            className="py-6"
          />
        ) : invoices.isPending ? (
          <div className="space-y-2" aria-busy="true" aria-label="Loading invoices">
            <Skeleton className="h-9 w-full" />
            <Skeleton className="h-11 w-full" />
          </div>
        ) : invoices.isError ? (
          isApiError(invoices.error, 503) ? (
            <EmptyState
              icon={Receipt}
              title="No invoices here"
              description="Invoices come from Stripe, which is not configured on this server."
              className="py-6"
            />
          ) : (
            <ErrorState
              title="Could not load the invoices"
              error={invoices.error}
              onRetry={() => invoices.refetch()}
            />
          )
        ) : invoices.data.length === 0 ? (
          <EmptyState
            icon={Receipt}
            title="No invoices yet"
            description="They appear here after the first payment."
            className="py-6"
          />
        ) : (
          <Table stackOnPhone>
            <TableHeader>
              <TableRow>
                <TableHead>Invoice</TableHead>
                <TableHead>Date</TableHead>
                <TableHead className="text-right">Amount</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>
                  <span className="sr-only">Link</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {invoices.data.map((invoice) => (
                <TableRow key={invoice.id}>
                  <TableCell className="font-medium">{invoice.number ?? invoice.id}</TableCell>
                  <TableCell stackLabel="Date" className="whitespace-nowrap text-muted-foreground">
                    {invoiceDate(invoice.created)}
                  </TableCell>
                  <TableCell stackLabel="Amount" className="text-right tabular-nums">
                    {formatMoney(
                      invoice.status === 'paid' ? invoice.amount_paid : invoice.amount_due,
                      invoice.currency,
                    )}
                  </TableCell>
                  <TableCell>
                    <Badge variant={INVOICE_STATUS[invoice.status] ?? 'secondary'}>
                      {invoice.status.charAt(0).toUpperCase() + invoice.status.slice(1)}
                    </Badge>
                  </TableCell>
                  <TableCell className="text-right">
                    {invoice.hosted_invoice_url ? (
                      <a
                        href={invoice.hosted_invoice_url}
                        target="_blank"
                        rel="noopener noreferrer"
                        className="inline-flex items-center gap-1 text-sm font-medium underline-offset-4 hover:underline"
                      >
                        View <ExternalLink className="size-3.5" aria-hidden="true" />
                        <span className="sr-only">
                          {' '}
                          invoice {invoice.number ?? invoice.id} (opens Stripe)
                        </span>
                      </a>
                    ) : null}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
