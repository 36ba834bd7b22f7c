# t_10_intake.sh - mail to an intake address becomes a ticket and its customer gets one RFC 3834 acknowledgement.

# Addresses unique to this run, so the file can run again on a sandbox that has data.
run=$RANDOM$RANDOM

# Write a customer mail to a temp file and print its path.  Args: FROM MSGID SUBJECT [extra header lines...]
# The body comes from stdin.
customer_mail() {
    local from=$1 mid=$2 subject=$3 f
    shift 3
    f=$(mktemp "${TMPDIR:-/tmp}/sg-mail.XXXXXX")
    {
        printf 'From: %s\r\nTo: support@introserv.com\r\nSubject: %s\r\nMessage-ID: <%s>\r\n' "$from" "$subject" "$mid"
        printf 'Date: %s\r\n' "$(date -R)"
        local h
        for h in "$@"; do printf '%s\r\n' "$h"; done
        printf 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
        sed 's/$/\r/'
    } > "$f"
    echo "$f"
}

# The ticket that recorded Message-ID $1 (waits for it).
ticket_of() { wait_sql "select ticket_id from messages where message_id = '$1'" '' 15; }

t_case "a new mail opens a ticket and the customer gets one acknowledgement with RFC 3834 headers"
mid=$(uniq_id)
f=$(customer_mail "\"Ivan Petrenko\" <ivan.t10.${run}@example.net>" "$mid" "Printer on fire" <<<"My server does not boot since 10:00.")
sb send "$f" >/dev/null
t=$(ticket_of "$mid")
t_assert_match '^[0-9]+$' "$t" "ticket recorded for the mail"
acks=$(wait_mail ivan.t10.${run}@example.net 1)
t_assert_eq 1 "$(printf '%s\n' "$acks" | grep -c .)" "exactly one mail to the customer"
ack=$(printf '%s\n' "$acks" | head -1)
t_assert_match 'support@introserv\.com' "$(hdr "$ack" From)" "From is the support address"
t_assert_match "\\[INTROSERV #$t\\]" "$(hdr "$ack" Subject)" "subject carries the tag"
t_assert_eq "<$mid>" "$(hdr "$ack" In-Reply-To)" "In-Reply-To is the customer's Message-ID"
t_assert_match "<$mid>" "$(hdr "$ack" References)" "References ends with the customer's Message-ID"
t_assert_eq "auto-replied" "$(hdr "$ack" Auto-Submitted)" "Auto-Submitted: auto-replied"
t_assert_eq "support@introserv.com" "$(hdr "$ack" X-Loop)" "X-Loop stamped"
t_assert_eq "<support-bounces@introserv.com>" "$(hdr "$ack" Return-Path)" "envelope sender is the bounce address"
ack_mid=$(hdr "$ack" Message-ID | tr -d '<>')
t_assert_eq "ack" "$(sb_sql "select kind from messages where message_id = '$ack_mid' and ticket_id = $t")" \
    "the acknowledgement's Message-ID is recorded on the ticket"
by=$(customer_time en "$(sb_sql "select floor(extract(epoch from due_first_response))::bigint from tickets where id = $t")" \
    "$(sb_sql "select floor(extract(epoch from created_at))::bigint from tickets where id = $t")")
t_assert_eq "Hello Ivan Petrenko," "$(mail_text "$ack" | head -1)" "the greeting names the customer, with its comma"
t_assert_match "an engineer will reply to you personally by $by \\(Kyiv time\\): we answer within 10 minutes," \
    "$(mail_text "$ack")" "the body names the first-response time on the customer's clock, and the promise"
t_assert_eq "t" "$(wait_sql "select acked_at is not null from tickets where id = $t" t)" "acked_at recorded"
t_assert_eq "0" "$(sb_sql "select count(*) from breaches where ticket_id = $t")" "no breach for a prompt ack"
json=$(sb cli ticket show "$t" --json)
t_assert_eq "email" "$(jq -r .channel <<<"$json")" "channel email"
t_assert_eq "ivan.t10.${run}@example.net" "$(jq -r .requester <<<"$json")" "requester"
t_assert_eq "Printer on fire" "$(jq -r .subject <<<"$json")" "subject"
t_assert_eq "in customer" "$(jq -r '.messages[0] | "\(.direction) \(.kind)"' <<<"$json")" "first message is the customer's"
t_assert_match "does not boot" "$(jq -r '.messages[0].text' <<<"$json")" "text stored"
t_assert_eq "out ack" "$(jq -r '.messages[1] | "\(.direction) \(.kind)"' <<<"$json")" "second message is the ack"
t_assert_match '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[+-][0-9]{2}' "$(jq -r .created_at <<<"$json")" "ISO 8601 with offset"
t_assert_eq "120" "$(sb_sql "select extract(epoch from due_ack - created_at)::int from tickets where id = $t")" \
    "email acknowledgement due in 2 minutes"
