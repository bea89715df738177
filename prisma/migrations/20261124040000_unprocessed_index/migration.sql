-- The sweep (every 5 s) and the queue-depth gauge look for unprocessed events across all conversations.
-- NULLs sit together at one end of this index, so those queries read only the events still waiting instead
-- of the whole, ever-growing table.
CREATE INDEX "inbound_event_processed_at_received_at_idx" ON "inbound_event"("processed_at", "received_at");
