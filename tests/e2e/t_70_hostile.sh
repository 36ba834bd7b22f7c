# t_70_hostile.sh - hostile and broken mail: each becomes a ticket or a clear refusal; nothing crashes or leaks headers.

corpus=$(mktemp -d)
RUN=$RANDOM$RANDOM "$SG_SRCDIR/tests/mail/make-hostile" "$corpus"
# A crash the sandbox hid by a restart would still change the PID.
milter_pid=$(head -n1 "$SUPPORTGATE_SANDBOX/run/milter.pid")

for name in truncated noboundary manyparts deep badb64 badqp unknowncs lyingcs nul longheader crlfsubject crlfname sql \
    badtnef cuttnef; do
    t_case "hostile mail '$name' becomes a ticket"
    f=$corpus/$name.eml
    mid=$(hdr "$f" Message-ID | tr -d '<>')
    out=$(sb send "$f" 2>&1); rc=$?
    t_assert_eq 0 "$rc" "accepted by the gateway ($out)"
    t=$(wait_sql "select ticket_id from messages where message_id = '$mid'" '' 20)
    t_assert_match '^[0-9]+$' "$t" "recorded"
    t_assert_eq "t" "$(sb_sql "select body !~ '\\x01' and subject !~ '[\\r\\n]' from messages where message_id = '$mid'")" \
        "stored subject has no line breaks"
    # Postfix cuts any header at 60,000 bytes before a milter sees it (its guard for libmilter's request limit,
    # whatever header_size_limit says): the milter must have had all of those, the rest of the mail included.
    [ "$name" = longheader ] && t_assert_true [ "$(sb_sql "select size from messages where message_id = '$mid'")" -gt 60000 ] \
        "the header line reached the milter up to Postfix's 60,000-byte cut"
    # A TNEF stream that cannot be read is kept as the file it came as, not dropped.
    [[ $name == *tnef ]] && t_assert_eq "winmail.dat" "$(sb_sql "select string_agg(a.filename, ' ') from attachments a
        join messages m on m.id = a.message_id where m.message_id = '$mid'")" "winmail.dat kept as it came"
    t_end
done

t_case "the milter is still alive after the corpus, the same process as before it"
t_assert_match "milter running" "$(sb status)" "milter running"
t_assert_match '^[0-9]+$' "$milter_pid" "the milter's PID before the corpus"
t_assert_eq "$milter_pid" "$(head -n1 "$SUPPORTGATE_SANDBOX/run/milter.pid")" "no crash or restart: the same PID"
t_assert_true kill -0 "$milter_pid" "that process still runs"
t_end

t_case "an injected line break in a subject or name never becomes a header of the acknowledgement"
for who in crlfsubject crlfname; do
    ack=$(wait_mail "hostile.$who@example.net" 1 | tail -1)
    t_assert_true test -n "$ack" "acknowledged ($who)"
    t_assert_eq "" "$(sed '/^\r\?$/q' "$ack" | grep -i '^Bcc:')" "no Bcc header in the acknowledgement ($who)"
done
t_end

t_case "the SQL-looking subject is stored as text and the tables survive"
t_assert_eq "'); DROP TABLE tickets; --" "$(sb_sql "select subject from tickets where requester = 'hostile.sql@example.net' order by id desc limit 1")" \
    "subject stored verbatim"
t_end

t_case "a mail over max_message_size is refused with a clear SMTP reply and not recorded"
f=$corpus/huge.eml
mid=$(hdr "$f" Message-ID | tr -d '<>')
out=$(sb send "$f" 2>&1); rc=$?
t_assert_true [ "$rc" -ne 0 ] "refused"
t_assert_match "552" "$out" "552 with the reason"
t_assert_eq 0 "$(sb_sql "select count(*) from messages where message_id = '$mid'")" "nothing recorded"
t_end
rm -rf "$corpus"
