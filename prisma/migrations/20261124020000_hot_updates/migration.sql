-- Leave room in each page so the per-message updates (an event marked processed, a conversation's new state,
-- a message marked sent) can be HOT updates: the new row version stays on its page and no index is touched.
-- Storage parameters only: schema.prisma has no way to say this and nothing in it changes.
ALTER TABLE "inbound_event" SET (fillfactor = 80);
ALTER TABLE "conversation" SET (fillfactor = 70);
ALTER TABLE "message" SET (fillfactor = 85);
ALTER TABLE "outbox" SET (fillfactor = 85);
