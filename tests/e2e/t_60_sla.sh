# t_60_sla.sh - SLA clocks in the teams' hours: breaches recorded once, leads told on shift, managers at once.

run=$RANDOM$RANDOM
new_ticket() { # FROM SUBJECT -> ticket id
    local mid; mid=$(uniq_id)
    sb send "$(mkmail <<EOF2
From: <$1>
To: support@introserv.com
Subject: $2
Message-ID: <$mid>

Hello.
EOF2
)" >/dev/null
    wait_sql "select ticket_id from messages where message_id = '$mid'" '' 15
}

sb cli manager add "boss.$run@introserv.com" --name "Duty Manager" >/dev/null
sb cli agent add "lead.$run@introserv.com" --name "Lead" --team support --lead >/dev/null
sb cli agent add "blead.$run@introserv.com" --name "Billing Lead" --team billing --lead >/dev/null

t_case "a missed first response is a breach, recorded once, and the lead and managers are told"
t=$(new_ticket "c1.$run@example.net" "Server unreachable")
wait_mail "c1.$run@example.net" 1 >/dev/null   # acknowledged on time, so only the first response is late
later=$(date -d '+11 minutes' --iso-8601=seconds)
sb scheduler --once --now "$later" >/dev/null 2>&1 &
sb scheduler --once --now "$later" >/dev/null 2>&1
wait
t_assert_eq 1 "$(sb_sql "select count(*) from breaches where ticket_id = $t and sla = 'first_response'")" \
    "one breach although two schedulers ran"
lead_mail=$(wait_mail "lead.$run@introserv.com" 1 | while read -r p; do grep -l "#$t\\] SLA breach: first_response" "$p"; done | head -1)
t_assert_match "SLA breach: first_response" "$(hdr "$lead_mail" Subject)" "the team lead is told"
boss_mail=$(wait_mail "boss.$run@introserv.com" 1 | while read -r p; do grep -l "#$t\\] SLA breach: first_response" "$p"; done | head -1)
t_assert_match "missed its first_response target" "$(cat "$boss_mail")" "the manager is told"
t_assert_eq "auto-generated" "$(hdr "$boss_mail" Auto-Submitted)" "notices are marked automatic"
sleep 1
t_assert_eq 1 "$(sb mail "boss.$run@introserv.com" | xargs grep -l "#$t\\] SLA breach: first_response" | grep -c .)" \
    "told once"
t_assert_match "first_response breach reported to lead" "$(sb cli ticket show "$t" --json | jq -r '.events[].detail')" \
    "the history records who was told"
t_end

t_case "a team off shift hears on its next shift; managers at once"
t=$(new_ticket "c2.$run@example.net" "Invoice paid twice")
t_assert_eq "billing" "$(sb_sql "select team from tickets where id = $t")" "classified to billing"
saturday=$(date -d 'next saturday 12:00 CET' --iso-8601=seconds)
sb scheduler --once --now "$saturday" >/dev/null 2>&1
t_assert_eq 1 "$(sb_sql "select count(*) from breaches where ticket_id = $t and sla = 'first_response'")" "breach recorded"
monday=$(date -d "$(date -d 'next saturday' +%F) + 2 days 09:00 CET" +%s)
t_assert_eq "$monday" "$(sb_sql "select extract(epoch from next_attempt_at)::bigint from outbox o where ticket_id = $t and kind = 'internal' and rcpt = 'blead.$run@introserv.com' and message_row in (select id from messages where subject like '%SLA breach: first_response%')")" \
    "the billing lead's notice waits for Monday 09:00 CET"
t_assert_eq 1 "$(sb_sql "select count(*) from outbox where ticket_id = $t and kind = 'internal' and rcpt = 'boss.$run@introserv.com' and next_attempt_at <= now() and message_row in (select id from messages where subject like '%SLA breach: first_response%')")" \
    "the manager's notice leaves at once"
t_end

t_case "deadlines follow the team's calendar: a simple billing request is due within billing hours"
due=$(sb_sql "select extract(epoch from due_resolution)::bigint - extract(epoch from created_at)::bigint from tickets where id = $t")
t_assert_true [ "$due" -ge 1800 ] "at least the 30 minutes of the simple target"
t_assert_match '^[0-9]+$' "$(sb_sql "select extract(epoch from due_update)::bigint from tickets where id = $t")" \
    "an update deadline is set"
t_end

