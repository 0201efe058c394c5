// /templates: the organisation's response templates — search, category filter, create, edit, delete.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { MessageSquareText, Plus, Search, Trash2 } from 'lucide-react';
import { toast } from 'sonner';
import { ConfirmDialog } from '@/components/confirm-dialog';
import { PageHeader, useDocumentTitle } from '@/components/layout/page-header';
import { EmptyState, ErrorState } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Action, usePermissions } from '@/features/permissions/queries';
import { templatesKey, useTemplates } from '@/features/templates/queries';
import { TemplateDialog } from '@/features/templates/template-dialog';
import { api, type Template } from '@/lib/api';
import { formatDateTime, formatRelative } from '@/lib/utils';

export function TemplatesPage() {
  useDocumentTitle('Templates');
  const [search, setSearch] = React.useState('');
  const [q, setQ] = React.useState('');
  const [category, setCategory] = React.useState('');
  React.useEffect(() => {
    const timer = window.setTimeout(() => setQ(search.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [search]);
  const all = useTemplates();
  const templates = useTemplates({ q, category });
  const categories = React.useMemo(
    () => [...new Set((all.data ?? []).map((t) => t.category).filter(Boolean))].sort(),
    [all.data],
  );
  const { can } = usePermissions();
  const canManage = can(Action.botsManage);
  const [editing, setEditing] = React.useState<Template | 'new' | null>(null);
  const [deleting, setDeleting] = React.useState<Template | null>(null);
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (template: Template) => api.templates.remove(template.id),
    meta: { inlineError: true },
    onSuccess: async (_, template) => {
      await queryClient.invalidateQueries({ queryKey: templatesKey });
      await queryClient.invalidateQueries({ queryKey: ['bots'] });
      setDeleting(null);
      toast.success(`“${template.name}” deleted`);
    },
  });

  const filtered = q !== '' || category !== '';
  return (
    <>
      <PageHeader
        title="Templates"
        description="Approved answers your bots give word for word when a message contains a trigger phrase."
        actions={
          canManage ? (
            <Button onClick={() => setEditing('new')}>
              <Plus />
              Create template
            </Button>
          ) : null
        }
      />
      <div className="mb-4 flex flex-wrap gap-2">
        <div className="relative min-w-56 flex-1">
          <Search className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-muted-foreground" />
          <Input
            aria-label="Search templates"
            placeholder="Search by name or text"
            className="pl-8"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <div className="w-48">
          <NativeSelect
            aria-label="Category"
            value={category}
            onChange={(event) => setCategory(event.target.value)}
          >
            <option value="">All categories</option>
            {categories.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </NativeSelect>
        </div>
      </div>
      {templates.isPending ? (
        <Card aria-busy="true" aria-label="Loading templates" className="space-y-2 p-5">
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-11 w-full" />
        </Card>
      ) : templates.isError ? (
        <ErrorState
          title="Could not load the templates"
          error={templates.error}
          onRetry={() => templates.refetch()}
        />
      ) : templates.data.length === 0 ? (
        <Card>
          {filtered ? (
            <EmptyState
              icon={Search}
              title="No templates match"
              description="Try another word or category."
            />
          ) : (
            <EmptyState
              icon={MessageSquareText}
              title="No templates yet"
              description="Write the answers you want given exactly — opening hours, returns, prices — and attach them to bots."
              className="py-14"
            >
              {canManage ? (
                <Button onClick={() => setEditing('new')}>
                  <Plus />
                  Create template
                </Button>
              ) : null}
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
                  <TableHead>Template</TableHead>
                  <TableHead>Category</TableHead>
                  <TableHead>Trigger phrases</TableHead>
                  <TableHead>Updated</TableHead>
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {templates.data.map((template) => (
                  <TableRow key={template.id}>
                    <TableCell className="max-w-72">
                      <button
                        type="button"
                        className="text-left font-medium hover:underline"
                        onClick={() => setEditing(template)}
                      >
                        {template.name}
                      </button>
                      <p className="truncate text-xs text-muted-foreground">{template.body}</p>
                    </TableCell>
                    <TableCell>
                      {template.category ? <Badge variant="outline">{template.category}</Badge> : null}
                    </TableCell>
                    <TableCell className="max-w-64">
                      <span className="flex flex-wrap gap-1">
                        {template.manual ? <Badge variant="outline">Manual / AI only</Badge> : null}
                        {template.trigger_phrases.slice(0, 3).map((phrase) => (
                          <Badge key={phrase}>{phrase}</Badge>
                        ))}
                        {template.trigger_phrases.length > 3 ? (
                          <span className="text-xs text-muted-foreground">
                            +{template.trigger_phrases.length - 3}
                          </span>
                        ) : null}
                      </span>
                    </TableCell>
                    <TableCell stackLabel="Updated" className="whitespace-nowrap">
                      <span title={formatDateTime(template.updated_at)}>
                        {formatRelative(template.updated_at)}
                      </span>
                    </TableCell>
                    <TableCell className="whitespace-nowrap text-right">
                      <Button variant="ghost" size="sm" onClick={() => setEditing(template)}>
                        {canManage ? 'Edit' : 'View'}
                      </Button>
                      {canManage ? (
                        <Button
                          variant="ghost"
                          size="icon"
                          className="size-8 text-muted-foreground hover:text-destructive"
                          aria-label={`Delete ${template.name}`}
                          onClick={() => setDeleting(template)}
                        >
                          <Trash2 />
                        </Button>
                      ) : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}
      <TemplateDialog
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        template={editing === 'new' ? null : editing}
        readOnly={!canManage}
        categories={categories}
      />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => {
          if (!open) {
            setDeleting(null);
            remove.reset();
          }
        }}
        title="Delete template?"
        description={
          <>
            <span className="font-medium text-foreground">“{deleting?.name}”</span> is detached from every bot
            that uses it; those bots answer such messages with AI or their fallback instead.
          </>
        }
        confirmLabel="Delete template"
        destructive
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting)}
      />
    </>
  );
}
