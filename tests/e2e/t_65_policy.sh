# t_65_policy.sh - the INTROSERV policy end to end: its three worked examples, escalations in the teams' hours.
#
# Mail arrives in real time; the scheduler runs with --once --now T to see the clocks at chosen moments
# (a Friday at 17:55 CET, a Saturday, the Friday before a change of clocks, the eve of a holiday).  Times of
# day are local to Europe/Amsterdam (the CET teams) and converted with the system's tz database by date(1),
# independently of the GLib calendar code under test.

run=$RANDOM$RANDOM
ams() { TZ=Europe/Amsterdam date -d "$1" +%s; }                     # local Amsterdam time -> Unix time
ams_day() { TZ=Europe/Amsterdam date -d "@$1" +%F; }                 # Unix time -> its Amsterdam date
epoch_of() { sb_sql "select extract(epoch from $1)::bigint from tickets where id = $2"; }  # COLUMN TICKET

# 10:00 CET on the first Tuesday after every digest and breach earlier files made: digests only move forward,
# so a breach recorded at an earlier simulated time would be in none.
tuesday_after_digests() {
    local base d
    base=$(sb_sql "select extract(epoch from greatest(now(), (select max(period_end) from digests),
        (select max(at) from breaches)))::bigint")
    d=$(ams_day "$base")
    for _ in 1 2 3 4 5 6 7; do
        d=$(date -d "$d + 1 day" +%F)
        [ "$(date -d "$d" +%u)" = 2 ] && break
    done
    ams "$d 10:00"
}


eng=eng.$run@introserv.com admin=admin.$run@introserv.com billing=bill.$run@introserv.com
sb cli agent add "$eng" --name "Iryna" --team support >/dev/null
sb cli agent add "$admin" --name "Taras" --team sysadmins >/dev/null
sb cli agent add "$billing" --name "Oksana" --team billing >/dev/null
# Open tickets of earlier files would all breach when the clock jumps ahead: close them so the passes below
# are about this file's tickets (those files have finished; their assertions are made).
sb_sql "update tickets set status = 'closed' where status <> 'closed'" >/dev/null

# example_ticket CUSTOMER SUBJECT TEXT "TEAM CATEGORY" MSG - the customer's request, its classification asserted and
# its acknowledgement arrived; the ticket in t, the request's Message-ID in cmid.
example_ticket() {
    read -r t cmid < <(open_ticket "$1" "$2" "$3")
    t_assert_eq "$4" "$(sb_sql "select team || ' ' || category from tickets where id = $t")" "$5"
    wait_mail "$1" 1 >/dev/null
}

t_case "policy example 1, 'Why was I charged twice?': acknowledged in 2 min, answered in 10, resolved in 30, no escalation"
c=ex1.$run@example.net
example_ticket "$c" "Why was I charged twice?" "My card was charged twice for invoice 2211." "billing simple" \
    "classified as a simple billing request"
agent_mail "$billing" "$t" >/dev/null <<'EOF2'
#status resolved

Hello, the second charge was a duplicate authorisation; your bank releases it within three days.
EOF2
wait_mail "$c" 2 >/dev/null
t_assert_eq "t t t" "$(sb_sql "select (acked_at - created_at <= interval '2 minutes')::text || ' ' ||
    (first_response_at - created_at <= interval '10 minutes')::text || ' ' ||
    (resolved_at - created_at <= interval '30 minutes')::text from tickets where id = $t" | sed 's/true/t/g')" \
    "acknowledged within 2 min, answered within 10 min, resolved within 30 min"
created=$(epoch_of created_at "$t")
pass_at $((created + 31 * 60))
t_assert_eq 0 "$(sb_sql "select count(*) from breaches where ticket_id = $t")" "no SLA missed"
t_assert_eq 0 "$(sb_sql "select count(*) from events where ticket_id = $t and type = 'escalated'")" "no escalation"
t_end

t_case "policy example 2, 'My VPS is slow': standard, due in 2 h; missed, the policy hands it to the system administrators"
c=ex2.$run@example.net
example_ticket "$c" "My VPS is slow" "Since this morning the VPS takes ages to load pages." "support standard" \
    "first line, standard"
