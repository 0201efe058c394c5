// Renders a template body on the server (POST /api/templates/preview), a moment after typing stops.
import * as React from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type TemplatePreviewInput } from '@/lib/api';

export function useTemplatePreview(input: TemplatePreviewInput | null, delayMs = 300) {
  const [settled, setSettled] = React.useState(input);
  const serialized = JSON.stringify(input);
  React.useEffect(() => {
    const timer = window.setTimeout(() => setSettled(JSON.parse(serialized)), delayMs);
    return () => window.clearTimeout(timer);
  }, [serialized, delayMs]);
  return useQuery({
    queryKey: ['template-preview', settled],
    queryFn: () => api.templates.preview(settled!),
    enabled: settled !== null && settled.body.trim() !== '',
    retry: false,
    staleTime: Infinity,
    placeholderData: (previous) => previous,
  });
}
