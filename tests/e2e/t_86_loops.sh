# t_86_loops.sh - mail loops and floods: no acknowledgement to machine mail, a bomb capped per sender, two gateways never ping-pong.
#
# CI runs bounded sizes (200 each); SG_LONG=1 (contrib/sandbox test --long) sends 1,000 auto-replies and 1,000 bomb mails.
# Twenty simultaneous 10-mail bursts (200 mails at every size) give the per-sender limit's lock twenty races to lose.
# The second installation (its own PostgreSQL and Postfix) takes SG_TEST_B_SANDBOX (default: the e2e sandbox's path
# + "-b") and SG_TEST_B_SMTP_PORT / SG_TEST_B_SUBMISSION_PORT (relay = SMTP port + 1; unset, free ports drawn at run time).

run=$RANDOM$RANDOM
if [ "${SG_LONG:-0}" = 1 ]; then n_auto=1000 n_bomb=1000; else n_auto=200 n_bomb=200; fi
fdom=f$run.example.net     # the auto-repliers, one address each
bomber=bomber@m$run.example.net

# delivered_to_domain SANDBOX DOMAIN [NEWER-THAN-FILE] - the Maildir copies delivered to addresses in DOMAIN (one
# path per line); with a third argument only those delivered after that file was last changed.
delivered_to_domain() {
    local newer=()
    [ -z "${3:-}" ] || newer=(--newer "$3")
    maildir_index "${newer[@]}" "$1/mail/all" | in_domain "$2" | cut -f7
}

# The configured per-sender limit, else the documented default (supportgate.conf.example names it).
ack_limit=$(sed -n 's/^[[:space:]]*ack_limit_per_hour[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' "$SUPPORTGATE_SANDBOX/supportgate.conf" | tail -n1)
[ -n "$ack_limit" ] ||
    ack_limit=$(sed -n 's/^#ack_limit_per_hour[[:space:]]*=[[:space:]]*\([0-9]*\).*/\1/p' "$SG_SRCDIR/doc/supportgate.conf.example")

