-- intake.sql - sg_intake(): a customer's mail recorded in one call (threading, ticket, message, events, acknowledgement).
-- The current definition, applied by every `supportgate db migrate` after the numbered migrations (see
-- sql/functions/README); 025_intake.sql introduced it, 026 made a late reply's new ticket reopened_from the old.
-- Its helpers sg_current_ticket(), sg_recorded_ticket() and sg_ticket_by_reference() are in 025_intake.sql.

-- kind: 'new', 'threaded' or 'duplicate' (the key was recorded before: nothing changed).
-- ack: NULL when an acknowledgement was queued (or for a follow-up), else why not (the RFC 3834 verdict, or
--   'rate-limit').  opened: this mail opened the ticket (its copies go to the owning team and the first line).
-- A duplicate that races this very call (ON CONFLICT on the Message-ID) raises SQLSTATE SGDUP; the caller rolls
-- back and reads the ticket the other delivery recorded.
CREATE OR REPLACE FUNCTION sg_intake(
    p_clock double precision,   -- the record's moment (Unix seconds), the milter's clock
    p_key text,                 -- the mail's Message-ID, or the key made up for a mail without one
    p_tagged bigint,            -- the ticket the subject's tag names, 0 for none
    p_senders text[],           -- the From address and the envelope sender (lower case)
    p_parents text[],           -- In-Reply-To and References, nearest first
    p_signed text[],            -- those of them that are our own signed Message-IDs
    p_reopen_window bigint,     -- seconds in which a reply reopens a closed ticket
    p_machine text,             -- why RFC 3834 says a machine sent it, NULL for a person
    p_ack_limit int,            -- acknowledgements per recipient and hour
    p_intake text,              -- the intake address, its channel, and the acknowledgement target (seconds)
    p_channel text,
    p_ack_target bigint,
    p_first_response bigint,    -- first-response target (seconds, around the clock) and warn_at percent
    p_warn_at int,
    p_team text,                -- where the classification sends it, and its category
    p_level int,
    p_category text,
    p_spill_team text,          -- the overflow team while the first line is overloaded (NULL: none applies)
    p_spill_level int,
    p_clocks bigint[],          -- update, resolution, warn_update, warn_resolution, update_since, hold_due of a
    p_spill_clocks bigint[],    --   new ticket in the team's hours, and in the overflow team's (0: none)
    p_sender text,              -- the requester, the name, the kept Cc, the language, the subject
    p_sender_name text,
    p_cc text[],
    p_lang text,
    p_subject text,
    p_queue_id text,            -- the message row
    p_recipients text[],
    p_body text,
    p_size bigint,
    p_file_names text[],        -- its attachments' names, types and sizes, for the message's list
    p_file_types text[],
    p_file_sizes bigint[],
    p_env_from text,            -- the acknowledgement's envelope sender and References
    p_refs text[],
    OUT kind text, OUT ticket bigint, OUT message_row bigint, OUT ack text, OUT team text, OUT assignee text,
    OUT watchers text, OUT opened boolean, OUT follows bigint, OUT overflowed text)
