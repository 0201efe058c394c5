// A customer's own website on a port of its own, for journeys that embed the chat widget.
import { createServer } from 'node:http';

/**
 * Serves one page titled `title` whose body ends with `body()`, read on every request (so a journey can
 * change the snippet it embeds). `head` goes into <head>. Resolves with the site's origin and stop().
 */
export async function startSite(title, body, { head = '', extra = '' } = {}) {
  const site = createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(
      `<!doctype html><html><head><title>${title}</title>${head}</head>` +
        `<body><h1>${title}</h1>${extra}${body()}</body></html>`,
    );
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  const stop = async () => {
    site.closeAllConnections?.();
    await new Promise((resolve) => site.close(resolve));
  };
  return { origin: `http://127.0.0.1:${site.address().port}`, stop };
}