# ------------------------------------------------------------------------------------------------------------------
t_case "$n_auto auto-replies, out-of-office, bounces and list mail: each a ticket with its reason, zero acknowledgements"
# Each kind comes from its own address, so the per-sender limit can never be what keeps an ack back, and each
# kind expects the reason the gateway must record (messages.auto_verdict).  The expectation per kind is printed
# alongside the spool (kind TAB verdict), so the check below compares counts verdict by verdict.
spool=$(mktemp "${TMPDIR:-/tmp}/sg-spool.XXXXXX")
expect=$(mktemp "${TMPDIR:-/tmp}/sg-expect.XXXXXX")
awk -v run="$run" -v dom="$fdom" -v n="$n_auto" -v date="$(date -R)" -v expect="$expect" '
    function head(env, from, subj, extra) {
        printf "\001 %s support@introserv.com\n", env
        printf "From: %s\nTo: support@introserv.com\nSubject: %s\nMessage-ID: <f%s.%d@loops.test>\nDate: %s\n%s", from, subj, run, i, date, extra
    }
    function plain(body) { printf "\n%s\n", body }
    BEGIN {
        for (i = 1; i <= n; i++) {
            k = i % 14; a = "r" i "@" dom
            if (k == 0) { v = "auto-submitted"; head(a, a, "Out of office: Re: invoice", "Auto-Submitted: auto-replied\n"); plain("I am away until Monday.") }
            if (k == 1) { v = "auto-submitted"; head(a, a, "Automatic reply: server down", "Auto-Submitted: auto-generated\nX-Auto-Response-Suppress: All\n"); plain("I am on leave.") }
            if (k == 2) { v = "auto-submitted"; head(a, a, "Vacation", "Auto-Submitted: (vacation program) Auto-Replied; owner-email=\"x@y\"\n"); plain("Away.") }
            if (k == 3) { v = "suppressed"; head(a, a, "Re: your mail", "X-Autoreply: yes\n"); plain("This is an automatic reply.") }
            if (k == 4) { v = "suppressed"; head(a, a, "Re: your mail", "X-Autorespond: Thank you for your mail\n"); plain("We got it.") }
            if (k == 5) { v = "precedence"; head(a, a, "Newsletter", "Precedence: bulk\n"); plain("Our offers this week.") }
            if (k == 6) { v = "precedence"; head(a, a, "You won", "Precedence: JUNK\n"); plain("Click here.") }
            if (k == 7) { v = "precedence"; head(a, a, "[ops] digest", "Precedence: list\n"); plain("Digest of the day.") }
            if (k == 8) { v = "mailing-list"; head(a, a, "[users] question", "List-Id: Users <users.lists.example.org>\nList-Unsubscribe: <mailto:users-leave@lists.example.org>\n"); plain("A list post.") }
            if (k == 9) {
                # A bounce: null envelope sender, a delivery report naming one of our acknowledgements.
                v = "null-sender"; m = "MAILER-DAEMON@mx" i "." dom
                head("<>", "Mail Delivery System <" m ">", "Undelivered Mail Returned to Sender",
                     "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"dsn" i "\"\n")
                printf "\nThis is a MIME-encapsulated message.\n\n--dsn%d\nContent-Type: text/plain\n\nYour message could not be delivered.\n", i
                printf "\n--dsn%d\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx%d.%s\n\nFinal-Recipient: rfc822; gone%d@%s\nAction: failed\nStatus: 5.1.1\n", i, i, dom, i, dom
                printf "\n--dsn%d\nContent-Type: text/rfc822-headers\n\nFrom: INTROSERV Support <support@introserv.com>\nSubject: [INTROSERV #1] Load test\nAuto-Submitted: auto-replied\n\n--dsn%d--\n", i, i
            }
            if (k == 10) {
                # A delivery report sent with a real envelope sender: still machine mail.
                v = "auto-submitted"
                head(a, "Delivery Reports <" a ">", "Delivery Status Notification (Delay)",
                     "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"dl" i "\"\n")
                printf "\n--dl%d\nContent-Type: text/plain\n\nStill trying.\n\n--dl%d\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.%s\n\nFinal-Recipient: rfc822; x@%s\nAction: delayed\nStatus: 4.4.1\n\n--dl%d--\n", i, i, dom, dom, i
            }
            if (k == 11) { v = "suppressed"; head(a, a, "Automatic reply", "X-Auto-Response-Suppress: DR, OOF, AutoReply\n"); plain("Out of the office.") }
            if (k == 12) { v = "loop"; head(a, a, "Re: [INTROSERV #1] forwarded back", "X-Loop: support@introserv.com\n"); plain("Forwarded by a rule.") }
            if (k == 13) { v = "system-sender"; m = "mailer-daemon@relay" i "." dom; head(m, "Mailer Daemon <" m ">", "Warning: message delayed", ""); plain("Your message is delayed.") }
            print v > expect
        }
    }' > "$spool"
t_blast auto-replies 20 "$spool" "$n_auto"
recorded=$(sb_sql "select count(*) from messages where message_id like 'f$run.%@loops.test'")
t_assert_eq "$n_auto" "$recorded" "every mail recorded once"
t_assert_eq "$n_auto" "$(sb_sql "select count(*) from tickets where requester like '%$fdom'")" \
    "each a new ticket (nothing joins a ticket it does not belong to)"
t_assert_eq "$(sort "$expect" | uniq -c | awk '{ print $2 "=" $1 }' | paste -sd' ')" \
    "$(sb_sql "select coalesce(auto_verdict, 'NONE') || '=' || count(*) from messages where message_id like 'f$run.%@loops.test'
        group by auto_verdict order by auto_verdict" | paste -sd' ')" "the reason recorded, verdict by verdict"
t_assert_eq 0 "$(sb_sql "select count(*) from outbox where rcpt like '%$fdom'")" "acknowledgements queued"
t_assert_eq 0 "$(sb_sql "select count(*) from tickets where requester like '%$fdom' and due_ack is not null")" \
    "no acknowledgement clock started"
