# t_50_operations.sh - what operators rely on: status with its exit code, metrics, SLA report, config check.

run=$RANDOM$RANDOM
conf=$SUPPORTGATE_SANDBOX/supportgate.conf
slog=$SUPPORTGATE_SANDBOX/log/scheduler.log

# The scheduler records a pass every few seconds; after a restart status turns healthy within that.
status_quiet() { sb cli status >/dev/null 2>&1; }

# mval METRIC[{LABELS}] TEXT - the value of one sample in the metrics TEXT (0 when absent: a counter not yet seen).
mval() { awk -v k="$1" '$1 == k { v = $2 } END { print v == "" ? 0 : v }' <<<"$2"; }

# Mail nobody has sent yet although it is due: none before a case counts the acks it causes.
outbox_quiet() {
    wait_sql "select count(*) from outbox where sent_at is null and failed_at is null and next_attempt_at <= now()" 0 30 \
        >/dev/null
}

t_case "status is healthy while everything runs, and says so in JSON"
t_assert_true wait_until 20 status_quiet "status exits 0"
json=$(sb cli status --json)
t_assert_eq "true" "$(jq -r .ok <<<"$json")" "ok is true"
t_assert_match '^[1-9][0-9]*$' "$(jq -r '.schedulers | length' <<<"$json")" "a scheduler reports its passes"
t_assert_eq "$(jq -r .schema.expected <<<"$json")" "$(jq -r .schema.version <<<"$json")" "schema current"
t_assert_eq '[]' "$(jq -c .problems <<<"$json")" "no problem listed"
t_assert_match 'outbox: [0-9]+ due \(oldest waiting [0-9]+ s\), [0-9]+ held until their team.s shift' "$(sb cli status)" \
    "the text form has an outbox line"
t_end

t_case "after a known set of mails, metrics and status count exactly what they brought"
outbox_quiet
m0=$(sb cli metrics)
s0=$(sb cli status --json)
ids=()
for i in 1 2 3; do
    read -r t mid < <(open_ticket "m$i.t50.$run@example.net" "Metrics check $i")
    ids+=("$t")
    [ "$i" = 1 ] && { t1=$t; mid1=$mid; }
done
# The first customer writes again on the same ticket: a message, but neither a ticket nor an acknowledgement.
fmid=$(uniq_id)
sb send "$(mkmail <<EOF2
From: Customer <m1.t50.$run@example.net>
To: support@introserv.com
Subject: Re: [INTROSERV #$t1] Metrics check 1
In-Reply-To: <$mid1>
Message-ID: <$fmid>

One more detail.
EOF2
)" >/dev/null
t_assert_eq "$t1" "$(wait_sql "select ticket_id from messages where message_id = '$fmid'" '' 15)" "the follow-up joins the ticket"
list=$(IFS=,; echo "${ids[*]}")
t_assert_eq 3 "$(wait_sql "select count(*) from tickets where id in ($list) and acked_at is not null" 3 30)" \
    "the three tickets are acknowledged"
outbox_quiet
m1=$(sb cli metrics)
s1=$(sb cli status --json)
delta() { echo $(( $(mval "$1" "$m1") - $(mval "$1" "$m0") )); }
t_assert_eq 4 "$(delta 'supportgate_messages_total{direction="in",kind="customer"}')" "four customer mails counted"
t_assert_eq 3 "$(delta 'supportgate_messages_total{direction="out",kind="ack"}')" "three acknowledgements recorded"
t_assert_eq 3 "$(delta supportgate_acks_sent_total)" "three acknowledgements sent"
t_assert_eq 3 "$(delta supportgate_ack_latency_seconds_count)" "three ack latencies observed"
t_assert_eq 3 "$(delta 'supportgate_ack_latency_seconds_bucket{le="120"}')" "all within the 2 minutes of email"
acks=$(mval supportgate_acks_sent_total "$m1")
t_assert_eq "$acks" "$(mval supportgate_ack_latency_seconds_count "$m1")" "the histogram counts every ack sent"
t_assert_eq "$acks" "$(mval 'supportgate_ack_latency_seconds_bucket{le="+Inf"}' "$m1")" "its +Inf bucket too"
buckets=$(grep '^supportgate_ack_latency_seconds_bucket' <<<"$m1" | awk '{ print $2 }')
t_assert_eq "$buckets" "$(sort -n <<<"$buckets")" "the buckets are cumulative"
unsent=$(sb_sql "select count(*) from outbox where sent_at is null and failed_at is null")
t_assert_eq "$unsent" "$(mval supportgate_outbox_depth "$m1")" "outbox depth metric"
t_assert_eq "$unsent" "$(jq -r .outbox.depth <<<"$s1")" "outbox depth in status"
t_assert_eq 0 "$(jq -r .outbox.due <<<"$s1")" "nothing due is left unsent"
team=$(sb_sql "select team from tickets where id = $t1")
t_assert_eq 3 "$(( $(jq -r ".open_tickets.$team // 0" <<<"$s1") - $(jq -r ".open_tickets.$team // 0" <<<"$s0") ))" \
    "three more open tickets for $team"
