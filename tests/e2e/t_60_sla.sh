# t_60_sla.sh - SLA clocks in the teams' hours: breaches recorded once, leads told on shift, managers at once.

run=$RANDOM$RANDOM
# new_ticket FROM SUBJECT - a customer's request; prints its ticket id once recorded.
new_ticket() { local t; read -r t _ < <(open_ticket "$1" "$2" "Hello."); echo "$t"; }
# When the outbox copy for RCPT of the notice on TICKET whose subject contains WHAT may leave (Unix time, in
# whole seconds down, to compare with date +%s).
notice_at() { # TICKET RCPT WHAT
    sb_sql "select floor(extract(epoch from next_attempt_at))::bigint from outbox where ticket_id = $1 and kind = 'internal'
        and rcpt = '$2' and message_row in (select id from messages where subject like '%$3%')"
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

t_case "a team off shift hears on its next shift; the first line and managers at once"
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
t_assert_true [ "$(notice_at "$t" support-team@introserv.com 'SLA breach: first_response')" -le "$(date +%s)" ] \
    "the first response is a 24/7 promise: the first line, on shift, is told at once"
t_end

t_case "a first response due while the owning team is off shift: the first line is warned and told at once"
t=$(new_ticket "c4.$run@example.net" "Refund for invoice 7781")
t_assert_eq "billing" "$(sb_sql "select team from tickets where id = $t")" "classified straight to billing"
wait_mail "c4.$run@example.net" 1 >/dev/null
S=$(TZ=Europe/Amsterdam date -d 'next saturday 12:00' +%s)
mon=$(TZ=Europe/Amsterdam date -d "$(date -d "$(TZ=Europe/Amsterdam date -d "@$S" +%F) + 2 days" +%F) 09:00" +%s)
# As if the mail had come on Saturday at 12:00: every clock of the ticket moves by the same amount.
d=$((S - $(sb_sql "select extract(epoch from created_at)::bigint from tickets where id = $t")))
sb_sql "update tickets set created_at = created_at + make_interval(secs => $d), acked_at = acked_at + make_interval(secs => $d),
    due_ack = due_ack + make_interval(secs => $d), due_first_response = due_first_response + make_interval(secs => $d),
    warn_first_response = warn_first_response + make_interval(secs => $d), due_update = due_update + make_interval(secs => $d),
    warn_update = warn_update + make_interval(secs => $d), due_resolution = due_resolution + make_interval(secs => $d),
    warn_resolution = warn_resolution + make_interval(secs => $d) where id = $t" >/dev/null
pass_at $((S + 510))
t_assert_eq 1 "$(sb_sql "select count(*) from warnings where ticket_id = $t and sla = 'first_response'")" \
    "warned at 80 % of the 10 minutes, on Saturday"
t_assert_true [ "$(notice_at "$t" support-team@introserv.com 'SLA warning: first_response')" -le "$(date +%s)" ] \
    "the first line's warning leaves at once, before the deadline"
t_assert_eq "$mon" "$(notice_at "$t" billing@introserv.com 'SLA warning: first_response')" \
    "billing keeps its copy for Monday 09:00 Europe/Amsterdam"
t_assert_match "close to its first_response deadline" "$(cat "$(mail_matching support-team@introserv.com "#$t\\] SLA warning: first_response")" 2>/dev/null)" \
    "the first line's mailbox gets the warning"
pass_at $((S + 630))
t_assert_true [ "$(notice_at "$t" support-team@introserv.com 'SLA breach: first_response')" -le "$(date +%s)" ] \
    "at the breach the first line is told at once"
t_assert_eq "$mon" "$(notice_at "$t" "blead.$run@introserv.com" 'SLA breach: first_response')" \
    "the billing lead hears on Monday 09:00"
t_assert_match "billing off shift, so also support-team@introserv.com" \
    "$(sb_sql "select string_agg(detail, ' | ') from events where ticket_id = $t and type = 'notified'")" \
    "the history says who stood in"
sb_sql "update tickets set status = 'closed' where id = $t" >/dev/null
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

# The digests below run at times no earlier pass reached: two whole hours after every digest, breach and now.
fresh_hour() {
    local t
    t=$(sb_sql "select extract(epoch from greatest(now(), (select max(period_end) from digests),
        (select max(at) from breaches)))::bigint")
    echo $(( (t / 3600 + 2) * 3600 ))
}
# A ticket of TEAM, acknowledged, whose first response was due at DUE (Unix time) and never came; prints its id.
late_ticket() { # TEAM DUE SUBJECT
    sb_sql "insert into tickets (status, channel, team, requester, subject, created_at, acked_at, due_ack, due_first_response)
        values ('open', 'email', '$1', 'late.$run@example.net', '$3', to_timestamp($2 - 600), to_timestamp($2 - 590),
        to_timestamp($2 - 480), to_timestamp($2)) returning id"
}
# The tickets of the breaches the digest of SCHEDULE ending at END took, in order.
digest_tickets() { # SCHEDULE END
    sb_sql "select string_agg(b.ticket_id::text, ' ' order by b.ticket_id) from digest_breaches d
        join breaches b on b.id = d.breach_id where d.schedule = '$1' and d.period_end = to_timestamp($2)"
}
digest_count() { # SCHEDULE END
    sb_sql "select breaches from digests where schedule = '$1' and period_end = to_timestamp($2)"
}
# The manager's copy of the hourly digest for the period FROM..TO with N breaches (the line that opens it).
hourly_mail() { # FROM TO N PREVIOUS
    mail_matching "boss.$run@introserv.com" "^SLA breaches from $(kyiv "$1") to $(kyiv "$2") \(Europe/Kyiv\): $3 \(previous period: $4\)"
}

