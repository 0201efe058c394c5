// Entry point: providers (query client, data router, toasts) around the app's routes (app.tsx).
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { Toaster } from 'sonner';
import { appRoutes } from '@/app';
import { applyTheme, useTheme } from '@/features/theme/theme';
import { createQueryClient } from '@/lib/query-client';
import { ROUTER_FUTURE, ROUTER_PROVIDER_FUTURE } from '@/lib/router';
import '@/index.css';

const queryClient = createQueryClient();

// Sonner's own breakpoint: below it, toasts span the width of the screen.
const phone = window.matchMedia('(max-width: 600px)');
const onPhoneChange = (change: () => void) => {
  phone.addEventListener('change', change);
  return () => phone.removeEventListener('change', change);
};

/**
 * Toasts at the bottom right; on a phone at the top, clear of the sticky save bars they would cover. In the
 * theme shown; always mounted, so its theme subscription keeps <html> in step with the system setting.
 */
function AppToaster() {
  const onPhone = React.useSyncExternalStore(onPhoneChange, () => phone.matches);
  const { theme } = useTheme();
  return <Toaster theme={theme} position={onPhone ? 'top-center' : 'bottom-right'} richColors closeButton />;
}
// public/theme.js has set the theme before this script ran; this repeats it in case that file was not loaded.
applyTheme();
const router = createBrowserRouter(appRoutes, { future: ROUTER_FUTURE });

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} future={ROUTER_PROVIDER_FUTURE} />
      <AppToaster />
    </QueryClientProvider>
  </React.StrictMode>,
);