-- Its statements (and the foreign-key checks they fire) each keep one plan per session, made at its first run
-- (force_generic_plan): each is a lookup or insert by key whose plan does not depend on the values, while the
-- milter's sessions otherwise plan every statement for its values (plan_cache_mode = force_custom_plan,
-- src/db/db.c), which here would cost more than the work itself.  (With auto, PostgreSQL went on planning the
-- acknowledgement limit's count for its values, 0.3 ms a time, because its generic estimate looked dearer.)
-- A plan kept outlives the table sizes it was made for: one made while a table was nearly empty (a new
-- installation, before autovacuum's first ANALYZE) would read the whole table, and go on reading it as the
-- table grew; enable_seqscan = off prices that out wherever an index can serve.
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
DECLARE
    v_status text;
    v_joins boolean;
    v_note text := '';
    v_clocks bigint[];
    v_detail text;
BEGIN
    PERFORM set_config('supportgate.now', to_timestamp(p_clock)::text, true);
    follows := 0;
    -- Two deliveries of one mail take turns here; the second then finds the first one's row (each statement of
    -- a function reads what committed before it began).
    PERFORM pg_advisory_xact_lock(hashtext('sg-mail:' || p_key));
    ticket := sg_recorded_ticket(p_key);
    IF ticket IS NOT NULL THEN
        kind := 'duplicate';
        SELECT t.team, coalesce(t.assignee, ''), array_to_string(t.watchers, ' '),
               coalesce((SELECT m.message_id FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'customer'
                         ORDER BY m.id LIMIT 1) = p_key, false)
          INTO team, assignee, watchers, opened FROM tickets t WHERE t.id = ticket;
        RETURN;
    END IF;

    -- A tag threads only for someone who belongs on the ticket: the requester, a kept Cc, or whoever answers
    -- a Message-ID we sent on it.  A closed ticket takes the mail within reopen_window of its closing; later
    -- the mail opens a new ticket, linked to it.
    ticket := 0;
    IF p_tagged > 0 THEN
        p_tagged := sg_current_ticket(p_tagged);
        SELECT t.status <> 'closed' OR (t.merged_into IS NULL AND p_reopen_window > 0
                 AND t.closed_at > sg_now() - make_interval(secs => p_reopen_window))
          INTO v_joins FROM tickets t WHERE t.id = p_tagged AND (lower(t.requester) = ANY (p_senders)
                 OR t.cc && p_senders OR EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id
                 AND m.direction = 'out' AND m.message_id = ANY (p_signed)));
        IF v_joins THEN
            ticket := p_tagged;
        ELSIF FOUND THEN
            follows := p_tagged;
            v_note := format('; follows up ticket #%s, closed longer than reopen_window ago: linked', p_tagged);
        ELSE
            v_note := format('; mentions ticket #%s, not joined (sender not on that ticket)', p_tagged);
        END IF;
    END IF;
    IF ticket = 0 AND cardinality(p_parents) > 0 THEN
        ticket := sg_ticket_by_reference(p_parents, p_signed);
    END IF;

    IF ticket > 0 THEN
        kind := 'threaded';
        opened := false;
        -- A customer's reply brings a resolved ticket back to work, and one pending on them back to us; an
        -- automatic mail is kept but moves nothing.
        SELECT t.status INTO v_status FROM tickets t WHERE t.id = ticket FOR UPDATE;
        UPDATE tickets t SET updated_at = sg_now(),
            status = CASE WHEN p_machine IS NULL AND v_status IN ('resolved', 'pending', 'closed') THEN 'open'
                          ELSE v_status END,
            resolved_at = CASE WHEN p_machine IS NULL AND v_status IN ('resolved', 'closed') THEN NULL
                               ELSE t.resolved_at END,
            closed_at = CASE WHEN p_machine IS NULL THEN NULL ELSE t.closed_at END
         WHERE t.id = ticket;
        IF p_machine IS NOT NULL THEN
            INSERT INTO events (ticket_id, type, detail)
            VALUES (ticket, 'replied', format('automatic mail recorded (%s); status stays %s', p_machine, v_status));
        ELSE
            INSERT INTO events (ticket_id, type, detail)
            SELECT ticket, 'status', d FROM (VALUES
                (CASE v_status WHEN 'resolved' THEN 'resolved -> open: customer replied'
                               WHEN 'pending' THEN 'pending -> open: customer replied'
                               WHEN 'closed' THEN 'closed -> open: customer replied within reopen_window' END)) s (d)
             WHERE d IS NOT NULL;
            INSERT INTO events (ticket_id, type, detail) VALUES (ticket, 'replied', 'customer replied');
        END IF;
    ELSE
        kind := 'new';
        opened := true;
        -- An acknowledgement: RFC 3834 first, then the per-recipient hourly limit, counted under a lock on the
        -- recipient so that two mails from one sender cannot both slip under it.
        ack := p_machine;
        IF ack IS NULL THEN
            PERFORM pg_advisory_xact_lock(hashtext('sg-ack:' || p_senders[2]));
            IF (SELECT count(*) >= p_ack_limit FROM outbox o WHERE o.kind = 'ack' AND o.rcpt = p_senders[2]
                  AND o.created_at > sg_now() - interval '1 hour') THEN
                ack := 'rate-limit';
            END IF;
        END IF;
        -- While the first line is overloaded (backlog.c keeps the episode) a standard request goes to the
        -- overflow team.
        IF p_spill_team IS NOT NULL AND EXISTS (SELECT 1 FROM overload_episodes WHERE ended_at IS NULL) THEN
            overflowed := p_spill_team;
            p_team := p_spill_team;
            p_level := p_spill_level;
            v_clocks := p_spill_clocks;
        ELSE
            v_clocks := p_clocks;
        END IF;
        INSERT INTO tickets (channel, requester, requester_name, cc, lang, subject, due_ack, due_first_response,
                             team, level, category, warn_first_response, due_update, due_resolution, warn_update,
                             warn_resolution, update_since, hold_due)
        VALUES (p_channel, p_sender, p_sender_name, p_cc, p_lang, p_subject,
                CASE WHEN ack IS NULL THEN sg_now() + make_interval(secs => p_ack_target) END,
                sg_now() + make_interval(secs => p_first_response),
                p_team, p_level, p_category,
                CASE WHEN p_warn_at > 0 THEN sg_now() + make_interval(secs => p_first_response * p_warn_at / 100.0) END,
                to_timestamp(nullif(v_clocks[1], 0)), to_timestamp(nullif(v_clocks[2], 0)),
                to_timestamp(nullif(v_clocks[3], 0)), to_timestamp(nullif(v_clocks[4], 0)),
                to_timestamp(nullif(v_clocks[5], 0)), to_timestamp(nullif(v_clocks[6], 0)))
        RETURNING id INTO ticket;
        v_detail := format('%s via %s from %s; %s%s', p_channel, p_intake, p_sender,
                           CASE WHEN ack IS NULL THEN 'acknowledgement queued' ELSE 'no acknowledgement: ' || ack END,
                           v_note);
        INSERT INTO events (ticket_id, type, detail) VALUES (ticket, 'created', v_detail);
        IF follows > 0 THEN
            INSERT INTO ticket_links (ticket_id, other_id, type) VALUES (ticket, follows, 'reopened_from');
            INSERT INTO events (ticket_id, type, detail) VALUES
                (ticket, 'linked', format('linked with #%s: the customer wrote again after it was closed', follows)),
                (follows, 'linked', format('linked with #%s: the customer wrote again after it was closed', ticket));
        END IF;
        IF overflowed IS NOT NULL THEN
            INSERT INTO events (ticket_id, type, detail) VALUES (ticket, 'escalated',
                format('to %s: the first line is overloaded, new standard tickets go to the overflow team', overflowed));
        END IF;
    END IF;

    INSERT INTO messages (ticket_id, direction, kind, message_id, queue_id, sender, sender_name, recipients,
                          subject, body, size, attachments, auto_verdict)
    VALUES (ticket, 'in', 'customer', p_key, p_queue_id, p_sender, p_sender_name, p_recipients, p_subject, p_body,
            p_size, (SELECT coalesce(jsonb_agg(jsonb_build_object('filename', f, 'content_type', ct, 'size', s)), '[]')
                       FROM unnest(p_file_names, p_file_types, p_file_sizes) AS a (f, ct, s)),
            CASE WHEN kind = 'new' THEN ack END)
    ON CONFLICT (message_id) DO NOTHING RETURNING id INTO message_row;
    IF message_row IS NULL THEN
        RAISE EXCEPTION 'mail % was recorded meanwhile', p_key USING ERRCODE = 'SGDUP';
    END IF;

    IF kind = 'new' AND ack IS NULL THEN
        INSERT INTO outbox (ticket_id, kind, env_from, rcpt, refs) VALUES (ticket, 'ack', p_env_from, p_senders[2], p_refs);
        PERFORM pg_notify('supportgate_outbox', '');
    END IF;
    SELECT t.team, coalesce(t.assignee, ''), array_to_string(t.watchers, ' ')
      INTO team, assignee, watchers FROM tickets t WHERE t.id = ticket;
END
$$;
