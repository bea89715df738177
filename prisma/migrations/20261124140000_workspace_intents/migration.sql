-- A workspace's own intents (what a classify-intent node routes on), their training phrases, and the model trained
-- from them. A workspace is seeded with the shipped default intents the first time its intents are read (see
-- IntentRepository.ensureSeeded): the defaults live in packages/ai, not in SQL, and `intent_model` having a row is
-- the mark that the workspace was seeded, so deleting every intent does not bring the defaults back.
CREATE TABLE "intent" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "intent_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "intent_workspace_id_name_key" ON "intent"("workspace_id", "name");

ALTER TABLE "intent" ADD CONSTRAINT "intent_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "intent_phrase" (
    "id" TEXT NOT NULL,
    "intent_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "language" TEXT,
    -- Keeps phrases in the order they were added (many are added in one statement, at the same created_at).
    "seq" BIGSERIAL NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "intent_phrase_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "intent_phrase_intent_id_text_key" ON "intent_phrase"("intent_id", "text");

ALTER TABLE "intent_phrase" ADD CONSTRAINT "intent_phrase_intent_id_fkey" FOREIGN KEY ("intent_id") REFERENCES "intent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One row per seeded workspace. `revision` counts changes to its intents and phrases (bumped in the transaction
-- that makes them); `trained_revision` is the revision `model` was trained from. A training run stores its model
-- only if the revision has not moved on meanwhile, so a later save supersedes an earlier run.
CREATE TABLE "intent_model" (
    "workspace_id" TEXT NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "status" TEXT NOT NULL DEFAULT 'training',
    "model" JSONB,
    "trained_revision" INTEGER,
    "trained_at" TIMESTAMPTZ(3),
    "intent_count" INTEGER NOT NULL DEFAULT 0,
    "phrase_count" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "intent_model_pkey" PRIMARY KEY ("workspace_id")
);

ALTER TABLE "intent_model" ADD CONSTRAINT "intent_model_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