t_case "a warning goes to the team at 80 % of the first-response time, once, before any breach"
t=$(new_ticket "c3.$run@example.net" "Mail bounces")
wait_mail "c3.$run@example.net" 1 >/dev/null
nine=$(date -d '+9 minutes' --iso-8601=seconds)
sb scheduler --once --now "$nine" >/dev/null 2>&1
sb scheduler --once --now "$nine" >/dev/null 2>&1
t_assert_eq 1 "$(sb_sql "select count(*) from warnings where ticket_id = $t and sla = 'first_response'")" "warned once"
t_assert_eq 0 "$(sb_sql "select count(*) from breaches where ticket_id = $t")" "no breach yet"
w=""
for _ in $(seq 1 50); do
    w=$(sb mail support-team@introserv.com | xargs grep -l "#$t\\] SLA warning: first_response" 2>/dev/null | head -1)
    [ -n "$w" ] && break
    sleep 0.2
done
t_assert_match "close to its first_response deadline" "$(cat "$w" 2>/dev/null)" "the team mailbox is warned"
t_end

t_case "hourly digests reach every manager, each breach in exactly one digest, one clear line when none"
# Digests only move forward: start after the last one any earlier pass (here or in other files) made.
base=$(sb_sql "select extract(epoch from greatest(coalesce(max(period_end), now()), now()))::bigint from digests where schedule = 'hourly'")
for h in 1 2 3; do
    sb scheduler --once --now "$(date -d "@$((base + h * 3600 + 60))" --iso-8601=seconds)" >/dev/null 2>&1
done
t_assert_eq "0" "$(sb_sql "select count(*) from (select b.id from breaches b join digests d on d.schedule = 'hourly'
    and b.at >= d.period_start and b.at < d.period_end group by b.id having count(*) <> 1) x")" \
    "no breach is in two hourly digests"
t_assert_eq "0" "$(sb_sql "select count(*) from breaches b where b.at < (select max(period_end) from digests
    where schedule = 'hourly') and b.at >= (select min(period_start) from digests where schedule = 'hourly')
    and not exists (select 1 from digests d where d.schedule = 'hourly' and b.at >= d.period_start and b.at < d.period_end)")" \
    "no breach falls between two digests"
latest=$(sb_sql "select breaches from digests where schedule = 'hourly' order by period_end desc limit 1")
d=""
for _ in $(seq 1 50); do
    d=$(sb mail "boss.$run@introserv.com" | xargs grep -l "^Subject: SLA digest (hourly): $latest breach" 2>/dev/null | tail -1)
    [ -n "$d" ] && break
    sleep 0.2
done
t_assert_match "SLA digest [(]hourly[)]: $latest breach" "$(hdr "$d" Subject)" "the latest digest reached the manager"
t_assert_match "multipart/alternative" "$(hdr "$d" Content-Type)" "text and HTML"
if [ "$latest" = 0 ]; then
    t_assert_match "No SLA breaches in this period" "$(cat "$d")" "one clear line when there were none"
else
    t_assert_match "Worst tickets" "$(cat "$d")" "the worst tickets are listed"
fi
t_assert_match "previous period" "$(cat "$d")" "the period is compared with the previous one"
t_end

t_case "pending on the customer stops the update and resolution clocks; the customer's reply reopens the ticket"
c=c5.$run@example.net
t=$(new_ticket "$c" "Backups fail")
wait_mail "$c" 1 >/dev/null
agent_mail "lead.$run@introserv.com" "$t" >/dev/null <<<$'#status pending\n\nWhich backup job is it, and since when does it fail?'
wait_mail "$c" 2 >/dev/null
t_assert_eq pending "$(wait_sql "select status from tickets where id = $t" pending)" "the agent set it pending"
# As if the ticket had come 3 h ago and waited on the customer for the last 2 h 50 min: its standard 2 h
# resolution and its 2 h update interval would both be long gone if that wait counted.
sb_sql "update tickets set created_at = created_at - interval '3 hours',
        pending_since = pending_since - interval '2 hours 50 minutes' where id = $t;
    update messages set at = at - interval '2 hours 50 minutes' where ticket_id = $t" >/dev/null
# The customer's mail system answers first, by itself: that is not the customer answering.
ooo=$(uniq_id)
sb send "$(mkmail <<EOF2
From: <$c>
To: support@introserv.com
Subject: Automatic reply: [INTROSERV #$t] Backups fail
Auto-Submitted: auto-replied
Message-ID: <$ooo>

I am out of the office until Monday.
EOF2
)" >/dev/null
t_assert_eq "$t" "$(wait_sql "select ticket_id from messages where message_id = '$ooo'" "$t")" \
    "the out-of-office is kept on the ticket"
