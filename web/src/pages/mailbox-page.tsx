// /debug/mailbox: mail the server kept in its outbox (no SMTP configured), newest first, with the
// links in each body clickable (platform admins only).
import * as React from 'react';
import { Inbox, RotateCw } from 'lucide-react';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { EmptyState, ErrorState, ForbiddenState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { useMailbox } from '@/features/admin/queries';
import { isApiError, type Mail } from '@/lib/api';
import { cn, formatDateTime, formatRelative } from '@/lib/utils';

const URL_PATTERN = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** The body as text with every http(s) URL turned into a link. */
export function linkify(text: string): React.ReactNode[] {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a
        key={start}
        href={match[0]}
        className="break-all font-medium text-sky-700 underline underline-offset-2 hover:text-sky-900"
      >
        {match[0]}
      </a>,
    );
    last = start + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

export function MailboxPage() {
  useDocumentTitle('Mailbox');
  const mailbox = useMailbox();

  if (isApiError(mailbox.error, 403)) {
    return (
      <>
        <PageHeader title="Mailbox" />
        <ForbiddenState
          title="You need to be a platform admin to see this page"
          description="The outbox holds mail for every user of this server, so only its operators can read it."
        />
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Mailbox"
        description="Mail this server would have sent. It is kept here because no SMTP server is configured."
        actions={
          <Button variant="outline" size="sm" onClick={() => mailbox.refetch()} disabled={mailbox.isFetching}>
            <RotateCw className={cn(mailbox.isFetching && 'animate-spin')} />
            Refresh
          </Button>
        }
      />
      {mailbox.isPending ? (
        <div className="space-y-4" aria-busy="true" aria-label="Loading the mailbox">
          <Skeleton className="h-40 w-full" />
          <Skeleton className="h-40 w-full" />
        </div>
      ) : mailbox.isError ? (
        <ErrorState
          title="Could not load the mailbox"
          error={mailbox.error}
          onRetry={() => mailbox.refetch()}
        />
      ) : mailbox.data.length === 0 ? (
        <Card>
          <EmptyState
            icon={Inbox}
            title="The outbox is empty"
            description="Invitations and other mail will appear here until an SMTP server is configured (SWITCHBOARD_SMTP_URL)."
          />
        </Card>
      ) : (
        <ol className="space-y-4" aria-label="Mail, newest first">
          {mailbox.data.map((mail) => (
            <li key={mail.id}>
              <MailCard mail={mail} />
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

function MailCard({ mail }: { mail: Mail }) {
  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-x-4 gap-y-1 space-y-0 border-b pb-3">
        <div className="min-w-0 space-y-1">
          <h2 className="text-sm font-semibold">{mail.subject}</h2>
          <p className="text-sm text-muted-foreground">
            To <span className="text-foreground">{mail.to}</span>
          </p>
        </div>
        <time
          dateTime={mail.created_at}
          title={formatDateTime(mail.created_at)}
          className="text-xs text-muted-foreground"
        >
          {formatRelative(mail.created_at)}
        </time>
      </CardHeader>
      <CardContent className="pt-4">
        <p className="whitespace-pre-wrap break-words text-sm leading-relaxed">{linkify(mail.body)}</p>
      </CardContent>
    </Card>
  );
}
