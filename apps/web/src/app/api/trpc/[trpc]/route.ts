import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { prisma } from '../../../../server/db.ts';
import { appRouter } from '../../../../server/router.ts';
import { clientAddress, guardRequest } from '../../../../server/request-guards.ts';
import { createContext } from '../../../../server/trpc.ts';

// Flow files up to 5 MB are imported as text, wrapped in JSON.
const MAX_BODY_BYTES = 6_000_000;

async function handler(req: Request) {
  const refused = guardRequest(req, MAX_BODY_BYTES);
  if (refused) return refused;
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    maxBatchSize: 20,
    createContext: ({ req: request, resHeaders }) => createContext({ prisma: prisma(), headers: request.headers, resHeaders, url: request.url, address: clientAddress(request) }),
  });
}

export { handler as GET, handler as POST };
