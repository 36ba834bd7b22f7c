# t_30_faults.sh - a database or relay that is down loses nothing; floods and strangers get nothing.

# Addresses unique to this run, so the file can run again on a sandbox that has data.
run=$RANDOM$RANDOM

# t30_mail FROM MSGID SUBJECT - a customer's short mail to support@; prints its path.
t30_mail() { plain_mail "$1" support@introserv.com "$3" Hello. "Message-ID: <$2>"; }

t_case "with the database down the mail is refused with 451 and recorded once when it comes back"
mid=$(uniq_id)
f=$(t30_mail dbdown.t30.${run}@example.net "$mid" "Database down test")
sb_pg_ctl -w stop -m fast >/dev/null
out=$(sb send "$f" 2>&1); rc=$?
t_assert_true [ "$rc" -ne 0 ] "submission fails while the database is down"
t_assert_match "451" "$out" "the SMTP client sees a 451 temporary failure"
sb up >/dev/null 2>&1
sb send "$f" >/dev/null
t=$(wait_sql "select ticket_id from messages where message_id = '$mid'" '' 20)
t_assert_match '^[0-9]+$' "$t" "recorded after the database returned"
t_assert_eq 1 "$(wait_mail dbdown.t30.${run}@example.net 1 20 | grep -c .)" "acknowledged once"
t_assert_eq 1 "$(sb_sql "select count(*) from messages where message_id = '$mid'")" "recorded once"
t_end

t_case "with the relay down the acknowledgement waits, retries with backoff, and a late one is a breach"
sb_stop_scheduler
mid=$(uniq_id)
f=$(t30_mail relay.t30.${run}@example.net "$mid" "Relay down test")
sb send "$f" >/dev/null
t=$(wait_sql "select ticket_id from messages where message_id = '$mid'" '' 15)
bad=$(mktemp)
sed 's|^smtp_relay = .*|smtp_relay = smtp://127.0.0.1:9|' "$SUPPORTGATE_SANDBOX/supportgate.conf" > "$bad"
out=$("$SG_BUILDDIR/supportgate-scheduler" -c "$bad" --once 2>/dev/null)
t_assert_match "retrying 1" "$out" "the pass reports one mail to retry"
t_assert_eq "1 true false" "$(sb_sql "select attempts || ' ' || (last_error is not null) || ' ' || (sent_at is not null) from outbox where ticket_id = $t")" \
    "attempt counted, error kept, not sent"
t_assert_eq "t" "$(sb_sql "select next_attempt_at > now() from outbox where ticket_id = $t")" "next attempt pushed back"
t_assert_eq 0 "$(sb mail relay.t30.${run}@example.net | grep -c .)" "nothing delivered yet"
later=$(date -d '+10 minutes' --iso-8601=seconds)
out=$(sb scheduler --once --now "$later" 2>/dev/null)
t_assert_match "sent [1-9]" "$out" "the relay back, the pass sends"
t_assert_eq "t" "$(sb_sql "select sent_at is not null from outbox where ticket_id = $t and kind = 'ack'")" \
    "the waiting acknowledgement among them"
t_assert_eq 1 "$(wait_mail relay.t30.${run}@example.net 1 | grep -c .)" "the acknowledgement arrives"
t_assert_eq 1 "$(sb_sql "select count(*) from breaches where ticket_id = $t and sla = 'ack'")" "a late acknowledgement is an ack breach"
sb scheduler --once --now "$(date -d '+11 minutes' --iso-8601=seconds)" >/dev/null 2>&1
t_assert_eq 1 "$(sb_sql "select count(*) from breaches where ticket_id = $t and sla = 'ack'")" "recorded once"
sb up >/dev/null 2>&1
t_end

t_case "without a readable acknowledgement template the mail is still recorded; the acknowledgement waits and goes once"
sb_stop_scheduler
mid=$(uniq_id)
sb send "$(t30_mail tpl.t30.${run}@example.net "$mid" "Template gone test")" >/dev/null
t=$(wait_sql "select ticket_id from messages where message_id = '$mid'" '' 15)
t_assert_match '^[0-9]+$' "$t" "the mail is recorded: the acknowledgement is composed later, by the scheduler"
t_assert_eq "t" "$(sb_sql "select data is null and message_row is null from outbox where ticket_id = $t and kind = 'ack'")" \
    "its row waits, not yet composed"