agent_mail "$eng" "$t" >/dev/null <<EOF2
#assign $eng

Hello, which VPS is it, and since when exactly? Meanwhile we are running the basic checks.
EOF2
wait_mail "$c" 2 >/dev/null
created=$(epoch_of created_at "$t")
t_assert_eq $((created + 7200)) "$(epoch_of due_resolution "$t")" "resolution due 2 h after creation, 24/7"
T=$(tuesday_after_digests)   # the system administrators are at work (Mon-Fri 08-22 CET)
pass_at "$T"
t_assert_eq "sysadmins 3" "$(sb_sql "select team || ' ' || level from tickets where id = $t")" "now with the system administrators"
t_assert_eq "support -> sysadmins by the escalation policy: resolution target missed" \
    "$(sb_sql "select detail from events where ticket_id = $t and type = 'escalated'")" "the history says why, once"
t_assert_eq $((T + 7200)) "$(epoch_of due_resolution "$t")" "their own 2 h start at the escalation"
# The breach was the first line's: it stays theirs in the records, the report and the metrics after the escalation.
t_assert_eq "1 0" "$(sb_sql "select count(*) filter (where sla = 'resolution' and team = 'support') || ' ' ||
    count(*) filter (where team <> 'support') from breaches where ticket_id = $t")" \
    "the resolution breach is recorded under support, none under the system administrators"
