import { initTRPC, TRPCError } from '@trpc/server';
import { sessionUser, type PrismaClient, type SessionUser } from '@signalbox/db/app';
import superjson from 'superjson';
import { z } from 'zod';
import { can, type Permission } from './permissions.ts';
import { overHttps, tokenFromCookieHeader } from './session-cookie.ts';

/** An error about a user's input that names each field (JSON path or form path) it concerns. */
export class FieldsError extends Error {
  constructor(
    message: string,
    readonly fields: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** An error about one input field: the message reads "field: problem", and `data.fields` carries it for the form. */
export function fieldError(code: TRPCError['code'], field: string, problem: string): TRPCError {
  const message = `${field}: ${problem}`;
  return new TRPCError({ code, message, cause: new FieldsError(message, [{ path: field, message: problem }]) });
}

/** A 400 whose body lists each field's problem. */
export function badInput(message: string, fields: { path: string; message: string }[]): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message, cause: new FieldsError(message, fields) });
}

export interface Context {
  prisma: PrismaClient;
  user: SessionUser | null;
  sessionToken: string | null;
  /** Whether the request came over HTTPS, so cookies get `Secure`. */
  secure: boolean;
  /** The client's address, for rate limits. */
  address: string;
  setCookie(cookie: string): void;
}

export async function createContext(input: { prisma: PrismaClient; headers: Headers; resHeaders?: Headers; url?: string; address?: string }): Promise<Context> {
  const token = tokenFromCookieHeader(input.headers.get('cookie'));
  return {
    prisma: input.prisma,
    sessionToken: token,
    user: token ? await sessionUser(input.prisma, token) : null,
    secure: overHttps(input.headers, input.url),
    address: input.address ?? 'unknown',
    setCookie: (cookie) => input.resHeaders?.append('Set-Cookie', cookie),
  };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Input errors carry every field's message by path, so forms can show each under its field.
    const { cause } = error;
    const fields =
      cause instanceof z.ZodError ? cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : cause instanceof FieldsError ? cause.fields : null;
    return { ...shape, data: { ...shape.data, fields } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

export const signedInProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** A procedure only roles with `permission` may call. */
export function allowed(permission: Permission) {
  return signedInProcedure.use(({ ctx, next }) => {
    if (!can(ctx.user.role, permission)) throw new TRPCError({ code: 'FORBIDDEN', message: `your role (${ctx.user.role}) may not do this (${permission})` });
    return next();
  });
}
