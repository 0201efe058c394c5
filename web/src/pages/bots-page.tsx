// /bots: the organisation's bots — search, active/archived filter, create, duplicate, archive, delete.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Archive,
  ArchiveRestore,
  Bot as BotIcon,
  Copy,
  MoreHorizontal,
  Plus,
  Search,
  Trash2,
} from 'lucide-react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { EmptyState, ErrorState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { BotAvatar } from '@/features/bots/bot-avatar';
import { BotDeletionSummary } from '@/features/bots/bot-deletion-summary';
import { CreateBotDialog } from '@/features/bots/create-bot-dialog';
import { botsKey, useBots } from '@/features/bots/queries';
import { Action, usePermissions } from '@/features/permissions/queries';
import { api, type Bot, type BotStatus } from '@/lib/api';
import { formatDateTime, formatRelative } from '@/lib/utils';

function useDebounced<T>(value: T, ms = 250): T {
  const [debounced, setDebounced] = React.useState(value);
  React.useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function BotsPage() {
  useDocumentTitle('Bots');
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') === 'archived' ? 'archived' : 'active') satisfies BotStatus;
  const [search, setSearch] = React.useState(params.get('q') ?? '');
  const q = useDebounced(search.trim());
  const bots = useBots({ q, status });
  const { can } = usePermissions();
  const canManage = can(Action.botsManage);
  const [creating, setCreating] = React.useState(false);
  const [deleting, setDeleting] = React.useState<Bot | null>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const afterChange = () => queryClient.invalidateQueries({ queryKey: botsKey });
  const duplicate = useMutation({
    mutationFn: (bot: Bot) => api.bots.duplicate(bot.id),
    onSuccess: async (copy) => {
      await afterChange();
      toast.success(`“${copy.name}” created`, {
        action: { label: 'Open', onClick: () => navigate(`/bots/${copy.id}`) },
      });
    },
  });
  const setStatus = useMutation({
    mutationFn: ({ bot, status: next }: { bot: Bot; status: BotStatus }) =>
      api.bots.update(bot.id, { status: next }),
    onSuccess: async (bot) => {
      await afterChange();
      toast.success(bot.status === 'archived' ? `“${bot.name}” archived` : `“${bot.name}” restored`);
    },
  });
  const remove = useMutation({
    mutationFn: (bot: Bot) => api.bots.remove(bot.id),
    meta: { inlineError: true },
    onSuccess: async (_, bot) => {
      await afterChange();
      setDeleting(null);
      toast.success(`“${bot.name}” deleted`);
    },
  });

  const filtered = q !== '' || status === 'archived';
  return (
    <>
      <PageHeader
        title="Bots"
        description="Each bot answers your customers with its templates, its AI model and its fallback message."
        actions={
          canManage ? (
            <Button onClick={() => setCreating(true)}>
              <Plus />
              Create bot
            </Button>
          ) : null
        }
      />
      <div className="mb-4 flex flex-wrap gap-2">
        <div className="relative min-w-56 flex-1">
          <Search className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-muted-foreground" />
          <Input
            aria-label="Search bots"
            placeholder="Search by name"
            className="pl-8"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              const next = new URLSearchParams(params);
              if (event.target.value) next.set('q', event.target.value);
              else next.delete('q');
              setParams(next, { replace: true });
            }}
          />
        </div>
        <div className="w-40">
          <NativeSelect
            aria-label="Status"
            value={status}
            onChange={(event) => {
              const next = new URLSearchParams(params);
              if (event.target.value === 'archived') next.set('status', 'archived');
              else next.delete('status');
              setParams(next, { replace: true });
            }}
          >
            <option value="active">Active</option>
            <option value="archived">Archived</option>
          </NativeSelect>
        </div>
      </div>
      {bots.isPending ? (
        <Card aria-busy="true" aria-label="Loading bots" className="space-y-2 p-5">
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-11 w-full" />
          <Skeleton className="h-11 w-full" />
        </Card>
      ) : bots.isError ? (
        <ErrorState title="Could not load the bots" error={bots.error} onRetry={() => bots.refetch()} />
      ) : bots.data.length === 0 ? (
        <Card>
          {filtered ? (
            <EmptyState
              icon={Search}
              title={status === 'archived' && q === '' ? 'No archived bots' : 'No bots match'}
              description={q ? `Nothing is called “${q}”.` : 'Archived bots show up here.'}
            />
          ) : (
            <EmptyState
              icon={BotIcon}
              title="Create your first bot"
              description="A bot greets your visitors, answers from your templates or with AI, and falls back to a message you choose."
              className="py-14"
            >
              {canManage ? (
                <Button onClick={() => setCreating(true)}>
                  <Plus />
                  Create bot
                </Button>
              ) : (
                <p className="text-sm text-muted-foreground">Ask a member or admin to create one.</p>
              )}
            </EmptyState>
          )}
        </Card>
      ) : (
        <Card>
          <CardContent className="p-0">
            <Table
              bare
              stackOnPhone
              className="[&_td:first-child]:pl-5 [&_th:first-child]:pl-5 [&_td:last-child]:pr-5 [&_th:last-child]:pr-5"
            >
              <TableHeader>
                <TableRow>
                  <TableHead>Bot</TableHead>
                  <TableHead>Model</TableHead>
                  <TableHead>Templates</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Updated</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {bots.data.map((bot) => (
                  <TableRow key={bot.id}>
                    <TableCell>
                      <Link to={`/bots/${bot.id}`} className="group flex items-center gap-3">
                        <BotAvatar name={bot.name} color={bot.avatar_color} />
                        <span className="min-w-0">
                          <span className="block font-medium group-hover:underline">{bot.name}</span>
                          {bot.description ? (
                            <span className="block max-w-72 truncate text-xs text-muted-foreground">
                              {bot.description}
                            </span>
                          ) : null}
                        </span>
                      </Link>
                    </TableCell>
                    <TableCell>
                      <code className="font-mono text-xs">{bot.model}</code>
                    </TableCell>
                    <TableCell stackLabel="Templates">{bot.template_ids.length}</TableCell>
                    <TableCell>
                      {bot.status === 'active' ? (
                        <Badge variant="green">Active</Badge>
                      ) : (
                        <Badge>Archived</Badge>
                      )}
                    </TableCell>
                    <TableCell stackLabel="Updated" className="whitespace-nowrap">
                      <span title={formatDateTime(bot.updated_at)}>{formatRelative(bot.updated_at)}</span>
                    </TableCell>
                    <TableCell className="text-right">
                      {canManage ? (
                        <DropdownMenu>
                          <DropdownMenuTrigger asChild>
                            <Button variant="ghost" size="icon" aria-label={`Actions for ${bot.name}`}>
                              <MoreHorizontal />
                            </Button>
                          </DropdownMenuTrigger>
                          <DropdownMenuContent align="end">
                            <DropdownMenuItem onSelect={() => duplicate.mutate(bot)}>
                              <Copy />
                              Duplicate
                            </DropdownMenuItem>
                            {bot.status === 'active' ? (
                              <DropdownMenuItem
                                onSelect={() => setStatus.mutate({ bot, status: 'archived' })}
                              >
                                <Archive />
                                Archive
                              </DropdownMenuItem>
                            ) : (
                              <DropdownMenuItem onSelect={() => setStatus.mutate({ bot, status: 'active' })}>
                                <ArchiveRestore />
                                Restore
                              </DropdownMenuItem>
                            )}
                            <DropdownMenuSeparator />
                            <DropdownMenuItem
                              className="text-destructive focus:text-destructive"
                              onSelect={() => setDeleting(bot)}
                            >
                              <Trash2 />
                              Delete
                            </DropdownMenuItem>
                          </DropdownMenuContent>
                        </DropdownMenu>
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      {canManage ? <CreateBotDialog open={creating} onOpenChange={setCreating} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => {
          if (!open) {
            setDeleting(null);
            remove.reset();
          }
        }}
        title="Delete bot?"
        description={deleting ? <BotDeletionSummary botId={deleting.id} botName={deleting.name} /> : null}
        confirmLabel="Delete bot"
        destructive
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
      />
    </>
  );
}
