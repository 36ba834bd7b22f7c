# t_45_tokens.sh - replies join a ticket by one of the gateway's Message-IDs only when its signed token verifies; key rotation.

run=$RANDOM$RANDOM
SB=$SUPPORTGATE_SANDBOX

# reply FROM PARENT-ID [SUBJECT] - a mail from FROM answering PARENT-ID (In-Reply-To and References); prints the
# ticket it was recorded on.
reply() {
    local mid; mid=$(uniq_id)
    sb send "$(mkmail <<EOF2
From: <$1>
To: support@introserv.com
Subject: ${3:-Re: your mail}
Message-ID: <$mid>
In-Reply-To: <$2>
References: <$2>

Text that agents would read as the customer's.
EOF2
)" > /dev/null
    wait_sql "select ticket_id from messages where message_id = '$mid'" '' 15
}

# ack_id CUSTOMER TICKET - the Message-ID of the acknowledgement the gateway sent CUSTOMER on TICKET.
ack_id() {
    wait_sql "select message_id from messages where ticket_id = $2 and kind = 'ack'" '' 15 > /dev/null
    sb_sql "select message_id from messages where ticket_id = $2 and kind = 'ack'"
}

# reload_daemons - the milter (SIGUSR1) and the scheduler (SIGHUP) read the configuration and the keys again;
# returns once both logged it.
reload_daemons() {
    local m s
    m=$(grep -c 'configuration reloaded' "$SB/log/milter.log")
    s=$(grep -c 'configuration reloaded' "$SB/log/scheduler.log")
    kill -USR1 "$(cat "$SB/run/milter.pid")"
    kill -HUP "$(cat "$SB/run/scheduler.pid")"
    for _ in $(seq 1 50); do
        [ "$(grep -c 'configuration reloaded' "$SB/log/milter.log")" -gt "$m" ] &&
            [ "$(grep -c 'configuration reloaded' "$SB/log/scheduler.log")" -gt "$s" ] && return 0
        sleep 0.2
    done
    t_fail "the daemons did not log a reload within 10 s"
}

t_case "the gateway's Message-IDs are signed tokens from the kernel's generator, and a reply quoting one joins"
read -r t _ < <(open_ticket "cust.t45.$run@example.net" "Backups fail")
g=$(ack_id "cust.t45.$run@example.net" "$t")
t_assert_match "^sg\\.ack\\.$t\\.[0-9a-f]{32}\\.[0-9a-f]{32}@introserv\\.com\$" "$g" "the ack's Message-ID is a token"
got=$(wait_mail "cust.t45.$run@example.net" 1 | tail -1)
t_assert_eq "<$g>" "$(hdr "$got" Message-ID)" "as delivered"
t_assert_eq "$t" "$(reply "helper.t45.$run@example.org" "$g")" "a reply quoting the genuine token joins ticket #$t"
t_end

t_case "a changed or made-up token joins nothing: the mail opens a ticket of its own"
# The MAC's last digit changed; a well-formed token for the ticket with a MAC of our choosing.
last=${g:$((${#g} - 15)):1}
changed=${g:0:$((${#g} - 15))}$([ "$last" = 0 ] && echo 1 || echo 0)${g:$((${#g} - 14))}
t_assert_ne "$g" "$changed" "the test changed a byte"
forged="sg.ack.$t.$(printf '%032x' "$run").$(printf '%032x' 7)@introserv.com"
for id in "$changed" "$forged"; do
    got=$(reply "stranger.t45.$run@example.org" "$id")
    t_assert_ne "$t" "$got" "a reply quoting $id does not join #$t"
    t_assert_ne "" "$got" "it is recorded, as a ticket of its own"
done
# Even a Message-ID that is on the ticket as sent by us, but not signed by our key (an id from before tokens, or
# one an attacker predicted), does not join.
legacy="sg.ack.$t.62137e42aa00bb11cc22dd33@introserv.com"
sb_sql "insert into messages (ticket_id, direction, kind, message_id, sender) values ($t, 'out', 'ack', '$legacy', 'support@introserv.com')" > /dev/null
t_assert_ne "$t" "$(reply "stranger.t45.$run@example.org" "$legacy")" "an unsigned id recorded on #$t does not join it"
# The subject tag does not help a stranger with a forged token either.
got=$(reply "stranger.t45.$run@example.org" "$forged" "Re: [INTROSERV #$t] Backups fail")
t_assert_ne "$t" "$got" "a stranger's tagged reply with a forged token does not join #$t"
t_assert_match "mentions ticket #$t, not joined" "$(sb_sql "select detail from events where ticket_id = $got and type = 'created'")" \
    "the new ticket says why"
t_assert_eq "$t" "$(reply "cust.t45.$run@example.net" "$forged" "Re: [INTROSERV #$t] Backups fail")" \
    "the requester's tagged reply still joins by the tag"
t_end

t_case "config check verifies the reply key: present, readable, private"
t_assert_match "supportgate.conf: ok" "$(sb cli config check 2>&1)" "the sandbox's key passes"
chmod 0640 "$SB/reply.key"
out=$(sb cli config check 2>&1); rc=$?
chmod 0600 "$SB/reply.key"
t_assert_ne 0 "$rc" "config check fails on a group-readable key"
t_assert_match "reply_key_file: .*reply.key: the reply key is open to group or others" "$out" "and says why"
t_end

t_case "after a key rotation the old tokens still join within the grace period, and no longer after it"
mv "$SB/reply.key" "$SB/reply.key.previous"
t_assert_match "created the reply key $SB/reply.key" "$(sb cli db migrate 2>&1)" "db migrate creates the new key"
t_assert_eq "600" "$(stat -c %a "$SB/reply.key")" "mode 0600"
t_assert_true test -n "$(cmp "$SB/reply.key" "$SB/reply.key.previous" 2>&1)" "a different key"
reload_daemons
t_assert_eq "$t" "$(reply "helper2.t45.$run@example.org" "$g")" "the pre-rotation token joins #$t within the grace"
read -r t2 _ < <(open_ticket "cust2.t45.$run@example.net" "Disk full")
g2=$(ack_id "cust2.t45.$run@example.net" "$t2")
t_assert_eq "$t2" "$(reply "helper3.t45.$run@example.org" "$g2")" "a token signed with the new key joins #$t2"
# The rotation is the new key's modification time: 31 days ago is past the default grace of 30 days.
touch -d '31 days ago' "$SB/reply.key"
reload_daemons
t_assert_ne "$t" "$(reply "helper4.t45.$run@example.org" "$g")" "after the grace the old token joins nothing"
t_assert_eq "$t2" "$(reply "helper5.t45.$run@example.org" "$g2")" "the new key's tokens still join"
rm -f "$SB/reply.key.previous"
touch "$SB/reply.key"
reload_daemons
t_end