auto_case_failed=$T_CASE_FAILED
# The deliveries are checked after the bomb case below, whose own acks show the scheduler has been through.
t_end

# ------------------------------------------------------------------------------------------------------------------
t_case "a mail bomb of $n_bomb mails from one sender: every mail a ticket, acknowledgements capped at ack_limit_per_hour = $ack_limit"
t_assert_match '^[0-9]+$' "$ack_limit" "ack_limit_per_hour read from the sandbox configuration or its documented default"
want_acks=$((n_bomb < ack_limit ? n_bomb : ack_limit))
spool_b=$(mktemp "${TMPDIR:-/tmp}/sg-spool.XXXXXX")
awk -v run="$run" -v who="$bomber" -v n="$n_bomb" -v date="$(date -R)" 'BEGIN {
    for (i = 1; i <= n; i++) {
        printf "\001 %s support@introserv.com\n", who
        printf "From: Angry Customer <%s>\nTo: support@introserv.com\nSubject: WHY IS NOBODY ANSWERING %d\n", who, i
        printf "Message-ID: <m%s.%d@loops.test>\nDate: %s\n\nAnswer now (%d).\n", run, i, date, i
    }
}' > "$spool_b"
# Concurrent sessions: the limit is counted under a per-sender lock, so racing mails must not slip past it.
t_blast bomb 20 "$spool_b" "$n_bomb"
recorded_b=$(sb_sql "select count(*) from messages where message_id like 'm$run.%@loops.test'")
t_assert_eq "$n_bomb" "$recorded_b" "every mail recorded once"
t_assert_eq "$n_bomb" "$(sb_sql "select count(*) from tickets where requester = '$bomber'")" "every mail a ticket"
t_assert_eq "$want_acks" "$(sb_sql "select count(*) from outbox where kind = 'ack' and rcpt = '$bomber'")" "acknowledgements queued"
t_assert_eq "$((n_bomb - want_acks))" \
    "$(sb_sql "select count(*) from messages where message_id like 'm$run.%@loops.test' and auto_verdict = 'rate-limit'")" \
    "mails marked rate-limit"
# At least the expected number (a surplus must not make the wait run into its deadline).
wait_sql "select count(*) >= $want_acks from outbox where kind = 'ack' and rcpt = '$bomber' and sent_at is not null" t 120 > /dev/null
wait_mail "$bomber" "$want_acks" 60 > /dev/null
# A surplus acknowledgement would be in flight behind the last one: give it time to land before counting.
sleep 3
got=$(sb mail "$bomber" | grep -c .)
ids=$(sb mail "$bomber" | while IFS= read -r p; do hdr "$p" Message-ID; done | sort -u | grep -c .)
t_assert_eq "$want_acks" "$got" "acknowledgements delivered to the bomber"
t_figure "flood: bomb of one sender (limit $ack_limit/h)" "$n_bomb" "$recorded_b" "$got" "$((got - ids))" \
    "$((n_bomb - recorded_b))" "$(t_verdict)"
t_end

t_case "20 senders bombing at once, 10 mails each in one burst: each capped at ack_limit_per_hour = $ack_limit"
# The limit is decided when a sender's count crosses it; one bomber crosses it once, so racing mails get one
# chance to slip past.  Twenty bursts of ten simultaneous mails (one per session) give the race twenty chances.
want_each=$((10 < ack_limit ? 10 : ack_limit))
spool_c=$(mktemp "${TMPDIR:-/tmp}/sg-spool.XXXXXX")
awk -v run="$run" -v date="$(date -R)" 'BEGIN {
    for (j = 0; j < 200; j++) {
        who = "burst" int(j / 10) "@m" run ".example.net"
        printf "\001 %s support@introserv.com\n", who
        printf "From: <%s>\nTo: support@introserv.com\nSubject: burst %d\nMessage-ID: <c%s.%d@loops.test>\nDate: %s\n\nAgain (%d).\n", who, j, run, j, date, j
    }
}' > "$spool_c"
t_blast bursts 20 "$spool_c" 200
recorded_c=$(sb_sql "select count(*) from messages where message_id like 'c$run.%@loops.test'")
t_assert_eq 200 "$recorded_c" "every mail recorded once"
over=$(sb_sql "select coalesce(string_agg(rcpt || '=' || n, ' '), '') from (select rcpt, count(*) n from outbox
    where kind = 'ack' and rcpt like 'burst%@m$run.example.net' group by rcpt having count(*) > $want_each) x")
