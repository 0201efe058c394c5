// The web chat's allowed origins as the deploy form edits them: one per line, scheme://host[:port].
const ORIGIN =
  /^https?:\/\/(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(:\d{1,5})?$/i;

/** The origins in a textarea, or the first line that is not one. */
export function parseOrigins(text: string): { origins: string[] } | { error: string } {
  const origins: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/\/$/, '');
    if (line === '') continue;
    const port = /:(\d+)$/.exec(line)?.[1];
    if (!ORIGIN.test(line) || (port !== undefined && Number(port) > 65535)) {
      return {
        error: `“${raw.trim()}” is not an origin like https://shop.example.com or http://localhost:3000.`,
      };
    }
    if (!origins.includes(line.toLowerCase())) origins.push(line.toLowerCase());
  }
  return { origins };
}