t_assert_eq "$(sb_sql "select coalesce(json_object_agg(team, n), '{}') from (select team, count(*) as n from tickets
    where status in ('new', 'open', 'pending') group by team) x" | jq -cS .)" "$(jq -cS .open_tickets <<<"$s1")" \
    "open tickets per team as in the database"
t_end

t_case "metrics are Prometheus text with the counters the dashboards use"
m=$(sb cli metrics)
t_assert_match '# TYPE supportgate_ack_latency_seconds histogram' "$m" "ack latency histogram"
t_assert_match 'supportgate_messages_total\{direction="in",kind="customer"\} [1-9]' "$m" "customer mails counted"
t_assert_match 'supportgate_outbox_depth [0-9]+' "$m" "outbox depth"
t_assert_eq "" "$(grep -v '^#' <<<"$m" | grep -Ev '^[a-z_]+(\{[^}]*\})? [0-9.]+$')" "every sample line is well formed"
t_end

t_case "a forced breach counts among the breaches of the last hour"
read -r tf _ < <(open_ticket "br.t50.$run@example.net" "Breach check")
wait_mail "br.t50.$run@example.net" 1 >/dev/null
b0=$(sb cli status --json | jq -r .breaches_last_hour)
sb scheduler --once --now "$(date -d '+11 minutes' --iso-8601=seconds)" >/dev/null 2>&1
t_assert_eq 1 "$(sb_sql "select count(*) from breaches where ticket_id = $tf and sla = 'first_response'")" \
    "the first response is breached"
b1=$(sb cli status --json | jq -r .breaches_last_hour)
t_assert_eq "$(sb_sql "select count(*) from breaches where at > now() - interval '1 hour'")" "$b1" \
    "status counts the breaches of the last hour"
t_assert_true [ "$b1" -gt "$b0" ] "the forced breach among them ($b0 before, $b1 after)"
t_end

t_case "a notice held for an off-shift team is reported as held, not as mail waiting too long"
sb cli agent add "blead.t50.$run@introserv.com" --name "Billing Lead" --team billing --lead >/dev/null
read -r tb _ < <(open_ticket "inv.t50.$run@example.net" "Invoice paid twice")
t_assert_eq billing "$(sb_sql "select team from tickets where id = $tb")" "classified to billing"
wait_mail "inv.t50.$run@example.net" 1 >/dev/null
# Billing works Mon-Fri 09-18: a breach on Saturday is told to its lead on Monday morning.
sb scheduler --once --now "$(date -d 'next saturday 12:00 CET' --iso-8601=seconds)" >/dev/null 2>&1
held_sql="from outbox where sent_at is null and failed_at is null and attempts = 0 and next_attempt_at > now()"
t_assert_match '^[1-9]' "$(sb_sql "select count(*) $held_sql and ticket_id = $tb")" "the lead's notice waits for the shift"
# As if it had been queued at the start of the weekend: far older than the 5 minutes due mail may wait.
sb_sql "update outbox set created_at = now() - interval '1 hour' where ticket_id = $tb and sent_at is null
    and next_attempt_at > now()"
held=$(sb_sql "select count(*) $held_sql")
json=$(sb cli status --json); rc=$?
t_assert_eq 0 "$rc" "status exits 0 (problems: $(jq -c .problems <<<"$json"))"
t_assert_eq "$held" "$(jq -r .outbox.held <<<"$json")" "status counts the held mail"
t_assert_true [ "$(jq -r .outbox.oldest_seconds <<<"$json")" -lt 300 ] "held mail does not age the outbox"
t_assert_eq "$(sb_sql "select min(next_attempt_at) = '$(jq -r .outbox.next_held_at <<<"$json")'::timestamptz $held_sql")" t \
    "status says when the first held mail leaves"