t_assert_eq "600" "$(sb_sql "select extract(epoch from due_first_response - created_at)::int from tickets where id = $t")" \
    "first response due in 10 minutes"
copy=$(wait_mail support@introserv.com 1 | while read -r p; do grep -l "^Message-ID: <$mid>" "$p"; done | head -1)
t_assert_eq "$t" "$(hdr "$copy" X-Supportgate-Ticket)" "the support mailbox copy carries X-Supportgate-Ticket"
t_assert_match "^\\[INTROSERV #$t\\] Printer on fire" "$(hdr "$copy" Subject)" "and the tag in its subject"
t_end

t_case "a reply carrying the tag threads into the ticket without a second acknowledgement"
mid2=$(uniq_id)
f=$(customer_mail "<ivan.t10.${run}@example.net>" "$mid2" "Re: [INTROSERV #$t] Printer on fire" <<<"It still smokes.")
sb send "$f" >/dev/null
t_assert_eq "$t" "$(ticket_of "$mid2")" "same ticket"
sleep 2
t_assert_eq 1 "$(sb mail ivan.t10.${run}@example.net | grep -c .)" "still one acknowledgement"
t_assert_eq 2 "$(sb_sql "select count(*) from messages where ticket_id = $t and direction = 'in'")" "two customer messages"
t_end

t_case "a reply without the tag threads by In-Reply-To"
mid3=$(uniq_id)
f=$(customer_mail "<ivan.t10.${run}@example.net>" "$mid3" "Re: Printer on fire" "In-Reply-To: <$ack_mid>" \
    "References: <$mid> <$ack_mid>" <<<"Any news?")
sb send "$f" >/dev/null
t_assert_eq "$t" "$(ticket_of "$mid3")" "joined by In-Reply-To"
t_end

t_case "the same mail delivered twice is recorded and acknowledged once"
mid=$(uniq_id)
f=$(customer_mail "<olga.t10.${run}@example.net>" "$mid" "Invoice question" <<<"Why was I charged twice?")
sb send "$f" >/dev/null
t=$(ticket_of "$mid")
sb send "$f" >/dev/null
wait_mail olga.t10.${run}@example.net 1 >/dev/null
sleep 2
t_assert_eq 1 "$(sb_sql "select count(*) from messages where message_id = '$mid'")" "one message row"
t_assert_eq 1 "$(sb_sql "select count(*) from tickets where requester = 'olga.t10.${run}@example.net'")" "one ticket"
t_assert_eq 1 "$(sb mail olga.t10.${run}@example.net | grep -c .)" "one acknowledgement"
t_end

t_case "a mail to support@ and chat@ is one ticket with one acknowledgement on the stricter chat clock"
mid=$(uniq_id)
f=$(customer_mail "<petro.t10.${run}@example.net>" "$mid" "Two addresses" "Cc: chat@introserv.com" <<<"Hello both.")
sb send --to support@introserv.com --to chat@introserv.com "$f" >/dev/null
t=$(ticket_of "$mid")
wait_mail petro.t10.${run}@example.net 1 >/dev/null
sleep 2
t_assert_eq 1 "$(sb_sql "select count(*) from tickets where requester = 'petro.t10.${run}@example.net'")" "one ticket"
t_assert_eq 1 "$(sb mail petro.t10.${run}@example.net | grep -c .)" "one acknowledgement"
t_assert_eq "chat 60" "$(sb_sql "select channel || ' ' || extract(epoch from due_ack - created_at)::int from tickets where id = $t")" \
    "channel chat, acknowledgement due in 1 minute"
t_end

t_case "a chat-channel mail gets a 1-minute acknowledgement target"
mid=$(uniq_id)
f=$(customer_mail "<chat.t10.${run}@example.net>" "$mid" "Chat transcript" <<<"Customer: hello")
sb send --to chat@introserv.com "$f" >/dev/null
t=$(ticket_of "$mid")
t_assert_eq "chat 60" "$(sb_sql "select channel || ' ' || extract(epoch from due_ack - created_at)::int from tickets where id = $t")" \
    "chat channel, 60 s target"
t_assert_eq 1 "$(wait_mail chat.t10.${run}@example.net 1 | grep -c .)" "acknowledged"
ack=$(wait_mail chat.t10.${run}@example.net 1 | head -1)
by=$(customer_time en "$(sb_sql "select floor(extract(epoch from due_first_response))::bigint from tickets where id = $t")" \
    "$(sb_sql "select floor(extract(epoch from created_at))::bigint from tickets where id = $t")")
