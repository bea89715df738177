-- Translations already paid for, per workspace: the same sentence is never sent to a provider twice. The key
-- leaves out the provider (a good translation stays good after a switch) but names the glossary version.
CREATE TABLE "translation_memory" (
    "workspace_id" TEXT NOT NULL,
    "glossary_version" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "source_hash" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "detected_source" TEXT,
    "provider" TEXT NOT NULL,
    "hits" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "used_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "translation_memory_pkey" PRIMARY KEY ("workspace_id", "glossary_version", "source", "target", "source_hash")
);

ALTER TABLE "translation_memory" ADD CONSTRAINT "translation_memory_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
