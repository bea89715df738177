import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { prisma } from '../../../../server/db.ts';
import { appRouter } from '../../../../server/router.ts';
import { createContext } from '../../../../server/trpc.ts';

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: ({ req: request, resHeaders }) => createContext({ prisma: prisma(), headers: request.headers, resHeaders, url: request.url }),
  });
}

export { handler as GET, handler as POST };
