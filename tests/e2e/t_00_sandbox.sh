# t_00_sandbox.sh - the sandbox itself: every part runs, mail that is not for an intake address passes untouched.
# shellcheck shell=bash

# In the plumbing mode (SG_SANDBOX_NO_MILTER=1) there is no schema, so ticket counts are not checked.
with_milter() { [ "${SG_SANDBOX_NO_MILTER:-0}" != 1 ]; }
ticket_count() { if with_milter; then sb_sql "select count(*) from tickets"; else echo n/a; fi; }
# The body of a delivered copy or of a source file: everything after the first empty line, without CRs.
body_of() { sed '1,/^\r\?$/d' "$1" | tr -d '\r'; }

t_case "every part of the sandbox reports running"
out=$(sb status)
rc=$?
t_assert_eq 0 "$rc" "status exits 0"
line() { grep "^$1 " <<< "$out"; }
t_assert_eq "postgresql running unix:$SUPPORTGATE_SANDBOX/pgsock/.s.PGSQL.5432" "$(line postgresql)" "PostgreSQL on its socket"
smtp=$SUPPORTGATE_SMTP_PORT sub=$SUPPORTGATE_SUBMISSION_PORT relay=$((SUPPORTGATE_SMTP_PORT + 1))
t_assert_eq "postfix running smtp 127.0.0.1:$smtp submission 127.0.0.1:$sub relay 127.0.0.1:$relay" "$(line postfix)" \
    "Postfix with its three listeners"
if with_milter; then
    t_assert_eq "milter running unix:$SUPPORTGATE_SANDBOX/run/milter.sock" "$(line milter)" "the milter on its socket"
    t_assert_match "^scheduler running pid [0-9]+$" "$(line scheduler)" "the scheduler"
fi
t_assert_eq 4 "$(grep -c . <<< "$out")" "one line per part"
t_end

t_case "a mail for someone who is not an intake address passes through untouched"
before=$(ticket_count)
f=$(mkmail <<'EOF'
From: Maria Kovalenko <maria.t00@example.com>
To: Someone <someone@example.org>
Subject: Lunch on Friday?
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Hi, are we still on for lunch on Friday at 13:00?
Привіт, до зустрічі!
EOF
)
mid=$(mail_id "$f")
sb send --to someone@example.org "$f" > /dev/null
t_assert_eq 0 "$?" "accepted"
got=$(wait_mail someone@example.org 1 | tail -n1)
t_assert_match "^$SUPPORTGATE_SANDBOX/mail/all/(new|cur)/" "$got" "delivered to the sandbox's Maildir"
t_assert_eq "<$mid>" "$(hdr "$got" Message-ID)" "it is the mail that was sent"
t_assert_eq "" "$(hdr "$got" X-Supportgate-Ticket)" "no X-Supportgate-Ticket header"
t_assert_eq "Lunch on Friday?" "$(hdr "$got" Subject)" "subject unchanged"
t_assert_eq "<maria.t00@example.com>" "$(hdr "$got" Return-Path)" "envelope sender from the From: header"
t_assert_eq "$(body_of "$f")" "$(body_of "$got")" "body unchanged"
t_assert_eq "$before" "$(ticket_count)" "no ticket recorded"
t_end

t_case "'sandbox mail' lists one recipient's copies oldest first, matching the address case-insensitively"
m1=$(plain_mail order.t00@example.com order.t00@example.org first 1)
m2=$(plain_mail order.t00@example.com order.t00@example.org second 2)
sb send --to order.t00@example.org "$m1" > /dev/null
wait_mail order.t00@example.org 1 > /dev/null
sb send --to Order.T00@Example.ORG "$m2" > /dev/null
paths=$(wait_mail ORDER.t00@example.org 2)
t_assert_eq 2 "$(grep -c . <<< "$paths")" "two copies"
t_assert_eq "first second" "$(while read -r p; do hdr "$p" Subject; done <<< "$paths" | paste -sd' ')" "oldest first"
t_assert_eq "" "$(sb mail nobody.t00@example.org)" "nothing for an address that got nothing"
t_end

t_case "'sandbox send' fails on an SMTP rejection and prints the server's reply"
f=$(plain_mail reject.t00@example.com reject.t00@example.org "will be refused" x)
out=$(sb send --to 'bad address@@example.org' "$f" 2>&1)
rc=$?
t_assert_true [ "$rc" -ne 0 ] "non-zero exit"
t_assert_match "5[0-9][0-9] " "$out" "the server's 5xx reply is shown"
t_end

t_case "the submission listener refuses unauthenticated mail and accepts an authenticated agent"
f=$(mkmail <<'EOF'
From: Probe <probe.t00@introserv.com>
To: <colleague.t00@example.org>
Subject: submission probe

hello
EOF
)
out=$(swaks --server "127.0.0.1:$SUPPORTGATE_SUBMISSION_PORT" --from probe.t00@introserv.com \
    --to colleague.t00@example.org --data "@$f" --suppress-data 2>&1)
t_assert_true [ $? -ne 0 ] "no authentication, no mail"
t_assert_match "<\\*\\* 5[0-9][0-9] " "$out" "refused with a 5xx"
sb send --auth probe.t00@introserv.com --to colleague.t00@example.org "$f" > /dev/null
t_assert_eq 0 "$?" "authenticated submission accepted"
got=$(wait_mail colleague.t00@example.org 1 | tail -n1)
t_assert_match "." "$got" "delivered"
t_assert_match "sasl_username=probe\\.t00@introserv\\.com" "$(cat "$SUPPORTGATE_SANDBOX/log/postfix.log")" \
    "Postfix saw the SASL login"
t_end

t_case "the scheduler's relay listener has no milter"
before=$(ticket_count)
f=$(mkmail <<'EOF'
From: INTROSERV Support <support@introserv.com>
To: <relay.t00@example.org>
Subject: relay probe to the support address

The gateway must not see mail that it sends itself.
EOF
)
mid=$(mail_id "$f")
out=$(swaks --server "127.0.0.1:$((SUPPORTGATE_SMTP_PORT + 1))" --from support-bounces@introserv.com \
    --to support@introserv.com --data "@$f" --suppress-data 2>&1)
t_assert_eq 0 "$?" "the relay accepts mail from loopback"
copy=$(find_mail support@introserv.com "$mid")
t_assert_match "." "$copy" "delivered to the support mailbox"
t_assert_eq "" "$(hdr "$copy" X-Supportgate-Ticket)" "not filtered by the milter"
t_assert_eq "$before" "$(ticket_count)" "no ticket recorded"
t_end

t_case "an idle scheduler sleeps until mail is due instead of passing without pause"
# Nothing waits in the outbox once the demo mail's acknowledgement has left.
t_assert_eq 0 "$(wait_sql "select count(*) from outbox where sent_at is null and failed_at is null" 0 30)" \
    "the outbox is empty"
# Count the database's transactions over 6 s: nothing else runs now, and every pass makes several.
commits() { sb_sql "select xact_commit from pg_stat_database where datname = current_database()"; }
before=$(commits)
sleep 6
made=$(( $(commits) - before ))
# Asleep it passes once per scheduler_poll (5 s), a few dozen transactions at most; passing without pause it
# made hundreds a second.
t_assert_true [ "$made" -lt 300 ] "a pass or two in 6 s idle ($made transactions)"
t_end
