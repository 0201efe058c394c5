// Sets the theme class on <html> before the app's stylesheet and code load, so a page never flashes the
// wrong theme. A file rather than an inline script: the server's CSP is script-src 'self'. Keep in step
// with src/features/theme/theme.ts (same storage key, same rules).
(function () {
  var systemDark = !!(window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
  var dark;
  if (window.location.pathname.indexOf('/chat/') === 0) {
    // The public chat is not the app: the scheme widget.js passed from the embedding page (in the widget's
    // frame), else the visitor's system, until the chat knows its deployment's theme.
    var embedded = new URLSearchParams(window.location.search).get('embed') === '1';
    var fromPage = new URLSearchParams(window.location.hash.slice(1)).get('theme');
    dark = embedded && (fromPage === 'dark' || fromPage === 'light') ? fromPage === 'dark' : systemDark;
  } else {
    var choice = null;
    try {
      choice = window.localStorage.getItem('switchboard.theme');
    } catch (e) {
      // Storage refused (private mode, blocked cookies): follow the system.
    }
    dark = choice === 'dark' || (choice !== 'light' && systemDark);
  }
  var root = document.documentElement;
  root.classList.toggle('dark', dark);
  root.style.colorScheme = dark ? 'dark' : 'light';
})();
