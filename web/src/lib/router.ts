// React Router's v7 behaviours, opted into now: the app's router and the tests' use the same.
import type { createBrowserRouter, RouterProviderProps } from 'react-router-dom';

export const ROUTER_FUTURE = {
  v7_relativeSplatPath: true,
  v7_fetcherPersist: true,
  v7_normalizeFormMethod: true,
  v7_partialHydration: true,
  v7_skipActionErrorRevalidation: true,
} satisfies NonNullable<Parameters<typeof createBrowserRouter>[1]>['future'];

export const ROUTER_PROVIDER_FUTURE = { v7_startTransition: true } satisfies RouterProviderProps['future'];
