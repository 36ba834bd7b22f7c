-- 020_message_agent.sql - which agent wrote a reply the gateway re-sent to the customer, so views name the person.
-- by_agent: the agent's address for outgoing messages of kind 'agent' (the From is support@); NULL otherwise and
--   for replies recorded before this migration (views then fall back to the agent named in the reply's event).
ALTER TABLE messages ADD COLUMN by_agent text;