t_assert_eq "" "$over" "senders acknowledged more than $want_each times"
queued_c=$(sb_sql "select count(*) from outbox where kind = 'ack' and rcpt like 'burst%@m$run.example.net'")
t_assert_eq "$((20 * want_each))" "$queued_c" "acknowledgements queued in all"
t_figure "flood: 20 senders, 10-mail bursts" 200 "$recorded_c" "$queued_c" "$((queued_c > 20 * want_each ? queued_c - 20 * want_each : 0))" \
    "$((200 - recorded_c))" "$(t_verdict)"
t_end
rm -f "$spool_c"

t_case "after the scheduler has been through: nothing was delivered to any of the $n_auto auto-repliers"
delivered=$(delivered_to_domain "$SUPPORTGATE_SANDBOX" "$fdom" | grep -c .)
t_assert_eq 0 "$delivered" "copies delivered to the auto-repliers' addresses"
ok_auto=$([ "$auto_case_failed" = 0 ] && [ "$T_CASE_FAILED" = 0 ] && echo ok || echo FAILED)
t_figure "loops: auto-replies, bounces, lists" "$n_auto" "$recorded" "$delivered" 0 "$((n_auto - recorded))" "$ok_auto"
t_end
rm -f "$spool" "$spool_b" "$expect"

# ------------------------------------------------------------------------------------------------------------------
# Two installations mailing each other.  B is a different organisation (its own addresses and subject tag), set
# up by the sandbox script with INTROSERV's names replaced: were both support@introserv.com, B would refuse A's
# acknowledgement as mail from its own address and the exchange would stop for a reason no real pair shares.
b_sb=${SG_TEST_B_SANDBOX:-$SUPPORTGATE_SANDBOX-b}
b_smtp="" b_sub=""   # chosen by the case below
b_dom=pb$run.example
b_src=$(mktemp -d "${TMPDIR:-/tmp}/sg-b-src.XXXXXX")
mkdir -p "$b_src/contrib"
sed -e "s/introserv\.com/$b_dom/g" -e 's/^tag_prefix = INTROSERV$/tag_prefix = PARTNERB/' \
    -e 's/^support_name = INTROSERV Support$/support_name = Partner B Helpdesk/' \
    "$SG_SRCDIR/contrib/sandbox" > "$b_src/contrib/sandbox"
chmod 755 "$b_src/contrib/sandbox"
sed "s/introserv\.com/$b_dom/g" "$SG_SRCDIR/contrib/sandbox.conf.extra" > "$b_src/contrib/sandbox.conf.extra"
sed "s/introserv\.com/$b_dom/g" "$SG_SRCDIR/contrib/demo-mail.eml" > "$b_src/contrib/demo-mail.eml"
ln -s "$SG_SRCDIR/templates" "$b_src/templates"
# B's own sandbox in everything; no setting that makes a sandbox borrow another's database or configuration.
bsb() {
    env -u SG_SANDBOX_DB_FROM -u SG_SANDBOX_CONF_EXTRA -u SG_PREFIX SUPPORTGATE_SANDBOX="$b_sb" \
        SUPPORTGATE_SMTP_PORT="$b_smtp" SUPPORTGATE_SUBMISSION_PORT="$b_sub" "$b_src/contrib/sandbox" "$@"
}
b_sql() { psql_in "$b_sb" -c "$1"; }
b_down() {
    t_keep_daemon_logs "$b_sb" partner-b
    bsb reset > /dev/null 2>&1 || echo "# warning: could not reset the second installation in $b_sb"
    rm -rf "$b_src"
}
trap 'rc=$?; b_down; (exit $rc); t_file_exit' EXIT