t_assert_match "outbox: [0-9]+ due \(oldest waiting [0-9]+ s\), $held held until their team.s shift \(next at 20" \
    "$(sb cli status)" "the text form names the held mail"
m=$(sb cli metrics)
t_assert_eq "$held" "$(mval supportgate_outbox_held "$m")" "metric supportgate_outbox_held"
t_assert_true [ "$(mval supportgate_outbox_oldest_seconds "$m")" -lt 300 ] "supportgate_outbox_oldest_seconds ignores it"
t_end

t_case "status fails on a stale scheduler heartbeat and on due mail older than 5 minutes, and recovers"
pid=$(cat "$SUPPORTGATE_SANDBOX/run/scheduler.pid")
kill -TERM "$pid"
# kill -0, not t_gone: the assertion below wants the process reaped, not only exited.
wait_until 5 eval '! kill -0 "$pid" 2> /dev/null'
t_assert_false kill -0 "$pid" "the scheduler stopped"
sb_sql "update scheduler_passes set last_pass_at = now() - interval '10 minutes'"
json=$(sb cli status --json); rc=$?
t_assert_ne 0 "$rc" "exit non-zero with a stale heartbeat"
t_assert_eq '["no scheduler has completed a pass in the last 2 minutes"]' "$(jq -c .problems <<<"$json")" \
    "the heartbeat is the one problem"
sb_sql "update scheduler_passes set last_pass_at = now()"
t_assert_true status_quiet "healthy again with a fresh heartbeat"
# The held notice falls due 6 minutes ago, and no scheduler sends it.
sb_sql "update outbox set next_attempt_at = now() - interval '6 minutes' where ticket_id = $tb and sent_at is null
    and next_attempt_at > now()"
json=$(sb cli status --json); rc=$?
t_assert_ne 0 "$rc" "exit non-zero with aged due mail"
t_assert_match 'due has waited in the outbox for over 5 minutes' "$(jq -c .problems <<<"$json")" "the outbox is the problem"
t_assert_eq 1 "$(jq '.problems | length' <<<"$json")" "and the only one"
t_assert_true [ "$(jq -r .outbox.oldest_seconds <<<"$json")" -ge 360 ] "aged from when it fell due"
t_assert_true [ "$(mval supportgate_outbox_oldest_seconds "$(sb cli metrics)")" -ge 360 ] "the metric too"
sb up >/dev/null 2>&1
t_assert_true wait_until 30 status_quiet "healthy once the scheduler is back"
t_assert_eq 0 "$(wait_sql "select count(*) from outbox where ticket_id = $tb and sent_at is null" 0 30)" \
    "and it sent the notice"
# Later files count the notices to billing's leads: this one goes.
sb cli agent remove "blead.t50.$run@introserv.com" >/dev/null
t_end

t_case "the scheduler reloads on SIGHUP: a shorter close_after closes a quiet resolved ticket at once"
cp "$conf" "$conf.t50"
read -r tq _ < <(open_ticket "q1.t50.$run@example.net" "Quiet ticket")
sb_sql "update tickets set status = 'resolved', resolved_at = now() - interval '2 hours' where id = $tq"
sleep 6 # a pass or more under the running configuration (close_after 3d)
t_assert_eq resolved "$(sb_sql "select status from tickets where id = $tq")" "the default quiet period keeps it open"
echo "close_after = 1h" >> "$conf"
t_assert_true sb_reload scheduler 'configuration reloaded from' "the scheduler logs the reload"
t_assert_match "configuration reloaded from $conf\$" "$(grep 'configuration reloaded from' "$slog" | tail -n1)" \
    "naming the file, and no restart-only key"
t_assert_eq closed "$(wait_sql "select status from tickets where id = $tq" closed 20)" "closed under the new close_after"
t_assert_match 'resolved ticket\(s\) closed after the quiet period' "$(tail -n 20 "$slog")" "and says so"
t_end

t_case "a broken configuration on SIGHUP is refused with its file and line, and the running snapshot stays"
# The good line of the last case turned bad in place (a key set twice is an error of its own).
sed -i '$ s/^close_after = 1h$/close_after = 1s/' "$conf"
line=$(wc -l < "$conf")
t_assert_true sb_reload scheduler 'reload refused' "the scheduler refuses the reload"
t_assert_match "keeping the running configuration: $conf:$line: close_after: out of range" \
    "$(grep 'reload refused' "$slog" | tail -n1)" "file:line: key: problem"