t_assert_match "one of our engineers will answer you by $by \\(Kyiv time\\)\\." "$(mail_text "$ack")" \
    "chat's own acknowledgement names the time a person answers"
t_assert_no_match "keep|subject" "$(mail_text "$ack")" "and asks nothing about the subject tag"
t_assert_true [ "$(mail_text "$ack" | wc -l)" -le 8 ] "it is short"
t_end

t_case "out-of-office replies and bounces become tickets but are never acknowledged"
# The bounce sender's address is no one run's own: count only what reaches it from here on.
daemon_mail=$(sb mail mailer-daemon@mx.example.net | grep -c .)
mid=$(uniq_id)
f=$(customer_mail "<ooo.t10.${run}@example.net>" "$mid" "Out of office: Printer on fire" "Auto-Submitted: auto-replied" \
    <<<"I am away until Monday.")
sb send "$f" >/dev/null
t=$(ticket_of "$mid")
t_assert_eq "auto-submitted" "$(sb_sql "select auto_verdict from messages where message_id = '$mid'")" "verdict recorded"
t_assert_eq "t" "$(sb_sql "select due_ack is null from tickets where id = $t")" "no acknowledgement clock"
bmid=$(uniq_id)
b=$(mktemp)
printf 'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\nTo: support@introserv.com\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <%s>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; x@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n--b1--\r\n' "$bmid" > "$b"
sb send --from '' "$b" >/dev/null
tb=$(ticket_of "$bmid")
t_assert_match '^[0-9]+$' "$tb" "the bounce is recorded"
sleep 3
t_assert_eq 0 "$(sb mail ooo.t10.${run}@example.net | grep -c .)" "no acknowledgement to the out-of-office sender"
t_assert_eq "$daemon_mail" "$(sb mail mailer-daemon@mx.example.net | grep -c .)" "no acknowledgement to the bounce sender"
t_assert_eq 0 "$(sb_sql "select count(*) from outbox where ticket_id in ($t, $tb)")" "nothing queued"
t_end

t_case "with seven intake addresses (reloaded on SIGUSR1), the seventh opens tickets and every one is the gateway's own"
conf=$SUPPORTGATE_SANDBOX/supportgate.conf
log=$SUPPORTGATE_SANDBOX/log/milter.log
cp "$conf" "$conf.t10"
extra="intake3@introserv.com intake4@introserv.com intake5@introserv.com intake6@introserv.com intake7@introserv.com"
for a in $extra; do echo "intake = $a web 5m"; done >> "$conf"
reloads=$(grep -c "configuration reloaded" "$log")
kill -USR1 "$(cat "$SUPPORTGATE_SANDBOX/run/milter.pid")"
for _ in $(seq 1 50); do [ "$(grep -c "configuration reloaded" "$log")" -gt "$reloads" ] && break; sleep 0.1; done
t_assert_true [ "$(grep -c "configuration reloaded" "$log")" -gt "$reloads" ] "the milter reloaded"
mid=$(uniq_id)
f=$(customer_mail "<seven.t10.${run}@example.net>" "$mid" "Through the seventh" <<<"Hello seventh address.")
sb send --to intake7@introserv.com "$f" >/dev/null
t=$(ticket_of "$mid")
t_assert_eq "web 300" "$(sb_sql "select channel || ' ' || extract(epoch from due_ack - created_at)::int from tickets where id = $t")" \
    "mail to the seventh intake is a ticket on its channel and acknowledgement target"
t_assert_eq 1 "$(wait_mail seven.t10.${run}@example.net 1 | grep -c .)" "and its customer is acknowledged"
# Mail from one of the gateway's own addresses is never answered (it would loop): each of the seven is one.
for a in support@introserv.com chat@introserv.com $extra; do
    own=$(uniq_id)
    f=$(customer_mail "<$a>" "$own" "From our own $a" <<<"A mail from one of our own addresses.")
    sb send --from "$a" "$f" >/dev/null
    ticket_of "$own" >/dev/null
    t_assert_eq "own-address" "$(sb_sql "select auto_verdict from messages where message_id = '$own'")" \
        "$a is recognised as the gateway's own"
done
cp "$conf.t10" "$conf"
rm -f "$conf.t10"
reloads=$(grep -c "configuration reloaded" "$log")
kill -USR1 "$(cat "$SUPPORTGATE_SANDBOX/run/milter.pid")"
for _ in $(seq 1 50); do [ "$(grep -c "configuration reloaded" "$log")" -gt "$reloads" ] && break; sleep 0.1; done
t_assert_true [ "$(grep -c "configuration reloaded" "$log")" -gt "$reloads" ] "the milter reloaded the configuration as it was"
t_end
