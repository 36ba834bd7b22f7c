# t_20_content.sh - what customers really send: Cyrillic in legacy charsets, HTML-only mail, forged headers.

# Addresses unique to this run, so the file can run again on a sandbox that has data.
run=$RANDOM$RANDOM

# A raw mail from printf-style pieces; prints its path.
raw_mail() { local f; f=$(mktemp "${TMPDIR:-/tmp}/sg-mail.XXXXXX"); cat > "$f"; echo "$f"; }
cp1251() { printf '%s' "$1" | iconv -f UTF-8 -t WINDOWS-1251; }
koi8u() { printf '%s' "$1" | iconv -f UTF-8 -t KOI8-U; }

t_case "a Ukrainian windows-1251 mail reads correctly and is acknowledged in Ukrainian"
mid=$(uniq_id)
subj_b64=$(cp1251 "Повільно працює VPS" | base64 -w0)
f=$( { printf "From: =?windows-1251?B?%s?= <oksana.t20.${run}@example.ua>\r\n" "$(cp1251 "Оксана" | base64 -w0)"
       printf 'To: support@introserv.com\r\nSubject: =?windows-1251?B?%s?=\r\nMessage-ID: <%s>\r\n' "$subj_b64" "$mid"
       printf 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=windows-1251\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'
       cp1251 "Добрий день! Мій сервер працює дуже повільно з учора."; printf '\r\n'; } | raw_mail)
sb send "$f" >/dev/null
t=$(wait_sql "select ticket_id from messages where message_id = '$mid'" '' 15)
t_assert_eq "Повільно працює VPS" "$(sb_sql "select subject from tickets where id = $t")" "subject decoded to UTF-8"
t_assert_match "Мій сервер працює дуже повільно" "$(sb_sql "select body from messages where message_id = '$mid'")" \
    "body converted from windows-1251"
t_assert_eq "uk" "$(sb_sql "select lang from tickets where id = $t")" "language detected as Ukrainian"
ack=$(wait_mail oksana.t20.${run}@example.ua 1 | head -1)
t_assert_match "^Вітаємо, Оксано!" "$(sb_sql "select body from messages where ticket_id = $t and kind = 'ack'")" \
    "acknowledgement text is Ukrainian, greeting the customer in the vocative"
t_assert_match "інженер відповість вам особисто до [0-9]{2}:[0-9]{2} \\(за київським часом\\)" \
    "$(sb_sql "select body from messages where ticket_id = $t and kind = 'ack'")" "with the time on the Kyiv clock"
t_assert_match "utf-8" "$(hdr "$ack" Content-Type)" "acknowledgement declares its charset"
t_end

t_case "a koi8-u mail without a declared charset is guessed correctly"
mid=$(uniq_id)
f=$( { printf "From: <taras.t20.${run}@example.ua>\r\nTo: support@introserv.com\r\nSubject: koi8\r\nMessage-ID: <%s>\r\n\r\n" "$mid"
       koi8u "Рахунок за сервер не оплачено, допоможіть будь ласка"; printf '\r\n'; } | raw_mail)
sb send "$f" >/dev/null
wait_sql "select count(*) from messages where message_id = '$mid'" 1 15 >/dev/null
t_assert_match "Рахунок за сервер не оплачено" "$(sb_sql "select body from messages where message_id = '$mid'")" \
    "undeclared koi8-u text converted"
t_end

t_case "an HTML-only mail is stored as readable text"
mid=$(uniq_id)
f=$( { printf "From: <html.t20.${run}@example.net>\r\nTo: support@introserv.com\r\nSubject: HTML only\r\nMessage-ID: <%s>\r\n" "$mid"
       printf 'MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n'
       printf '<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><p>Hello &amp; welcome,</p><p>my site is <b>down</b>&nbsp;now.</p></body></html>\r\n'; } | raw_mail)
sb send "$f" >/dev/null
wait_sql "select count(*) from messages where message_id = '$mid'" 1 15 >/dev/null
body=$(sb_sql "select body from messages where message_id = '$mid'")
t_assert_match "Hello & welcome," "$body" "entities decoded"
t_assert_match "my site is down" "$body" "inline markup removed"
t_assert_eq "" "$(grep -E '<|alert|color:red' <<<"$body")" "no tags, script or style left"
t_end

t_case "attachments are recorded with their names and sizes"
mid=$(uniq_id)
f=$( { printf "From: <att.t20.${run}@example.net>\r\nTo: support@introserv.com\r\nSubject: Logs attached\r\nMessage-ID: <%s>\r\n" "$mid"
       printf 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="xx"\r\n\r\n--xx\r\nContent-Type: text/plain\r\n\r\nSee the log.\r\n'
       printf -- '--xx\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="error.log"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
       head -c 3000 /dev/zero | base64; printf -- '--xx--\r\n'; } | raw_mail)
sb send "$f" >/dev/null
wait_sql "select count(*) from messages where message_id = '$mid'" 1 15 >/dev/null
t_assert_eq "error.log 3000" "$(sb_sql "select a->>'filename' || ' ' || (a->>'size') from messages, jsonb_array_elements(attachments) a where message_id = '$mid'")" \
    "attachment name and decoded size"
t_end

t_case "an X-Supportgate-Ticket header from outside is replaced, not trusted"
mid=$(uniq_id)
f=$( { printf "From: <forger.t20.${run}@example.net>\r\nTo: support@introserv.com\r\nSubject: hello\r\nX-Supportgate-Ticket: 1\r\nMessage-ID: <%s>\r\n\r\nhi\r\n" "$mid"; } | raw_mail)
sb send "$f" >/dev/null
t=$(wait_sql "select ticket_id from messages where message_id = '$mid'" '' 15)
copy=""
for _ in $(seq 1 30); do
    copy=$(sb mail support@introserv.com | while read -r p; do grep -l "^Message-ID: <$mid>" "$p"; done | head -1)
    [ -n "$copy" ] && break
    sleep 0.5
done
t_assert_eq "$t" "$(grep -i '^X-Supportgate-Ticket:' "$copy" | sed 's/^[^:]*: *//' | tr -d '\r' | paste -sd,)" \
    "only the gateway's own ticket header remains"
t_end
