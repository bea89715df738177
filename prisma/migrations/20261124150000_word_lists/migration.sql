-- Sensitive-word lists per workspace (insults, competitors, banned terms), checked by the sensitive-words node.
-- `revision` counts saves: the runner recompiles a list's matcher only when it changes, and an editor never
-- overwrites a newer save.
CREATE TABLE "word_list" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "words" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "obfuscations" BOOLEAN NOT NULL DEFAULT true,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "word_list_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "word_list_workspace_id_name_key" ON "word_list"("workspace_id", "name");

ALTER TABLE "word_list" ADD CONSTRAINT "word_list_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