t_assert_true kill -0 "$(cat "$SUPPORTGATE_SANDBOX/run/scheduler.pid")" "the scheduler runs on"
read -r tq2 _ < <(open_ticket "q2.t50.$run@example.net" "Another quiet ticket")
sb_sql "update tickets set status = 'resolved', resolved_at = now() - interval '2 hours' where id = $tq2"
t_assert_eq closed "$(wait_sql "select status from tickets where id = $tq2" closed 20)" \
    "the 1h quiet period of the last good snapshot still applies"
cp "$conf.t50" "$conf"
rm -f "$conf.t50"
t_assert_true sb_reload scheduler 'configuration reloaded from' "the restored file reloads"
t_end

t_case "sla report counts tickets per SLA and team"
r=$(sb cli sla report --since 1d --json)
t_assert_match '^[1-9]' "$(jq -r '[.rows[] | select(.sla == "ack") | .tickets] | add' <<<"$r")" "ack rows present"
t_assert_eq "true" "$(jq -r '[.rows[] | .met + .breached <= .tickets] | all' <<<"$r")" "met + breached never exceed tickets"
t_end

t_case "sla report: met, breached, median and p95 of every SLA for a known set of tickets"
# Three tickets of 2090 (no other ticket is that new, and no clock of theirs runs out before then), with what
# the gateway measured: A and B closed by the first line, B late with its first response and an update, and
# resolved 2 h 30 min after it came of which 1 h pending on the customer (1 h 30 min of resolution time); C open
# with the system administrators after the first line missed its resolution (that breach stays theirs).
rep=r$RANDOM$RANDOM
ids=$(sb_sql "insert into tickets (status, channel, team, requester, created_at, acked_at, due_ack,
        first_response_at, due_first_response, due_update, update_since, update_longest, due_resolution, resolved_at,
        resolution_seconds)
    select v.status, 'email', v.team, v.n || '.$rep@example.net', b, b + v.ack * s, b + 120 * s, b + v.fr * s,
        b + 600 * s, b + v.upd * s, b + v.upd_since * s, v.longest, b + v.res_due * s, b + v.resolved * s, v.res
    from (select timestamptz '2090-01-01 00:00:00+00' as b, interval '1 second' as s) x,
        (values ('a', 'closed', 'support', 60, 300, null, null, 1800, null, 3600, 3600),
                ('b', 'closed', 'support', 30, 900, null, null, 9000, null, 9000, 5400),
                ('c', 'open', 'sysadmins', 90, 120, 90000, 82800, 600, 86400, null, null))
        v(n, status, team, ack, fr, upd, upd_since, longest, res_due, resolved, res)
    order by v.n returning id")
read -r _ tb tc <<<"$(tr '\n' ' ' <<<"$ids")"
ids_list=$(paste -sd, <<<"$ids")
sb_sql "insert into breaches (ticket_id, sla, due, at, notified_at) select $tb, s, d, d, d from (values
        ('first_response', timestamptz '2090-01-01 00:10:00+00'), ('update', timestamptz '2090-01-01 02:00:00+00')) v(s, d);
    insert into breaches (ticket_id, sla, due, at, notified_at, team)
        values ($tc, 'resolution', '2090-01-01 02:00:00+00', '2090-01-01 02:00:00+00', '2090-01-01 02:00:00+00', 'support')" >/dev/null
t_assert_eq "support support support" "$(sb_sql "select string_agg(team, ' ' order by id) from breaches
    where ticket_id in ($tb, $tc)")" "a breach recorded without its team gets the ticket's"
got=$(sb cli sla report --since 2090-01-01T00:00:00Z | tail -n +2 | awk '{$1 = $1} 1')
t_assert_eq "ack support 2 2 0 0 min 0 min
ack sysadmins 1 1 0 1 min 1 min
first_response support 2 1 1 10 min 14 min
first_response sysadmins 1 1 0 2 min 2 min
update support 2 1 1 1 h 30 min 2 h 24 min
update sysadmins 1 0 0 10 min 10 min
resolution support 3 2 1 1 h 15 min 1 h 28 min
resolution sysadmins 1 0 0 - -" "$got" "SLA, team, tickets, met, breached, median and p95 in hours and minutes"
t_assert_eq "support resolution 2 1 66.7,sysadmins first_response 1 0 100" \
    "$(sb cli sla report --since 2090-01-01T00:00:00Z --json | jq -r '[.by_team[]
    | select((.team == "support" and .sla == "resolution") or (.team == "sysadmins" and .sla == "first_response"))
    | "\(.team) \(.sla) \(.met) \(.breached) \(.attainment_pct)"] | join(",")')" "by_team: met, breached and attainment"