t_case "an hourly digest holds the breaches it took: attainment, ticket ids with owner, status and lateness, text and HTML"
# Open tickets of the cases above would breach as the clock jumps: close them; the first two passes take
# whatever earlier passes left, so that the hours after are this case's alone.
sb_sql "update tickets set status = 'closed' where status <> 'closed'" >/dev/null
H=$(fresh_hour)
pass_at $((H + 60))
pass_at $((H + 3600 + 60))
H1=$((H + 3600)) H2=$((H + 7200)) H3=$((H + 10800)) H4=$((H + 14400))
t1=$(late_ticket support $((H1 + 300)) "Digest one $run")
t2=$(late_ticket support $((H1 + 900)) "Digest two $run")
t3=$(late_ticket support $((H1 + 1500)) "Digest three $run")
pass_at $((H1 + 1800))
sb_sql "update tickets set status = 'closed' where id in ($t1, $t2, $t3)" >/dev/null
prev=$(digest_count hourly "$H1")
pass_at $((H2 + 60))
t_assert_eq 3 "$(digest_count hourly "$H2")" "the digest for the hour took three breaches"
t_assert_eq "$t1 $t2 $t3" "$(digest_tickets hourly "$H2")" "exactly the three breaches of that hour"
d=$(hourly_mail "$H1" "$H2" 3 "$prev")
t_assert_match "SLA digest [(]hourly[)]: 3 breach" "$(hdr "$d" Subject)" "the manager gets it"
t_assert_match "multipart/alternative" "$(hdr "$d" Content-Type)" "text and HTML"
body=$(mail_part "$d" plain) html=$(mail_part "$d" html)
t_assert_match $'\n  ack +2 +0 +100\\.0% +unchanged at 100\\.0%\n  first_response +0 +3 +0\\.0% +no previous figure\n' "$body" \
    "attainment: two acknowledgements due in the hour met (the first fell due in the hour before, also met), three first responses breached"
t_assert_match "\[INTROSERV #$t1\] +first_response +support engineers +closed +55 min +Digest one $run.*#$t2\] +first_response +support engineers +closed +45 min.*#$t3\] +first_response +support engineers +closed +35 min" \
    "$body" "the worst tickets with their ids, owner, status and how late, worst first"
t_assert_match "<td[^>]*>first_response</td>"$'\n'"<td[^>]*>0</td>"$'\n'"<td[^>]*>3</td>"$'\n'"<td[^>]*>0\\.0%</td>" "$html" \
    "the HTML part has the attainment too"