empty=$(mktemp -d)
bad=$(mktemp)
sed "s|^template_dir = .*|template_dir = $empty|" "$SUPPORTGATE_SANDBOX/supportgate.conf" > "$bad"
out=$("$SG_BUILDDIR/supportgate-scheduler" -c "$bad" --once 2>/dev/null)
t_assert_match "retrying 1" "$out" "a pass without the template retries it later"
t_assert_match "^1 true not composed: template ack" "$(sb_sql "select attempts || ' ' || (data is null) || ' ' || last_error from outbox where ticket_id = $t")" \
    "attempt counted, nothing composed, the reason kept"
t_assert_eq 0 "$(sb_sql "select count(*) from messages where ticket_id = $t and kind = 'ack'")" "no acknowledgement filed on the ticket"
sb scheduler --once --now "$(date -d '+10 minutes' --iso-8601=seconds)" >/dev/null 2>&1
ack=$(wait_mail tpl.t30.${run}@example.net 1 | head -1)
t_assert_true [ -n "$ack" ] "with the template back the acknowledgement arrives"
t_assert_eq "$(sb_sql "select message_id from messages where ticket_id = $t and kind = 'ack'")" \
    "$(hdr "$ack" Message-ID 2>/dev/null | tr -d '<>')" "the mail sent is the one filed on the ticket"
t_assert_eq "<$mid>" "$(hdr "$ack" In-Reply-To 2>/dev/null)" "it answers the customer's mail (In-Reply-To)"
t_assert_eq "auto-replied" "$(hdr "$ack" Auto-Submitted 2>/dev/null)" "Auto-Submitted: auto-replied (RFC 3834)"
rm -rf "$empty" "$bad"
sb up >/dev/null 2>&1
t_end

t_case "acknowledgements to one sender are capped per hour, the mail is still recorded"
for i in 1 2 3 4 5 6 7; do
    sb send "$(t30_mail flood.t30.${run}@example.net "$(uniq_id)" "flood $i")" >/dev/null
done
wait_sql "select count(*) from tickets where requester = 'flood.t30.${run}@example.net'" 7 20 >/dev/null
t_assert_eq 7 "$(sb_sql "select count(*) from tickets where requester = 'flood.t30.${run}@example.net'")" "every mail is a ticket"
t_assert_eq 5 "$(sb_sql "select count(*) from outbox where rcpt = 'flood.t30.${run}@example.net' and kind = 'ack'")" \
    "five acknowledgements queued (ack_limit_per_hour = 5)"
t_assert_eq 2 "$(sb_sql "select count(*) from messages where sender = 'flood.t30.${run}@example.net' and auto_verdict = 'rate-limit'")" \
    "the rest are marked rate-limited"
t_end

t_case "a stranger's mail with someone else's ticket tag opens a new ticket"
mid=$(uniq_id)
sb send "$(t30_mail owner.t30.${run}@example.net "$mid" "Private matter")" >/dev/null
t=$(wait_sql "select ticket_id from messages where message_id = '$mid'" '' 15)
mid2=$(uniq_id)
sb send "$(t30_mail stranger.t30.${run}@example.org "$mid2" "Re: [INTROSERV #$t] Private matter")" >/dev/null
t2=$(wait_sql "select ticket_id from messages where message_id = '$mid2'" '' 15)
t_assert_true [ "$t2" != "$t" ] "not joined to ticket $t"
t_assert_match "mentions ticket #$t" "$(sb_sql "select detail from events where ticket_id = $t2 and type = 'created'")" \
    "the new ticket's history mentions the tag"
t_end

t_case "after PostgreSQL restarts, the milter renews its pooled connections before use: the next mail is accepted at once"
sb send "$(t30_mail pool1.t30.${run}@example.net "$(uniq_id)" "Before the restart")" >/dev/null
sb_pg_ctl -w restart -m fast >/dev/null
mid=$(uniq_id)
out=$(sb send "$(t30_mail pool2.t30.${run}@example.net "$mid" "After the restart")" 2>&1)
t_assert_match "250 " "$out" "accepted on the first try, not 451"
t_assert_eq 1 "$(wait_sql "select count(*) from messages where message_id = '$mid'" 1 15)" "recorded"
t_end