t_assert_eq "resolution support 3 2 1 4500 5310" "$(sb cli sla report --since 2090-01-01T00:00:00Z --json |
    jq -r '.rows[] | select(.sla == "resolution" and .team == "support")
    | "\(.sla) \(.team) \(.tickets) \(.met) \(.breached) \(.median_seconds | round) \(.p95_seconds | round)"')" \
    "the same in JSON"
byres() { sb cli sla report --since 2090-01-01T00:00:00Z --by "$1" --json |
    jq -r '[.rows[] | select(.sla == "resolution") | "\(.team) \(.tickets) \(.met) \(.breached)"] | join(",")'; }
t_assert_eq "standard 3 2 1" "$(byres category)" "--by category: one row for the one category"
t_assert_eq "- 3 2 1" "$(byres agent)" "--by agent: nobody holds these tickets"
t_assert_match '^SLA +CATEGORY +TICKETS' "$(sb cli sla report --since 2090-01-01T00:00:00Z --by category | head -1)" \
    "the text names what the rows are by"
sb cli sla report --by colour >/dev/null 2>&1; rc=$?
t_assert_eq 2 "$rc" "an unknown --by is a usage error"
# Gone again, so that no later test finds breaches dated 2090 (digests only move forward in time).
sb_sql "delete from breaches where ticket_id in ($ids_list); delete from tickets where id in ($ids_list)" >/dev/null
t_end

t_case "sla report: the acknowledgement and first response count for the team that ran them, before an escalation"
# A ticket of 2091 that came to the first line, was acknowledged and answered there, and was escalated to the
# system administrators half an hour later: its first clocks are the first line's, its resolution theirs.
d=$(sb_sql "insert into tickets (status, channel, team, first_team, requester, created_at, acked_at, due_ack,
        first_response_at, due_first_response, escalated_at, due_resolution)
    values ('open', 'email', 'sysadmins', 'support', 'd.r$RANDOM@example.net', '2091-01-01 00:00:00+00',
        '2091-01-01 00:01:00+00', '2091-01-01 00:02:00+00', '2091-01-01 00:05:00+00', '2091-01-01 00:10:00+00',
        '2091-01-01 00:30:00+00', '2091-01-02 00:00:00+00') returning id")
t_assert_eq "ack support 1 1,first_response support 1 1,resolution sysadmins 1 0" \
    "$(sb cli sla report --since 2091-01-01T00:00:00Z --json | jq -r '[.rows[] | "\(.sla) \(.team) \(.tickets) \(.met)"] | join(",")')" \
    "ack and first response under support, the resolution under the system administrators"
t_assert_eq support "$(sb_sql "insert into tickets (status, channel, team, requester, created_at)
    values ('closed', 'email', 'support', 'e.r$RANDOM@example.net', '2091-01-01 00:00:00+00') returning first_team")" \
    "a new ticket's first team is the team it came to"
sb_sql "delete from tickets where created_at >= '2091-01-01'" >/dev/null
t_end

t_case "config check names the file and line of a bad key"
bad=$(mktemp)
{ cat "$SUPPORTGATE_SANDBOX/supportgate.conf"; echo "db_timeout = 45s"; } > "$bad"
lines=$(wc -l < "$bad")
out=$("$SG_BUILDDIR/supportgate" -c "$bad" config check 2>&1); rc=$?
t_assert_true [ "$rc" -ne 0 ] "exit non-zero"
t_assert_match "$bad:$lines: db_timeout: out of range" "$out" "file:line: key: problem"
t_assert_match "supportgate.conf: ok" "$(sb cli config check)" "the sandbox's own file passes"
t_end

t_case "status fails while the database is down"
sb_pg_ctl -m fast -w stop >/dev/null
out=$(sb cli status --json 2>/dev/null); rc=$?
t_assert_true [ "$rc" -ne 0 ] "exit non-zero"
t_assert_eq "unreachable" "$(jq -r .database <<<"$out")" "database reported unreachable"
sb up >/dev/null 2>&1
t_assert_true wait_until 30 status_quiet "healthy again after the database returns"
t_end