t_assert_match "\[INTROSERV #$t1\]</td>.*55 min</td>"$'\n'"<td[^>]*>Digest one $run</td>" "$html" "and lists the worst tickets"
t_assert_no_match "No SLA breaches" "$body" "no all-clear line"
t_end

t_case "a breach stamped just before a period's end but committed after its digest goes to the next digest"
t4=$(late_ticket support $((H2 - 120)) "Digest four $run")
pass_at $((H2 - 1))   # as a pass that began at H2 - 1 s and committed after the digest for H2 was made
t_assert_eq $((H2 - 1)) "$(sb_sql "select extract(epoch from at)::bigint from breaches where ticket_id = $t4")" \
    "the breach is stamped inside the hour already reported"
sb_sql "update tickets set status = 'closed' where id = $t4" >/dev/null
pass_at $((H3 + 60))
t_assert_eq "$t4" "$(digest_tickets hourly "$H3")" "the next digest takes it"
t_assert_eq "$t1 $t2 $t3" "$(digest_tickets hourly "$H2")" "the one before keeps what it had"
body=$(mail_part "$(hourly_mail "$H2" "$H3" 1 3)" plain)
t_assert_match "#$t4\] +first_response +support engineers +closed +1 h 2 min" "$body" \
    "the late breach is in the digest, in hours and minutes, the period against the previous one (3)"
t_end

t_case "an hour without breaches: one clear line, and the count of the hour before"
pass_at $((H4 + 60))
t_assert_eq 0 "$(digest_count hourly "$H4")" "nothing taken"
d=$(hourly_mail "$H3" "$H4" 0 1)
body=$(mail_part "$d" plain)
t_assert_match $'\n\nNo SLA breaches in this period.\n' "$body" "one clear line"
t_assert_no_match "Worst tickets" "$body" "and nothing else about breaches"
t_assert_match ">No SLA breaches in this period.</td>" "$(mail_part "$d" html)" "in the HTML part too"
t_assert_eq 0 "$(breaches_not_once hourly "$H" "$H4")" \
    "every breach of these hours is in exactly one hourly digest"
t_end

t_case "schedulers running the digests at once, at different times: one digest per period, each breach in one"
K=$(fresh_hour)
pass_at $((K + 60))
t5=$(late_ticket support $((K + 300)) "Digest five $run")
t6=$(late_ticket billing $((K + 600)) "Digest six $run")
pass_at $((K + 1800))
sb_sql "update tickets set status = 'closed' where id in ($t5, $t6)" >/dev/null
pass_at $((K + 3600 + 60)) & pass_at $((K + 7200 + 60)) & pass_at $((K + 7200 + 60))
wait
t_assert_eq 0 "$(sb_sql "select count(*) from digests a join digests b on b.schedule = a.schedule
    and a.period_end < b.period_end and b.period_start < a.period_end where a.period_end > to_timestamp($K)")" \
    "no two digests of a schedule cover the same time"
t_assert_eq "hourly $t5 1|hourly $t6 1" "$(sb_sql "select string_agg(x, '|' order by x) from (select d.schedule || ' ' || b.ticket_id
    || ' ' || count(*) as x from breaches b join digest_breaches d on d.breach_id = b.id where b.ticket_id in ($t5, $t6)
    and d.schedule = 'hourly' group by d.schedule, b.ticket_id) y")" "each breach is in one hourly digest"
mail_matching "boss.$run@introserv.com" "#$t6\] first_response" >/dev/null
sleep 1
t_assert_eq 1 "$(sb mail "boss.$run@introserv.com" | xargs grep -l "^Subject: SLA digest (hourly)" | xargs grep -l "#$t5\]" | grep -c .)" \
    "the manager reads of it in one hourly digest"
t_end