t_assert_eq pending "$(sb_sql "select status from tickets where id = $t")" "an out-of-office leaves it pending"
t_assert_eq 1 "$(sb_sql "select count(*) from events where ticket_id = $t and type = 'replied'
    and detail like 'automatic mail recorded (auto-submitted)%'")" "the history says the automatic mail changed nothing"
sb send "$(mkmail <<EOF2
From: <$c>
To: support@introserv.com
Subject: Re: [INTROSERV #$t] Backups fail
Message-ID: <$(uniq_id)>

The nightly one, since Sunday.
EOF2
)" >/dev/null
t_assert_eq open "$(wait_sql "select status from tickets where id = $t" open)" "the customer's reply sets it back to open"
t_assert_eq 1 "$(sb_sql "select count(*) from events where ticket_id = $t and type = 'status'
    and detail = 'pending -> open: customer replied'")" "the history records the change"
paused=$(sb_sql "select paused_seconds from tickets where id = $t")
t_assert_true [ "$paused" -ge 10200 -a "$paused" -lt 10320 ] "the 2 h 50 min pending are kept ($paused s)"
left=$(sb_sql "select extract(epoch from due_resolution - now())::bigint from tickets where id = $t")
t_assert_true [ "$left" -gt 6480 -a "$left" -le 6600 ] "the resolution is due in the 1 h 50 min left ($left s)"
left=$(sb_sql "select extract(epoch from due_update - now())::bigint from tickets where id = $t")
t_assert_true [ "$left" -gt 7080 -a "$left" -le 7200 ] "the update clock restarts at the reply: 2 h ($left s)"
sb scheduler --once --now "$(date -d '+5 minutes' --iso-8601=seconds)" >/dev/null 2>&1
t_assert_eq 0 "$(sb_sql "select count(*) from breaches where ticket_id = $t and sla in ('update', 'resolution')")" \
    "no update or resolution breach for the time pending"
sb_sql "update tickets set status = 'closed' where id = $t" >/dev/null
t_end

t_case "a pass reads only the tickets with a clock due, not the 3000 already in breach"
# 3000 open tickets two days old: every clock ran out long ago and each breach is already on record.
sb_sql "insert into tickets (status, channel, requester, created_at, acked_at, due_ack, due_first_response,
        due_update, due_resolution)
    select 'open', 'email', 'bulk' || g || '.$run@example.net', now() - interval '2 days', now() - interval '2 days',
        now() - interval '2 days' + interval '2 minutes', now() - interval '2 days' + interval '10 minutes',
        now() - interval '2 days' + interval '2 hours', now() - interval '1 day'
    from generate_series(1, 3000) g" > /dev/null
sb_sql "insert into breaches (ticket_id, sla, due, at, notified_at)
    select t.id, s.sla, s.due, s.due, s.due from tickets t, lateral (values ('first_response', t.due_first_response),
        ('update', t.due_update), ('resolution', t.due_resolution)) s(sla, due)
    where t.requester like 'bulk%.$run@example.net'" > /dev/null
tickets_read() {
    sb_sql "select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) from pg_stat_user_tables where relname = 'tickets'"
}
sb scheduler --once > /dev/null 2>&1
t_assert_eq 9000 "$(sb_sql "select count(*) from breaches b join tickets t on t.id = b.ticket_id
    where t.requester like 'bulk%.$run@example.net'")" "the first pass looks at them once and records nothing twice"
t_assert_eq 0 "$(sb_sql "select count(*) from tickets where requester like 'bulk%.$run@example.net' and next_check <= now()")" \
    "afterwards none of them has a clock due"
sb_sql "analyze tickets" > /dev/null   # as autovacuum would after the pass changed that many rows
sleep 1   # the sessions above report what they read as they exit
before=$(tickets_read)
sb scheduler --once > /dev/null 2>&1
sleep 1
read_rows=$(( $(tickets_read) - before ))
echo "# the second pass read $read_rows ticket rows"
t_assert_true [ "$read_rows" -lt 300 ] "the next pass reads next to none of them (it read $read_rows rows, not thousands)"
sb_sql "update tickets set status = 'closed' where requester like 'bulk%.$run@example.net'" > /dev/null
t_end
