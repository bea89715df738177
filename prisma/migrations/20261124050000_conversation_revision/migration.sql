-- Every commit of a worker's drain bumps the conversation's revision and applies only when the revision is
-- still the one the worker read (optimistic concurrency): several conversations commit in one statement, and
-- a conversation that changed under a worker is left alone instead of being overwritten.
ALTER TABLE "conversation" ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 0;