t_case "two installations acknowledging each other: one human mail, the exchange stops by itself"
bsb reset > /dev/null 2>&1
t_ports SG_TEST_B_SMTP_PORT SG_TEST_B_SUBMISSION_PORT && b_smtp=$T_SMTP_PORT b_sub=$T_SUBMISSION_PORT
b_start=$(date +%s)
if ! bsb up > "${TMPDIR:-/tmp}/t86-b-up.log" 2>&1; then
    sed 's/^/#   /' "${TMPDIR:-/tmp}/t86-b-up.log" | tail -n 20
    t_fail "the second installation did not come up in $b_sb (smtp $b_smtp, submission $b_sub)"
fi
echo "# B up in $(($(date +%s) - b_start)) s"
t_assert_eq "support@$b_dom" "$(sed -n 's/^support_address = //p' "$b_sb/supportgate.conf")" "B has its own support address"

# The pump stands for the Internet between the two: a copy one side delivered to an address of the other's domain
# is submitted to the other side's SMTP listener, with the envelope sender it was delivered with.  The delivery
# trace lines (Return-Path, X-Original-To, Delivered-To) belong to the mailbox, not to the mail in transit.
marker=$(mktemp "${TMPDIR:-/tmp}/sg-pump-start.XXXXXX")
seen=$(mktemp "${TMPDIR:-/tmp}/sg-pump-seen.XXXXXX")
pump_log=$(mktemp "${TMPDIR:-/tmp}/sg-pump-log.XXXXXX")
pump_side() { # FROM-SANDBOX TO-PORT LABEL TO-DOMAIN - prints how many copies it moved
    local f moved=0 rcpt from tmp out
    while IFS= read -r f; do
        grep -qxF "$f" "$seen" && continue
        echo "$f" >> "$seen"
        rcpt=$(hdr "$f" Delivered-To | tr -d '<>' | tr '[:upper:]' '[:lower:]')
        from=$(hdr "$f" Return-Path | tr -d '<>')
        tmp=$(mktemp "${TMPDIR:-/tmp}/sg-pump.XXXXXX")
        awk 'body { print; next }
             /^\r?$/ { body = 1; print; next }
             tolower($0) ~ /^(return-path|x-original-to|delivered-to):/ && !dropped[tolower(substr($0, 1, index($0, ":")))]++ { next }
             { print }' "$f" > "$tmp"
        if out=$(swaks --server "127.0.0.1:$2" --helo pump.test --from "${from:-<>}" --to "$rcpt" --data "@$tmp" \
            --suppress-data --timeout 60 2>&1); then
            moved=$((moved + 1))
            printf '%s\t%s -> %s\t%s\n' "$3" "${from:-<>}" "$rcpt" "$(hdr "$tmp" Message-ID)" >> "$pump_log"
        else
            printf '%s\tREFUSED %s -> %s: %s\n' "$3" "${from:-<>}" "$rcpt" "$(grep -E '^(<\*\*|\*\*\*)' <<< "$out" | head -n1)" >> "$pump_log"
        fi
        rm -f "$tmp"
    done < <(delivered_to_domain "$1" "$4" "$marker")
    echo "$moved"
}
pending() { # SQL runner - outbox rows not yet sent that are due now (later retries are not part of this exchange)
    "$1" "select count(*) from outbox where sent_at is null and failed_at is null and next_attempt_at <= now()"
}
# A partner-B agent writes to INTROSERV from B's shared mailbox (a human mail, no auto-reply markers).
human_mid=$(uniq_id)
human=$(mkmail <<EOF
From: Partner B Helpdesk <support@$b_dom>
To: support@introserv.com
Subject: Your maintenance window overlaps ours
Message-ID: <$human_mid>

Hello, can you move tonight's maintenance by an hour?
EOF
)
t_assert_match '250' "$(sb send "$human" 2>&1)" "the human mail accepted by A"
a_to_b=0 b_to_a=0 quiet=0
start=$(date +%s)
deadline=$((start + 180))
last_move=$start
# Until nothing has moved for 6 s and neither side has mail due or queued; more than 20 moves is a loop.
while [ "$(date +%s)" -lt "$deadline" ] && [ $((a_to_b + b_to_a)) -le 20 ]; do
    n1=$(pump_side "$SUPPORTGATE_SANDBOX" "$b_smtp" "A->B" "$b_dom")
    n2=$(pump_side "$b_sb" "$SUPPORTGATE_SMTP_PORT" "B->A" introserv.com)
    a_to_b=$((a_to_b + n1)) b_to_a=$((b_to_a + n2))
    [ $((n1 + n2)) -eq 0 ] || last_move=$(date +%s)
    if [ $(($(date +%s) - last_move)) -ge 6 ] && [ "$(pending sb_sql)" = 0 ] && [ "$(pending b_sql)" = 0 ] &&
        postqueue -c "$SUPPORTGATE_SANDBOX/postfix" -p 2> /dev/null | grep -q 'Mail queue is empty' &&
        postqueue -c "$b_sb/postfix" -p 2> /dev/null | grep -q 'Mail queue is empty'; then
        quiet=1
        break
    fi
    sleep 0.5
