// Entry point: providers (query client, data router, toasts) around the app's routes (app.tsx).
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { Toaster } from 'sonner';
import { appRoutes } from '@/app';
import { createQueryClient } from '@/lib/query-client';
import { ROUTER_FUTURE, ROUTER_PROVIDER_FUTURE } from '@/lib/router';
import '@/index.css';

const queryClient = createQueryClient();
const router = createBrowserRouter(appRoutes, { future: ROUTER_FUTURE });

createRoot(document.getElementById('root')!).render(
  <React.StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} future={ROUTER_PROVIDER_FUTURE} />
      <Toaster position="bottom-right" richColors closeButton />
    </QueryClientProvider>
  </React.StrictMode>,
);
