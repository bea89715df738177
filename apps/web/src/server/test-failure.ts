import { TRPCError } from '@trpc/server';

/** For tests: the error a call failed with, so a test can check its code, message and fields. */
export async function failure(call: Promise<unknown>): Promise<TRPCError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