done
echo "# pump ran $(($(date +%s) - start)) s"
sed 's/^/#   pump: /' "$pump_log"
t_assert_eq 1 "$quiet" "the exchange went quiet within 180 s (moves so far: A->B $a_to_b, B->A $b_to_a)"
# Expected: A files the human mail and acknowledges it to support@B; B files that acknowledgement as a ticket
# (mail it must keep) but answers nothing, because it is Auto-Submitted: one mail crosses, none comes back.
t_assert_eq "1 0" "$a_to_b $b_to_a" "mails that crossed (A->B, B->A)"
t_assert_eq 0 "$(grep -c REFUSED "$pump_log")" "mails one side refused"
a_ticket=$(sb_sql "select ticket_id from messages where message_id = '$human_mid'")
t_assert_match '^[0-9]+$' "$a_ticket" "A filed the human mail"
a_ack=$(sb_sql "select message_id from messages where ticket_id = ${a_ticket:-0} and kind = 'ack'")
t_assert_eq 1 "$(sb_sql "select count(*) from outbox where ticket_id = ${a_ticket:-0} and kind = 'ack' and sent_at is not null")" \
    "A acknowledged it once"
t_assert_eq "1 auto-submitted" "$(b_sql "select count(*) || ' ' || coalesce(max(auto_verdict), '') from messages where message_id = '$a_ack'")" \
    "B filed A's acknowledgement once, as auto-submitted"
t_assert_eq 0 "$(b_sql "select count(*) from outbox where rcpt like '%@introserv.com'")" "B queued nothing for INTROSERV"
t_assert_eq 0 "$(sb_sql "select count(*) from messages where sender like '%@$b_dom' and message_id <> '$human_mid'")" \
    "A received nothing more from B"
t_figure "loops: two installations, one human mail" 1 \
    "$(( $(sb_sql "select count(*) from messages where message_id in ('$human_mid', '$a_ack')") + $(b_sql "select count(*) from messages where message_id = '$a_ack'") ))" \
    "$(( $(sb_sql "select count(*) from outbox where ticket_id = ${a_ticket:-0} and kind = 'ack'") + $(b_sql "select count(*) from outbox where kind = 'ack' and rcpt like '%@introserv.com'") ))" \
    0 "$([ -n "$a_ticket" ] && echo 0 || echo 1)" "$(t_verdict)"
t_end

t_case "the second installation is gone and the e2e sandbox is healthy with its queue flushed"
t_keep_daemon_logs "$b_sb" partner-b
bsb reset > /dev/null 2>&1
t_assert_false test -e "$b_sb" "$b_sb removed"
t_assert_true sb status "every part of the e2e sandbox runs"
t_assert_queue_empty 120 "Postfix queue flushed"
t_end
rm -f "$marker" "$seen" "$pump_log"
