// The webhook simulator: a signed test delivery to one of the organisation's accounts, then its progress.
import * as React from 'react';
import { FlaskConical, Loader2, Send } from 'lucide-react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '@/components/confirm-dialog';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Field, fieldControlProps } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { Textarea } from '@/components/ui/textarea';
import { platformMeta } from '@/features/integrations/platform-meta';
import { useIntegrations } from '@/features/integrations/queries';
import { useSimulate } from '@/features/operations/queries';
import { SimulationProgress } from '@/features/operations/simulation-progress';
import { isApiError } from '@/lib/api';

/** Platforms whose deliveries the server can sign for itself (web chat has no webhook). */
export const SIMULATED_PLATFORMS = ['telegram', 'whatsapp', 'messenger', 'slack', 'discord', 'twilio'];

interface SimulatorPanelProps {
  /** An integration chosen elsewhere (?simulate=<id>): selected, scrolled to and focused. */
  preselected: string | null;
  onOpenJob: (jobId: string) => void;
}

export function SimulatorPanel({ preselected, onOpenJob }: SimulatorPanelProps) {
  const integrations = useIntegrations();
  const options = (integrations.data ?? []).filter((item) => SIMULATED_PLATFORMS.includes(item.platform));
  const [chosen, setChosen] = React.useState(preselected ?? '');
  const [text, setText] = React.useState('Hello! Where is my order?');
  const [userId, setUserId] = React.useState('');
  const [errors, setErrors] = React.useState<{ integration?: string; text?: string; user?: string }>({});
  const simulate = useSimulate();
  const panel = React.useRef<HTMLDivElement>(null);
  const textBox = React.useRef<HTMLTextAreaElement>(null);

  React.useEffect(() => {
    if (!preselected) return;
    setChosen(preselected);
    panel.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
    textBox.current?.focus({ preventScroll: true });
  }, [preselected]);

  // Without a valid choice, the first connected account is the natural one to try (an unverified
  // one would only fail its signature or send); the first account when none is connected.
  const fallback = options.find((item) => item.status === 'connected') ?? options[0];
  const integrationId = options.some((item) => item.id === chosen) ? chosen : (fallback?.id ?? '');
  const integration = options.find((item) => item.id === integrationId);
  const fieldError = isApiError(simulate.error) && Object.keys(simulate.error.fields).length > 0;

  return (
    <Card ref={panel} id="simulator" role="region" aria-labelledby="simulator-title" className="scroll-mt-20">
      <CardHeader>
        <CardTitle id="simulator-title">Simulate a message</CardTitle>
        <CardDescription>
          Sends a correctly signed delivery to this server’s own webhook, as the platform would, and follows
          its job until the reply is sent.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {integrations.isPending ? (
          <p className="text-sm text-muted-foreground">Loading your platform accounts…</p>
        ) : integrations.isError ? (
          <ErrorAlert error={integrations.error} />
        ) : options.length === 0 ? (
          <p className="flex flex-wrap items-center gap-1 text-sm text-muted-foreground">
            <FlaskConical className="size-4" /> Connect a platform account first: simulated messages go
            through one.
            <Link
              to="/integrations"
              className="font-medium text-foreground underline-offset-4 hover:underline"
            >
              Open Integrations
            </Link>
          </p>
        ) : (
          <form
            noValidate
            aria-label="Simulate a message"
            className="grid gap-3 md:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]"
            onSubmit={(event) => {
              event.preventDefault();
              const found = {
                integration: integrationId ? undefined : 'Choose an account.',
                text: text.trim() ? undefined : 'Enter a message.',
              };
              setErrors(found);
              if (found.integration || found.text) return;
              simulate.mutate(
                {
                  integrationId,
                  text: text.trim(),
                  ...(userId.trim() ? { external_user_id: userId.trim() } : {}),
                },
                {
                  onError: (failure) => {
                    if (isApiError(failure))
                      setErrors({ text: failure.fields.text, user: failure.fields.external_user_id });
                  },
                },
              );
            }}
          >
            <Field id="simulate-integration" label="Account" error={errors.integration}>
              <NativeSelect
                {...fieldControlProps('simulate-integration', errors.integration)}
                value={integrationId}
                onChange={(event) => setChosen(event.target.value)}
              >
                {options.map((item) => (
                  <option key={item.id} value={item.id}>
                    {platformMeta(item.platform).label} · {item.name}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <Field
              id="simulate-user"
              label="External user id (optional)"
              error={errors.user}
              hint={integration ? `Who ${platformMeta(integration.platform).label} says sent it.` : undefined}
            >
              <Input
                {...fieldControlProps('simulate-user', errors.user)}
                autoComplete="off"
                className="font-mono text-xs"
                placeholder="Generated when empty"
                value={userId}
                onChange={(event) => setUserId(event.target.value)}
              />
            </Field>
            <div className="md:col-span-2">
              <Field id="simulate-text" label="Message" error={errors.text}>
                <Textarea
                  {...fieldControlProps('simulate-text', errors.text)}
                  ref={textBox}
                  rows={2}
                  value={text}
                  onChange={(event) => {
                    setText(event.target.value);
                    setErrors((current) => ({ ...current, text: undefined }));
                  }}
                />
              </Field>
            </div>
            <div className="flex justify-end md:col-span-2">
              <Button type="submit" disabled={simulate.isPending}>
                {simulate.isPending ? <Loader2 className="animate-spin" /> : <Send />}
                {simulate.isPending ? 'Sending…' : 'Send'}
              </Button>
            </div>
          </form>
        )}
        {simulate.error && !fieldError ? <ErrorAlert error={simulate.error} /> : null}
        {simulate.data ? (
          <SimulationProgress key={simulate.data.job_id} answer={simulate.data} onOpenJob={onOpenJob} />
        ) : null}
      </CardContent>
    </Card>
  );
}
