-- A worker asks for a conversation's unprocessed events, and a commit for its unsent replies, on every message.
-- With (conversation_key, id) those lookups walk the conversation's whole history; with the state column in
-- the index they go straight to the few rows still waiting.
DROP INDEX "inbound_event_conversation_key_id_idx";
CREATE INDEX "inbound_event_conversation_key_processed_at_id_idx" ON "inbound_event"("conversation_key", "processed_at", "id");
DROP INDEX "outbox_conversation_key_id_idx";
CREATE INDEX "outbox_conversation_key_status_id_idx" ON "outbox"("conversation_key", "status", "id");
