-- 025_intake.sql - a customer's mail recorded in one call: threading, ticket, message, events, queued acknowledgement.
-- The milter parses, classifies and verifies in C and then calls sg_intake() once.  For a mail that can only
-- open a ticket (no subject tag, no References, no files) that call is the whole transaction: one round trip
-- and one statement instead of twelve.  A mail that may thread runs it inside BEGIN ... COMMIT, followed by the
-- ticket's clocks and its files.
-- outbox.data: NULL for an acknowledgement still to be composed: the scheduler renders it from the ticket,
--   stores it (and its message row) before the first attempt, so that a retry sends the same bytes.
-- outbox.refs: the References of that acknowledgement (the customer's chain and the mail's own Message-ID).
ALTER TABLE outbox ALTER COLUMN data DROP NOT NULL, ADD COLUMN refs text[];
-- messages.origin_id is set only on an agent's reply we re-sent: a customer's mail no longer adds a NULL entry to
--   its unique index (the Message-ID lookup's "origin_id = $1" implies NOT NULL, so it still uses it).
ALTER TABLE messages DROP CONSTRAINT messages_origin_id_key;
CREATE UNIQUE INDEX messages_origin_id ON messages (origin_id) WHERE origin_id IS NOT NULL;
ALTER TABLE outbox ADD CONSTRAINT outbox_composed CHECK (data IS NOT NULL OR (kind = 'ack' AND ticket_id IS NOT NULL));

-- The ticket a merged ticket went into (a short chain: a merge never goes into a merged ticket, but one may be
-- merged later).
CREATE FUNCTION sg_current_ticket(t bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    WITH RECURSIVE chain (id, depth) AS (SELECT t, 0
        UNION ALL SELECT k.merged_into, c.depth + 1 FROM chain c JOIN tickets k ON k.id = c.id
        WHERE k.merged_into IS NOT NULL AND c.depth < 16)
    SELECT id FROM chain ORDER BY depth DESC LIMIT 1
$$;

-- The ticket a Message-ID (or the agent's own Message-ID behind a reply we re-sent) was recorded on, NULL for
-- none.  Two lookups, each a plain index scan in the plan PL/pgSQL caches (the OR of both is not).
CREATE FUNCTION sg_recorded_ticket(p_key text) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    t bigint;
BEGIN
    SELECT m.ticket_id INTO t FROM messages m WHERE m.message_id = p_key;
    IF NOT FOUND THEN
        SELECT m.ticket_id INTO t FROM messages m WHERE m.origin_id = p_key;
    END IF;
    RETURN t;
END
$$;

-- The open ticket the nearest of P_PARENTS (In-Reply-To and References, nearest first) belongs to, 0 for none: a
-- mail received on it, or one we sent whose Message-ID is signed (P_SIGNED).
CREATE FUNCTION sg_ticket_by_reference(p_parents text[], p_signed text[]) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    t bigint;
BEGIN
    SELECT m.ticket_id INTO t FROM messages m JOIN tickets k ON k.id = m.ticket_id
     WHERE m.message_id = ANY (p_parents) AND k.status <> 'closed'
       AND (m.direction = 'in' OR m.message_id = ANY (p_signed))
     ORDER BY array_position(p_parents, m.message_id) LIMIT 1;
    RETURN coalesce(t, 0);
END
$$;

-- sg_intake() itself is sql/functions/intake.sql: its current definition, applied by every db migrate.
