'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useState, type ReactNode } from 'react';
import superjson from 'superjson';
import type { AppRouter } from '../server/router.ts';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** What each procedure returns, for components that take its data as props. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // A refused or missing thing will not change by asking again.
        retry: (count, error) => !(error instanceof TRPCClientError && typeof error.data?.httpStatus === 'number' && error.data.httpStatus < 500) && count < 2,
      },
    },
  });
}

export function TrpcProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/api/trpc', transformer: superjson })] }));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/** The message to show for a failed call, and each field's message when the server named fields. */
export function errorOf(error: unknown): { message: string; fields: Map<string, string> } {
  const fields = new Map<string, string>();
  if (error instanceof TRPCClientError) {
    const data: unknown = error.data;
    const list = data && typeof data === 'object' && 'fields' in data && Array.isArray(data.fields) ? data.fields : [];
    for (const f of list) if (f && typeof f === 'object' && typeof f.path === 'string' && typeof f.message === 'string') fields.set(f.path, f.message);
    // Input validation errors arrive as a JSON list in the message; the first field's words read better.
    const first = fields.values().next();
    return { message: !first.done && error.message.startsWith('[') ? first.value : error.message, fields };
  }
  return { message: error instanceof Error ? error.message : 'something went wrong', fields };
}