t_case "status tells a database never migrated and a missing grant apart from an unreachable one"
sb_sql "drop database if exists sg_t50_fresh" >/dev/null 2>&1
sb_sql "create database sg_t50_fresh"
fresh=$(mktemp)
sed -E 's/^(cli_database = .*)dbname=supportgate/\1dbname=sg_t50_fresh/' "$conf" > "$fresh"
out=$("$SG_BUILDDIR/supportgate" -c "$fresh" status --json 2>/dev/null); rc=$?
t_assert_ne 0 "$rc" "exit non-zero before db migrate"
t_assert_eq "schema missing" "$(jq -r .database <<<"$out")" "reported as a missing schema"
t_assert_match 'run: supportgate db migrate' "$(jq -r '.problems[0]' <<<"$out")" "with the fix"
t_assert_match 'database: SCHEMA MISSING: .*PROBLEM: .*supportgate db migrate.*status: NEEDS ATTENTION' \
    "$("$SG_BUILDDIR/supportgate" -c "$fresh" status 2>&1)" "the text form too"
# A right taken away by hand: named as such, and the GRANT lines of the migrations (doc/operations.md) restore it.
sb_sql "revoke select on outbox from supportgate_cli"
out=$(sb cli status --json 2>/dev/null); rc=$?
t_assert_ne 0 "$rc" "exit non-zero without the grant"
t_assert_eq "permission denied" "$(jq -r .database <<<"$out")" "reported as a permission error"
t_assert_match 'GRANT lines' "$(jq -r '.problems[0]' <<<"$out")" "with the fix"
grep -h '^GRANT' "$SG_SRCDIR"/sql/*.sql | psql_in "$SUPPORTGATE_SANDBOX" >/dev/null
t_assert_eq 0 "$?" "the GRANT lines of the migrations run again without error"
t_assert_true status_quiet "and status is healthy again"
sb_sql "drop database sg_t50_fresh"
rm -f "$fresh"
t_end

t_case "db migrate puts back the current definition of each function in sql/functions, and refuses a tree without them"
stale="SELECT prosrc LIKE '%acknowledgement sent to%' AND 'enable_seqscan=off' = ANY (proconfig) FROM pg_proc WHERE proname = 'sg_outbox_sent'"
sb_sql "CREATE OR REPLACE FUNCTION sg_outbox_sent(p_id bigint, p_now timestamptz) RETURNS void LANGUAGE sql AS 'SELECT'" >/dev/null
t_assert_eq "f" "$(sb_sql "$stale")" "an older definition is in place"
out=$(sb cli db migrate 2>&1)
t_assert_eq 0 "$?" "db migrate succeeds"
t_assert_match "schema is current" "$out" "no numbered migration was due"
t_assert_eq "t" "$(sb_sql "$stale")" "the file's definition is back, with its settings"
t_assert_eq "t" "$(sb_sql "SELECT 'enable_seqscan=off' = ANY (proconfig) FROM pg_proc WHERE proname = 'sg_intake'")" \
    "sg_intake() has the file's settings"
partial=$(mktemp -d)
cp "$SG_SRCDIR"/sql/*.sql "$partial"/
out=$(sb cli db migrate --sql-dir "$partial" 2>&1)
t_assert_ne 0 "$?" "a tree without sql/functions is refused"
t_assert_match "cannot read the functions" "$out" "saying what is missing"
rm -rf "$partial"
t_end

t_case "make install puts programs, man pages, migrations, functions, templates and examples under DESTDIR"
dest=$(mktemp -d)
make -s -C "$SG_BUILDDIR" install DESTDIR="$dest" >"$dest.log" 2>&1
t_assert_eq 0 "$?" "make install succeeds"
for f in bin/supportgate sbin/supportgate-milter sbin/supportgate-scheduler share/man/man5/supportgate.conf.5 \
         share/supportgate/sql/001_schema.sql share/supportgate/sql/functions/intake.sql share/supportgate/templates/ack.uk.txt \
         share/doc/supportgate/examples/supportgate.conf.example \
         share/doc/supportgate/examples/supportgate-milter.service; do
    t_assert_eq 1 "$(find "$dest" -path "*/$f" | grep -c .)" "installs $f"
done
t_assert_match "^supportgate " "$("$(find "$dest" -path '*/bin/supportgate')" --version 2>&1)" "the installed CLI runs"
rm -rf "$dest" "$dest.log"
t_end