# The report over the very moment of the ticket's creation shows it alone (example 1 may be a second older,
# and other tests date tickets ahead).
since=$(sb_sql "select created_at from tickets where id = $t")
until=$(sb_sql "select created_at + interval '1 millisecond' from tickets where id = $t")
rows() { sb cli sla report --since "$since" --until "$until" --json | jq -r '.rows[] | select(.sla == "resolution")
    | "\(.team) \(.tickets) \(.met) \(.breached)"' | paste -sd, -; }
t_assert_eq "support 1 0 1,sysadmins 1 0 0" "$(rows)" "sla report: the breach under support, the open clock under sysadmins"
t_assert_match 'supportgate_breaches_total\{sla="resolution",team="support"\} [1-9]' "$(sb cli metrics)" \
    "the metrics count it under support"
team_mail=$(mail_matching sysadmins@introserv.com "INTROSERV #$t\\]")
t_assert_match "takes ages to load" "$(cat "$team_mail" 2>/dev/null)" "the team's mailbox gets the ticket with its history"
notice=$(mail_matching "$c" "^Message-I[Dd]: <sg\\.escalate\\.$t\\.")
t_assert_eq "<$cmid>" "$(hdr "$notice" In-Reply-To)" "the customer's notice answers their request (same ticket)"
t_assert_eq "auto-generated" "$(hdr "$notice" Auto-Submitted)" "marked automatic (RFC 3834)"
t_assert_match "to our system administrators, who are best placed" "$(mail_text "$notice")" "the customer learns which team has it"
t_assert_match "by $(customer_time en $((T + 7200)) "$T") \\(Kyiv time\\) at the latest" "$(mail_text "$notice")" \
    "and by when to expect news, on their clock"
t_assert_no_match "next shift" "$(mail_text "$notice")" "no hours note while the team is at work"
t_assert_match "SLA breach: resolution" "$(hdr "$(mail_matching duty-manager@introserv.com "INTROSERV #$t\\] SLA breach: resolution")" Subject)" \
    "the duty manager is told at once"
# The update clock ran out in the same pass; the escalation notice is the customer's news, and the ticket is no
# longer the engineer's: nobody is reminded, the former assignee least of all.
t_assert_eq "0 $eng" "$(sb_sql "select count(*) from outbox where ticket_id = $t and convert_from(data, 'UTF8') ~ 'Update due'") $(sb cli ticket show "$t" --json | jq -r '.watchers | join(",")')" \
    "no \"update due\" after the escalation; the former assignee watches the ticket"
t_assert_match "update breach reported to .*; no update reminder: the customer has had news since" \
    "$(sb_sql "select string_agg(detail, ' | ') from events where ticket_id = $t and type = 'notified'")" \
    "the update breach is still reported to the team side"
agent_mail "$admin" "$t" >/dev/null <<'EOF2'
#status resolved

The VPS shared a host with a noisy neighbour; we moved it and page loads are back to normal.
EOF2
wait_mail "$c" 4 >/dev/null
sb cli manager add "digest.$run@introserv.com" --name "Digest Reader" >/dev/null
pass_at $((T + 3 * 3600))   # the hourly digests up to T + 3 h report the breaches of T
digest=$(mail_matching "digest.$run@introserv.com" "INTROSERV #$t\\] +resolution +system administrators")
body=$(mail_part "$digest" plain)
t_assert_match "INTROSERV #$t\\] +resolution +system administrators(, [^ ]+)? +(resolved|closed) +[0-9]+ (h|min)" "$body" \
    "the digest lists the breach with the team that owns the ticket now, its status and how late"
t_assert_match $'\n  support engineers +[0-9]+ +[1-9][0-9]* ' "$body" \
    "and counts it under support, whose clock it was"
# Three hours after T the ticket may also be closed already: it was resolved days before T (close_after).
t_assert_eq "done 1 1" "$(sb_sql "select (case when status in ('resolved', 'closed') then 'done' else status end) || ' ' || (select count(*) from breaches where ticket_id = $t and sla = 'resolution')
    || ' ' || (select count(*) from events where ticket_id = $t and type = 'escalated') from tickets where id = $t")" \
    "resolved by the specialists; one resolution breach, one escalation"
t_assert_eq "support 1 0 1,sysadmins 1 1 0" "$(rows)" "sla report: the system administrators met their own resolution clock"
t_end

t_case "policy example 3, a firewall rule set: complex, system administrators, due by the end of their next business day"
c=ex3.$run@example.net
read -r t _ < <(open_ticket "$c" "Firewall for my VPS" "Can you set up a firewall rule set for my VPS? Allow 22, 80 and 443.")
t_assert_eq "sysadmins complex 3" "$(sb_sql "select team || ' ' || category || ' ' || level from tickets where id = $t")" \
    "classified: complex, system administrators"
wait_mail "$c" 1 >/dev/null
created=$(epoch_of created_at "$t")
day=$(ams_day "$created")
while :; do
    day=$(date -d "$day + 1 day" +%F)
    [ "$(date -d "$day" +%u)" -le 5 ] && break
done
t_assert_eq "$(ams "$day 22:00")" "$(epoch_of due_resolution "$t")" "due at 22:00 CET on the next business day ($day)"
agent_mail "$eng" "$t" >/dev/null <<'EOF2'
Hello, is the VPS the one named web-01? Should SSH stay open to all addresses?
EOF2
wait_mail "$c" 2 >/dev/null
agent_mail "$admin" "$t" >/dev/null <<'EOF2'
#status resolved

Summary: the rule set is active on web-01 - SSH from your office network only, HTTP and HTTPS from anywhere,
everything else dropped.
EOF2
summary=$(wait_mail "$c" 3 | tail -1)
t_assert_match "Summary: the rule set is active" "$(cat "$summary")" "the customer gets a summary"
t_assert_eq "t" "$(sb_sql "select (first_response_at - created_at <= interval '10 minutes')::text from tickets where id = $t" | sed 's/true/t/')" \
    "first human response within 10 minutes"
pass_at $((created + 4 * 3600))
t_assert_eq 0 "$(sb_sql "select count(*) from breaches where ticket_id = $t")" "no SLA missed"
t_end

# A simple request the first line did not resolve in time goes to billing (the sandbox policy's last line).
simple_ticket() { # CUSTOMER -> ticket id
    local t
    read -r t _ < <(open_ticket "$1" "Cannot log in to the control panel" "The password reset mail never arrives.")
    agent_mail "$eng" "$t" >/dev/null <<<'#category simple'
    wait_sql "select 1 from tickets where id = $t and category = 'simple'" 1 15 >/dev/null
    echo "$t"
}
billing_outbox_at() { # TICKET -> when the billing mailbox's copy may leave (whole seconds, down, as date +%s counts)
    sb_sql "select floor(extract(epoch from next_attempt_at))::bigint from outbox where ticket_id = $1
        and rcpt = 'billing@introserv.com' order by id desc limit 1"
}

t_case "escalated to billing on Friday at 17:55 CET: the team hears at once, its 30 minutes run into Monday"
c=fri.$run@example.net
t=$(simple_ticket "$c")
T=$(ams 'next friday 17:55')
pass_at "$T" & pass_at "$T"   # two schedulers at once
wait
mon=$(date -d "$(ams_day "$T") + 3 days" +%F)
t_assert_eq billing "$(sb_sql "select team from tickets where id = $t")" "escalated to billing"
t_assert_eq "1 1" "$(sb_sql "select (select count(*) from events where ticket_id = $t and type = 'escalated') || ' ' ||
    (select count(*) from outbox where ticket_id = $t and rcpt = 'billing@introserv.com')")" \
    "escalated once, billing told once, although two schedulers ran"
t_assert_true [ "$(billing_outbox_at "$t")" -le "$(date +%s)" ] "billing's copy leaves at once (on shift until 18:00)"
t_assert_eq "$(ams "$mon 09:25")" "$(epoch_of due_resolution "$t")" "due Monday 09:25: 5 minutes on Friday, 25 on Monday"
t_assert_eq "$(ams "$mon 10:55")" "$(epoch_of due_update "$t")" "the next update is due 2 working hours later"
t_assert_eq "$(ams "$mon 09:19")" "$(epoch_of warn_resolution "$t")" "the warning falls at 80 % of the working time"
notice=$(mail_matching "$c" "^Message-I[Dd]: <sg\\.escalate\\.$t\\.")
t_assert_match "to our billing department" "$(mail_text "$notice")" "the customer learns which team has it"
t_assert_match "by $(customer_time en "$(ams "$mon 10:55")" "$T") \\(Kyiv time\\) at the latest" "$(mail_text "$notice")" \
    "the customer learns when to expect news"
pass_at "$(ams "$mon 09:18")"
t_assert_eq 0 "$(sb_sql "select count(*) from warnings where ticket_id = $t and sla = 'resolution'")" "no warning at 09:18"
pass_at "$(ams "$mon 09:20")"
t_assert_eq 1 "$(sb_sql "select count(*) from warnings where ticket_id = $t and sla = 'resolution'")" "warned at 09:20, once"
t_end

t_case "escalated to billing on Saturday: its mail waits for Monday 09:00, the customer learns the team's hours"
c=sat.$run@example.net
t=$(simple_ticket "$c")
T=$(ams 'next saturday 12:00')
pass_at "$T"
mon=$(date -d "$(ams_day "$T") + 2 days" +%F)
t_assert_eq billing "$(sb_sql "select team from tickets where id = $t")" "escalated to billing"
t_assert_eq "$(ams "$mon 09:00")" "$(billing_outbox_at "$t")" "billing's copy waits for Monday 09:00 CET"
t_assert_eq "$(ams "$mon 09:30")" "$(epoch_of due_resolution "$t")" "due Monday 09:30"
notice=$(mail_matching "$c" "^Message-I[Dd]: <sg\\.escalate\\.$t\\.")
t_assert_match "These specialists work Monday to Friday, 09:00–18:00 Central European Time \\(10:00–19:00 Kyiv time\\)\\." \
    "$(mail_text "$notice")" "the customer is told when billing works, in words, on billing's clock and theirs"
t_assert_no_match "Mon-Fri|Europe/|[0-9]{4}-[0-9]{2}-[0-9]{2}" "$(mail_text "$notice")" "no configuration syntax, no ISO dates"
t_assert_match "by $(customer_time en "$(ams "$mon 11:00")" "$T") \\(Kyiv time\\)" "$(mail_text "$notice")" \
    "and when to expect news"
t_end

t_case "across a change of clocks: escalated on the Friday before, due Monday 09:25 local time"
# The Friday before the next last Sunday of March or October, at least an hour from now.
fri=""
for y in $(date +%Y) $(($(date +%Y) + 1)); do
    for m in 03 10; do
        sun=$(date -d "$y-$m-01 + 1 month - 1 day" +%F)
        while [ "$(date -d "$sun" +%u)" != 7 ]; do sun=$(date -d "$sun - 1 day" +%F); done
        f=$(date -d "$sun - 2 days" +%F)
        if [ -z "$fri" ] && [ "$(ams "$f 17:55")" -gt $(($(date +%s) + 3600)) ]; then fri=$f; fi
    done
done
c=dst.$run@example.net
t=$(simple_ticket "$c")
T=$(ams "$fri 17:55")
pass_at "$T"
due=$(epoch_of due_resolution "$t")
t_assert_eq "$(ams "$(date -d "$fri + 3 days" +%F) 09:25")" "$due" "due Monday 09:25 local time after the weekend of $fri"
t_assert_eq 3600 "$(( due - T > 228600 ? due - T - 228600 : 228600 - (due - T) ))" \
    "an hour longer or shorter than any other weekend"
t_end

t_case "a holiday: escalated on Thursday 24 December 2037 at 17:55, Christmas Day off, due Monday 09:25"
c=xmas.$run@example.net
t=$(simple_ticket "$c")
pass_at "$(ams '2037-12-24 17:55')"
t_assert_eq "$(ams '2037-12-28 09:25')" "$(epoch_of due_resolution "$t")" "Friday 25 December and the weekend are skipped"
t_end

t_case "a data-centre team in two zones: at 18:00 CET New York is at work, at 23:30 the notice waits for Amsterdam's 08:00"
sb cli agent add "dclead.$run@introserv.com" --name "DC Lead" --team datacenter --lead >/dev/null
dc_ticket() { # CUSTOMER -> ticket id, escalated to the data centre by an agent
    local t
    read -r t _ < <(open_ticket "$1" "Disk replacement" "The RAID reports a failed disk in our dedicated server.")
    agent_mail "$eng" "$t" >/dev/null <<<$'#escalate datacenter disk swap\n\nOur data-centre technicians will replace the disk.'
    wait_sql "select 1 from tickets where id = $t and team = 'datacenter'" 1 15 >/dev/null
    echo "$t"
}
lead_notice_at() { # TICKET -> when the first breach notice to the data-centre lead may leave (whole seconds, down)
    sb_sql "select floor(extract(epoch from min(next_attempt_at)))::bigint from outbox where ticket_id = $1
        and rcpt = 'dclead.$run@introserv.com'"
}
t=$(dc_ticket "dc1.$run@example.net")
T=$(ams 'next wednesday 18:00')
pass_at "$T"
t_assert_true [ "$(lead_notice_at "$t")" -le "$(date +%s)" ] "New York (08-17 local) is on shift: the lead hears at once"
t=$(dc_ticket "dc2.$run@example.net")
T=$(ams 'next wednesday 23:30')
pass_at "$T"
t_assert_eq "$(ams "$(date -d "$(ams_day "$T") + 1 day" +%F) 08:00")" "$(lead_notice_at "$t")" \
    "both sites closed: the notice waits for the earliest start, Amsterdam's 08:00"
t_end

t_case "a digest period without breaches says so in one clear line"
sb cli manager add "mgr.$run@introserv.com" --name "Manager" >/dev/null
sb_sql "update tickets set status = 'closed' where status <> 'closed'" >/dev/null
# Digests only move forward: start after the last one any earlier pass made (above: Christmas 2037).
base=$(sb_sql "select extract(epoch from greatest(coalesce(max(period_end), now()), now()))::bigint from digests where schedule = 'hourly'")
pass_at $((base + 3600 + 60))
pass_at $((base + 2 * 3600 + 60))
read -r n ps pe < <(sb_sql "select breaches || ' ' || extract(epoch from period_start)::bigint || ' ' ||
    extract(epoch from period_end)::bigint from digests where schedule = 'hourly' order by period_end desc limit 1")
t_assert_eq "0 3600" "$n $((pe - ps))" "the last hour had no breach"
prev=$(sb_sql "select breaches from digests where schedule = 'hourly' order by period_end desc offset 1 limit 1")
from=$(kyiv "$ps") to=$(kyiv "$pe")
d=$(mail_matching "mgr.$run@introserv.com" "^SLA breaches from $from to $to \\(Europe/Kyiv\\): 0 \\(previous period: $prev\\)")
body=$(tr -d '\r' < "$d" 2>/dev/null)
t_assert_match $'\n\nNo SLA breaches in this period.\n' "$body" "one clear line when there were none"
t_assert_no_match "Worst tickets" "$body" "and no breach tables"
t_end

t_case "the daily digest at 08:00 Europe/Amsterdam: made by the first pass after 08:00, with the breaches since the last"
# A day after every digest and breach so far; a pass at 07:59 reports up to the day before's 08:00 whatever
# was pending, and records any breach of an earlier file's ticket (all closed above) before the day begins.
last=$(sb_sql "select extract(epoch from greatest(now(), (select max(period_end) from digests), (select max(at) from breaches)))::bigint")
day=$(date -d "$(ams_day "$last") + 2 days" +%F)
D8=$(ams "$day 08:00") P8=$(ams "$(date -d "$day - 1 day" +%F) 08:00")
pass_at $((P8 - 60))
pass_at $((D8 - 60))
t_assert_eq "$P8" "$(sb_sql "select extract(epoch from max(period_end))::bigint from digests where schedule = 'daily'")" \
    "at 07:59 the day's digest is not due: the last one ends at the day before's 08:00"
t=$(sb_sql "insert into tickets (status, channel, team, requester, subject, created_at, acked_at, due_ack, due_first_response)
    values ('open', 'email', 'support', 'daily.$run@example.net', 'Night outage $run', to_timestamp($D8 - 4200),
    to_timestamp($D8 - 4190), to_timestamp($D8 - 4080), to_timestamp($D8 - 3600)) returning id")
pass_at $((D8 - 1800))   # 07:30: the first response is half an hour late
sb_sql "update tickets set status = 'closed' where id = $t" >/dev/null
prev=$(sb_sql "select breaches from digests where schedule = 'daily' and period_end = to_timestamp($P8)")
pass_at $((D8 + 60))
t_assert_eq "$P8 $D8 1 $t" "$(sb_sql "select extract(epoch from d.period_start)::bigint || ' ' || extract(epoch from d.period_end)::bigint
    || ' ' || d.breaches || ' ' || string_agg(b.ticket_id::text, ' ') from digests d join digest_breaches x using (schedule, period_end)
    join breaches b on b.id = x.breach_id where d.schedule = 'daily' and d.period_end = to_timestamp($D8) group by d.period_start,
    d.period_end, d.breaches")" "08:00 to 08:00 Europe/Amsterdam, with the one breach of the day"
d=$(mail_matching "mgr.$run@introserv.com" "^SLA breaches from $(kyiv "$P8") to $(kyiv "$D8") \\(Europe/Kyiv\\): 1 \\(previous period: $prev\\)")
t_assert_match "SLA digest [(]daily[)]: 1 breach" "$(hdr "$d" Subject)" "every manager gets the daily digest"
t_assert_match "multipart/alternative" "$(hdr "$d" Content-Type)" "text and HTML"
body=$(mail_part "$d" plain)
t_assert_match $'\n  first_response +[0-9]+ +[1-9][0-9]* +[0-9.]+%' "$body" "attainment counts the breach"
t_assert_match "#$t\\] +first_response +support engineers +closed +1 h +Night outage $run" "$body" "the ticket and how late, to 08:00"
t_assert_match "\\[INTROSERV #$t\\]</td>.*>1 h</td>" "$(mail_part "$d" html)" "in the HTML part too"
t_end
