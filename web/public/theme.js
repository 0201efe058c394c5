// Sets the theme class on <html> before the app's stylesheet and code load, so a page never flashes the
// wrong theme. A file rather than an inline script: the server's CSP is script-src 'self'. Keep in step
// with src/features/theme/theme.ts (same storage key, same rule).
(function () {
  var choice = null;
  try {
    choice = window.localStorage.getItem('switchboard.theme');
  } catch (e) {
    // Storage refused (private mode, blocked cookies): follow the system.
  }
  var dark =
    choice === 'dark' ||
    (choice !== 'light' && window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches);
  var root = document.documentElement;
  root.classList.toggle('dark', dark);
  root.style.colorScheme = dark ? 'dark' : 'light';
})();
