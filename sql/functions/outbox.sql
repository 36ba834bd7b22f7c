-- outbox.sql - the scheduler's statements per outgoing mail and per wake, as functions with cached plans.
-- Each outgoing mail costs the scheduler three statements: the claim, the acknowledgement's composed bytes
-- stored before the first attempt, and the record that the relay took it.  Its session plans every statement
-- for its values (plan_cache_mode = force_custom_plan, src/db/db.c), which for these lookups and updates by key
-- cost more than their work: a third of the scheduler backend's CPU went to the planner.  As functions they
-- keep one plan per session for each statement, as sg_intake() does for the milter, and never prefer a
-- sequential scan (a plan kept from while a table was small would keep reading all of it).  Applied by every
-- db migrate; see README.

-- The due rows, leased for p_lease seconds, with the ticket's facts for an acknowledgement still to compose.
-- Leases run on the real clock even in a --now pass: they guard against other live schedulers, not the schedule.
CREATE OR REPLACE FUNCTION sg_outbox_claim(p_now timestamptz, p_lease double precision, p_batch int)
RETURNS TABLE (id bigint, ticket_id bigint, kind text, env_from text, rcpt text, data bytea, attempts int,
               lang text, channel text, subject text, requester_name text, requester text, created bigint,
               first_response_due bigint, refs text)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH o AS (UPDATE outbox o SET locked_until = clock_timestamp() + make_interval(secs => p_lease),
            attempts = o.attempts + 1
        WHERE o.id IN (SELECT w.id FROM outbox w
            WHERE w.sent_at IS NULL AND w.failed_at IS NULL AND w.next_attempt_at <= coalesce(p_now, now())
              AND (w.locked_until IS NULL OR w.locked_until <= clock_timestamp())
            ORDER BY w.next_attempt_at, w.id LIMIT p_batch FOR UPDATE SKIP LOCKED)
        RETURNING o.*)
    SELECT o.id, coalesce(o.ticket_id, 0), o.kind, o.env_from, o.rcpt, o.data, o.attempts,
        t.lang, t.channel, t.subject, t.requester_name, t.requester, extract(epoch FROM t.created_at)::bigint,
        extract(epoch FROM t.due_first_response)::bigint, array_to_string(o.refs, ' ')
    FROM o LEFT JOIN tickets t ON t.id = o.ticket_id AND o.data IS NULL ORDER BY o.next_attempt_at, o.id;
END $$;

-- An acknowledgement composed from its ticket: its message row and the bytes every attempt sends.
CREATE OR REPLACE FUNCTION sg_ack_store(p_ticket bigint, p_message_id text, p_sender text, p_rcpt text, p_subject text,
                             p_body text, p_data text, p_outbox bigint)
RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
BEGIN
    WITH m AS (INSERT INTO messages (ticket_id, direction, kind, message_id, sender, recipients, subject, body, size)
            VALUES (p_ticket, 'out', 'ack', p_message_id, p_sender, ARRAY[p_rcpt], p_subject, p_body,
                    octet_length(p_data)) RETURNING messages.id)
    UPDATE outbox o SET data = convert_to(p_data, 'UTF8'), message_row = m.id FROM m
    WHERE o.id = p_outbox AND o.data IS NULL;
END $$;

-- Sent: the message gets its time, an acknowledgement stamps the ticket, a late one is a breach.
CREATE OR REPLACE FUNCTION sg_outbox_sent(p_id bigint, p_now timestamptz)
RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
BEGIN
    WITH o AS (UPDATE outbox SET sent_at = coalesce(p_now, clock_timestamp()), locked_until = NULL, last_error = NULL
            WHERE outbox.id = p_id AND outbox.sent_at IS NULL
            RETURNING outbox.ticket_id, outbox.message_row, outbox.kind, outbox.sent_at, outbox.rcpt),
        m AS (UPDATE messages SET at = o.sent_at FROM o WHERE messages.id = o.message_row),
        t AS (UPDATE tickets SET acked_at = o.sent_at FROM o
            WHERE o.kind = 'ack' AND tickets.id = o.ticket_id AND tickets.acked_at IS NULL
            RETURNING tickets.id, tickets.team, tickets.due_ack, o.sent_at, o.rcpt),
        e AS (INSERT INTO events (ticket_id, at, type, detail)
            SELECT t.id, t.sent_at, 'acked', 'acknowledgement sent to ' || t.rcpt FROM t),
        b AS (INSERT INTO breaches (ticket_id, sla, due, at, team)
            SELECT t.id, 'ack', t.due_ack, t.sent_at, t.team FROM t WHERE t.due_ack < t.sent_at
            ON CONFLICT DO NOTHING RETURNING breaches.ticket_id, breaches.due, breaches.at)
    INSERT INTO events (ticket_id, at, type, detail)
    SELECT b.ticket_id, b.at, 'breach', 'ack: due ' || b.due || ', sent ' || b.at FROM b;
END $$;

-- Seconds until the earliest unsent mail falls due (0 when one is due now), NULL with nothing waiting: the
-- scheduler asks after every pass, so at intake rates after nearly every mail.  Planned for its values, this
-- one-row lookup cost ten times its execution: the planner probes outbox_due for its bounds and, until vacuum,
-- walks the dead entries that every sent mail leaves there.  greatest() skips NULLs, so it must not see an empty
-- outbox's min(), or an idle scheduler would be told work is due now and pass without pause.
CREATE OR REPLACE FUNCTION sg_outbox_next_due()
RETURNS double precision LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
DECLARE
    m timestamptz;
BEGIN
    SELECT min(greatest(w.next_attempt_at, coalesce(w.locked_until, w.next_attempt_at))) INTO m
    FROM outbox w WHERE w.sent_at IS NULL AND w.failed_at IS NULL;
    RETURN extract(epoch FROM CASE WHEN m IS NOT NULL THEN greatest(m - now(), interval '0') END);
END $$;
