// Server state of the AI settings: an organisation's settings, OpenRouter's model list, and the
// models a bot of the current organisation may be given.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { aiApi, type AiModel, type OrgAiSettings } from '@/features/ai/api';
import { useSession } from '@/features/auth/session';
import { aiStatusKey, botsKey } from '@/features/bots/queries';

export const orgAiKey = (orgId: string) => ['ai', 'org', orgId] as const;
export const aiModelsKey = ['ai', 'models'] as const;

export function useOrgAiSettings(orgId: string | undefined) {
  return useQuery({
    queryKey: orgAiKey(orgId ?? 'none'),
    queryFn: () => aiApi.settings(orgId!),
    enabled: orgId !== undefined,
  });
}

export function useAiModels() {
  // The server caches OpenRouter's list; it changes a few times a day.
  return useQuery({ queryKey: aiModelsKey, queryFn: aiApi.models, staleTime: 5 * 60_000 });
}

/** The hint under a model field when OpenRouter's list is missing: typing still works. */
export function modelListUnavailable(reason: string) {
  return `OpenRouter’s model list could not be loaded: ${reason.replace(/\.?\s*$/, '.')} Any OpenRouter model id may be typed.`;
}

/** After a change: the new settings, and the bots (whether their model is allowed) and AI status. */
export function adoptOrgAiSettings(queryClient: QueryClient, orgId: string, settings: OrgAiSettings) {
  queryClient.setQueryData(orgAiKey(orgId), settings);
  void queryClient.invalidateQueries({ queryKey: botsKey });
  void queryClient.invalidateQueries({ queryKey: aiStatusKey });
}

/**
 * The models to offer for a bot of the current organisation: only the allowed ones when it
 * restricts them (named from OpenRouter's list where it has them), otherwise the whole list.
 */
export function useModelChoices() {
  const orgId = useSession().data?.organization?.id;
  const settings = useOrgAiSettings(orgId);
  const catalog = useAiModels();
  const allowed = settings.data?.allowed_models ?? [];
  const known = catalog.data?.models ?? [];
  const models: AiModel[] =
    allowed.length > 0
      ? allowed.map(
          (id) =>
            known.find((model) => model.id === id) ?? {
              id,
              name: id,
              context_length: null,
              prompt_price: null,
              completion_price: null,
            },
        )
      : known;
  return {
    models,
    /** The organisation allows only these models. */
    restricted: allowed.length > 0,
    allowed,
    /** Why OpenRouter's list could not be loaded (from the server, or the request itself). */
    catalogError: catalog.data?.error ?? (catalog.error ? catalog.error.message : null),
    catalogLoaded: catalog.isSuccess,
  };
}