t_case "breach_notice_managers = no: the lead is told at once, managers only through the digests"
conf=$SUPPORTGATE_SANDBOX/supportgate.conf
cp -p "$conf" "$conf.t60"
echo "breach_notice_managers = no" >> "$conf"
t_assert_true sb_reload scheduler "the scheduler reloads"
K=$(fresh_hour)
t7=$(late_ticket support $((K + 300)) "Quiet breach $run")
pass_at $((K + 600))
t_assert_eq 1 "$(sb_sql "select count(*) from breaches where ticket_id = $t7")" "the breach is recorded"
t_assert_true [ "$(notice_at "$t7" "lead.$run@introserv.com" 'SLA breach: first_response')" -le "$(date +%s)" ] "the lead is told"
t_assert_eq "" "$(notice_at "$t7" "boss.$run@introserv.com" 'SLA breach')" "no manager is told of it"
sb_sql "update tickets set status = 'closed' where id = $t7" >/dev/null
pass_at $((K + 3600 + 60))
t_assert_eq "$t7" "$(digest_tickets hourly $((K + 3600)))" "the digest reports it"
cp -p "$conf.t60" "$conf" && rm -f "$conf.t60"
t_assert_true sb_reload scheduler "the scheduler reloads the restored file"
t_end

t_case "staff_language = uk: breach notices and digests to staff are in Ukrainian"
cp -p "$conf" "$conf.t60"
echo "staff_language = uk" >> "$conf"
# The daemon too: else its pass may send the notice of the breach the pass below records, in English.
t_assert_true sb_reload scheduler "the scheduler reloads with staff_language = uk"
K=$(fresh_hour)
t8=$(late_ticket support $((K + 300)) "Мова $run")
pass_at $((K + 600))
t_assert_true [ -n "$(notice_at "$t8" "lead.$run@introserv.com" 'Порушення SLA: first_response')" ] \
    "the lead's breach notice has a Ukrainian subject"
body=$(sb_sql "select m.body from messages m join outbox o on o.message_row = m.id where o.ticket_id = $t8
    and o.rcpt = 'lead.$run@introserv.com' limit 1")
t_assert_match "не вклалася в термін first_response" "$body" "and a Ukrainian text"
t_assert_match "клієнт: +late.$run@example.net" "$body" "with its fields named in Ukrainian"
sb_sql "update tickets set status = 'closed' where id = $t8" >/dev/null
pass_at $((K + 3600 + 60))
# The manager's digest with this ticket, its subject and text/plain part decoded (the mail is 7-bit MIME).
decoded() { # FILE
    perl -MEncode -MMIME::Base64 -MMIME::QuotedPrint -0777 -ne '
        my ($h, $b) = split /\r?\n\r?\n/, $_, 2;
        $h =~ s/\r?\n[ \t]+/ /g;
        my ($subject) = $h =~ /^Subject:\s*(.*)$/mi;
        print "Subject: ", encode("UTF-8", decode("MIME-Header", $subject)), "\n";
        my ($boundary) = $h =~ /boundary="?([^";\s]+)"?/i;
        for my $part ($boundary ? split(/--\Q$boundary\E/, $b) : ("$h\n\n$b")) {
            my ($ph, $pb) = split /\r?\n\r?\n/, $part, 2;
            next unless defined $pb && $ph =~ m{text/plain}i;
            my ($cte) = $ph =~ /^Content-Transfer-Encoding:\s*(\S+)/mi;
            $pb =~ s/\r\n/\n/g;
            print lc($cte // "") eq "base64" ? decode_base64($pb)
                : lc($cte // "") eq "quoted-printable" ? decode_qp($pb) : $pb;
        }' "$1"
}
d=""
for _ in $(seq 1 75); do
    for f in $(sb mail "boss.$run@introserv.com" | tac); do
        decoded "$f" | grep -q "#$t8\\].* хв " && { d=$f; break; }
    done
    [ -n "$d" ] && break
    sleep 0.2
done
body=$( [ -n "$d" ] && decoded "$d")
t_assert_match "Subject: Зведення SLA [(]hourly[)]: порушень 1" "$body" "the digest's subject is Ukrainian"
t_assert_match "Порушення SLA з .*: 1 [(]попередній період: " "$body" "so is its first line"
t_assert_match "#$t8\\] +first_response +інженери підтримки +closed +55 хв +Мова $run" "$body" "and its worst-tickets line"
cp -p "$conf.t60" "$conf" && rm -f "$conf.t60"
sb_reload scheduler >/dev/null
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
