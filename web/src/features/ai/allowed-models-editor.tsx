// The models an organisation's bots may use: chips with remove buttons, an input with suggestions
// from OpenRouter's list (any well-formed id may be typed), and Save. Empty allows every model.
import * as React from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2, Plus, X } from 'lucide-react';
import { toast } from 'sonner';
import { SaveFailure } from '@/components/save-failure';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { aiApi, MODEL_ID_HINT, MODEL_ID_PATTERN, type OrgAiSettings } from '@/features/ai/api';
import { adoptOrgAiSettings, modelListUnavailable, useAiModels } from '@/features/ai/queries';
import { isApiError } from '@/lib/api';
import { toastSaveFailure } from '@/lib/forms';
import { useUnsavedChangesGuard } from '@/lib/use-unsaved-changes-guard';

const INPUT_ID = 'ai-add-model';

export function AllowedModelsEditor({
  organizationId,
  settings,
}: {
  organizationId: string;
  settings: OrgAiSettings;
}) {
  const queryClient = useQueryClient();
  const catalog = useAiModels();
  const [models, setModels] = React.useState(settings.allowed_models);
  const [typed, setTyped] = React.useState('');
  const [problem, setProblem] = React.useState<string | null>(null);
  const save = useMutation({
    mutationFn: () => aiApi.update(organizationId, { allowed_models: models }),
    meta: { inlineError: true },
    onSuccess: (updated) => {
      adoptOrgAiSettings(queryClient, organizationId, updated);
      toast.success('Allowed models saved', {
        description:
          updated.allowed_models.length > 0
            ? `Bots may use ${updated.allowed_models.length} model${updated.allowed_models.length === 1 ? '' : 's'}.`
            : 'Bots may use any model.',
      });
    },
    onError: (failure) =>
      toastSaveFailure(
        'Allowed models not saved',
        failure,
        isApiError(failure) && Boolean(failure.fields.allowed_models),
      ),
  });
  const canManage = settings.can_manage;
  const dirty = models.join('\n') !== settings.allowed_models.join('\n');
  useUnsavedChangesGuard(canManage && dirty);
  const serverProblem = isApiError(save.error) ? save.error.fields.allowed_models : undefined;
  const error = problem ?? serverProblem ?? null;

  const add = () => {
    const id = typed.trim();
    if (!MODEL_ID_PATTERN.test(id)) return setProblem(MODEL_ID_HINT);
    if (models.includes(id)) return setProblem(`${id} is already in the list.`);
    setModels([...models, id]);
    setTyped('');
    setProblem(null);
    save.reset();
  };
  const removeModel = (id: string) => {
    setModels(models.filter((model) => model !== id));
    save.reset();
  };

  const suggestions = (catalog.data?.models ?? []).filter((model) => !models.includes(model.id));
  const catalogError = catalog.data?.error ?? (catalog.error ? catalog.error.message : null);

  return (
    <section aria-labelledby="ai-models" className="grid gap-3 border-t pt-5">
      <div className="grid gap-1">
        <h4 id="ai-models" className="text-sm font-medium">
          Allowed models
        </h4>
        <p className="text-sm text-muted-foreground">Empty: bots may use any model.</p>
      </div>
      {models.length > 0 ? (
        <ul aria-label="Allowed models" className="flex flex-wrap gap-2">
          {models.map((id) => (
            <li
              key={id}
              className="inline-flex items-center gap-1 rounded-md border bg-muted/50 py-0.5 pl-2 pr-0.5 font-mono text-xs"
            >
              {id}
              {canManage ? (
                <button
                  type="button"
                  aria-label={`Remove ${id}`}
                  className="rounded p-1 text-muted-foreground hover:bg-accent hover:text-foreground disabled:opacity-50"
                  disabled={save.isPending}
                  onClick={() => removeModel(id)}
                >
                  <X className="size-3" />
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm">Any model.</p>
      )}
      {canManage ? (
        <>
          <div className="grid gap-1.5">
            <Label htmlFor={INPUT_ID}>Add a model</Label>
            <div className="flex gap-2">
              <Input
                id={INPUT_ID}
                list={`${INPUT_ID}-options`}
                autoComplete="off"
                spellCheck={false}
                placeholder="openai/gpt-4o-mini"
                className="font-mono text-xs"
                value={typed}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${INPUT_ID}-error` : `${INPUT_ID}-hint`}
                disabled={save.isPending}
                onChange={(event) => {
                  setTyped(event.target.value);
                  setProblem(null);
                }}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') {
                    event.preventDefault();
                    add();
                  }
                }}
              />
              <datalist id={`${INPUT_ID}-options`}>
                {suggestions.map((model) => (
                  <option key={model.id} value={model.id} label={model.name} />
                ))}
              </datalist>
              <Button type="button" variant="outline" disabled={save.isPending} onClick={add}>
                <Plus /> Add
              </Button>
            </div>
            {error ? (
              <p id={`${INPUT_ID}-error`} className="text-[0.8rem] font-medium text-destructive">
                {error}
              </p>
            ) : (
              <p id={`${INPUT_ID}-hint`} className="text-[0.8rem] text-muted-foreground">
                {catalogError
                  ? modelListUnavailable(catalogError)
                  : 'Pick from OpenRouter’s model list or type any OpenRouter model id.'}
              </p>
            )}
          </div>
          <div className="flex flex-wrap justify-end gap-2">
            <SaveFailure
              error={save.error} paused={save.isPaused}
              fieldsShown={Boolean(serverProblem)}
              className="w-full sm:mr-auto sm:w-auto sm:flex-1 sm:self-center"
            />
            <Button
              type="button"
              variant="ghost"
              disabled={!dirty || save.isPending}
              onClick={() => {
                setModels(settings.allowed_models);
                setProblem(null);
                save.reset();
              }}
            >
              Discard
            </Button>
            <Button type="button" disabled={!dirty || save.isPending} onClick={() => save.mutate()}>
              {save.isPending ? <Loader2 className="animate-spin" /> : null}
              Save models
            </Button>
          </div>
        </>
      ) : null}
    </section>
  );
}
