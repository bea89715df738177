-- Web sign-in sessions: the cookie carries a random token; only its SHA-256 is stored, so a leaked database
-- does not hand out live sessions.
CREATE TABLE "app_session" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "app_session_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "app_session_user_id_idx" ON "app_session"("user_id");
ALTER TABLE "app_session" ADD CONSTRAINT "app_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Who has a flow open in the editor (one row per browser tab), refreshed by a heartbeat; rows older than the
-- heartbeat window are ignored, so a closed tab disappears without a goodbye.
CREATE TABLE "flow_presence" (
    "flow_id" TEXT NOT NULL,
    "tab_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "flow_presence_pkey" PRIMARY KEY ("flow_id", "tab_id")
);
ALTER TABLE "flow_presence" ADD CONSTRAINT "flow_presence_flow_id_fkey" FOREIGN KEY ("flow_id") REFERENCES "flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "flow_presence" ADD CONSTRAINT "flow_presence_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
