-- tests/valgrind/milter.lua - drives a running supportgate-milter through every callback path for the valgrind check.
--
-- Globals from miltertest -D: sock (the filter's socket, e.g. unix:/tmp/x/milter.sock) and run (a token that makes
-- this run's Message-IDs unique).  Each step prints "step NAME ok"; the first failure raises an error, which the
-- pcall at the end prints and turns into a non-zero exit (a bare Lua error exits 1 without a word).

local function check(cond, what)
    if not cond then error(what, 2) end
end

local function ok(err, what)
    if err ~= nil then error(what .. ": " .. tostring(err), 2) end
end

local function open(client)
    local c = mt.connect(sock, 60, 0.5)
    check(c ~= nil, "cannot connect to " .. tostring(sock))
    ok(mt.conninfo(c, client, "127.0.0.1"), "conninfo")
    -- The filter has no HELO callback: libmilter negotiates that step away, and miltertest then refuses it.
    if not mt.test_option(c, SMFIP_NOHELO) then
        ok(mt.helo(c, client), "helo")
    end
    return c
end

-- One message on connection c; headers is a list of {name, value}; returns the milter's reply to eom.
local function message(c, from, rcpt, headers, body, qid)
    mt.macro(c, SMFIC_MAIL, "i", qid, "{mail_addr}", from)
    ok(mt.mailfrom(c, "<" .. from .. ">"), "mailfrom " .. from)
    mt.macro(c, SMFIC_RCPT, "i", qid, "{rcpt_addr}", rcpt)
    ok(mt.rcptto(c, "<" .. rcpt .. ">"), "rcptto " .. rcpt)
    -- Mail for nobody it serves is accepted at DATA; an MTA then sends nothing more of it.
    ok(mt.data(c), "data")
    if mt.getreply(c) == SMFIR_ACCEPT then return SMFIR_ACCEPT end
    -- The filter asks the MTA not to wait for answers to headers, end of headers and body (SMFIP_NR_*).
    check(mt.test_option(c, SMFIP_NR_HDR), "the filter did not ask for headers without replies")
    for _, h in ipairs(headers) do
        ok(mt.header(c, h[1], h[2]), "header " .. h[1])
    end
    ok(mt.eoh(c), "eoh")
    ok(mt.bodystring(c, body), "body")
    ok(mt.eom(c), "eom")
    return mt.getreply(c)
end

local function mid(name) return "<vg." .. run .. "." .. name .. "@valgrind.test>" end

local function std_headers(from, subject, name, extra)
    local h = {
        { "From", from }, { "To", "support@introserv.com" }, { "Subject", subject },
        { "Message-ID", mid(name) }, { "Date", "Wed, 25 Nov 2026 10:00:00 +0000" },
    }
    for _, e in ipairs(extra or {}) do h[#h + 1] = e end
    return h
end

local function main()
    check(sock ~= nil and run ~= nil, "miltertest needs -D sock=... -D run=...")
    -- The database work of the first mail, under valgrind, takes seconds.
    mt.set_timeout(60)

    -- 1. A customer's mail: recorded, tagged for the support mailbox, copied to the team.
    local c = open("customer.vg.test")
    local r = message(c, "customer." .. run .. "@vg.example.net", "support@introserv.com",
        std_headers("Customer <customer." .. run .. "@vg.example.net>", "Disk full on vps-17", "customer"),
        "Hello,\r\nthe disk of vps-17 is full since last night.\r\n", "VG0001")
    check(r == SMFIR_CONTINUE, "customer mail: reply " .. tostring(r))
    check(mt.eom_check(c, MT_HDRADD, "X-Supportgate-Ticket"), "customer mail: no X-Supportgate-Ticket")
    ok(mt.disconnect(c), "disconnect")
    print("step customer ok")

    -- 2. An out-of-office reply: recorded, not acknowledged (the database check after the run says so).
    c = open("ooo.vg.test")
    r = message(c, "ooo." .. run .. "@vg.example.net", "support@introserv.com",
        std_headers("Away <ooo." .. run .. "@vg.example.net>", "Out of office", "autoreply",
            { { "Auto-Submitted", "auto-replied" }, { "X-Autoreply", "yes" } }),
        "I am away until Monday.\r\n", "VG0002")
    check(r == SMFIR_CONTINUE, "auto-reply: reply " .. tostring(r))
    ok(mt.disconnect(c), "disconnect")
    print("step autoreply ok")

    -- 3. A broken MIME body: boundary never closed, invalid base64, an unknown charset.
    c = open("broken.vg.test")
    r = message(c, "broken." .. run .. "@vg.example.net", "support@introserv.com",
        std_headers("Broken <broken." .. run .. "@vg.example.net>", "=?x-unknown?B?!!!?= broken", "malformed",
            { { "MIME-Version", "1.0" }, { "Content-Type", "multipart/mixed; boundary=\"zz\"" } }),
        "--zz\r\nContent-Type: text/plain; charset=x-no-such-charset\r\nContent-Transfer-Encoding: base64\r\n\r\n" ..
        "%%%not base64%%%\r\n--zz\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\n" ..
        "Content-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=4\r\n--z\r\n", "VG0003")
    check(r == SMFIR_CONTINUE, "malformed mail: reply " .. tostring(r))
    ok(mt.disconnect(c), "disconnect")
    print("step malformed ok")

    -- 4. The client gives up in the middle of the body: the message state must be released, nothing recorded.
    c = open("abort.vg.test")
    mt.macro(c, SMFIC_MAIL, "i", "VG0004")
    ok(mt.mailfrom(c, "<abort." .. run .. "@vg.example.net>"), "mailfrom")
    ok(mt.rcptto(c, "<support@introserv.com>"), "rcptto")
    for _, h in ipairs(std_headers("Quitter <abort." .. run .. "@vg.example.net>", "Never finished", "aborted")) do
        ok(mt.header(c, h[1], h[2]), "header")
    end
    ok(mt.eoh(c), "eoh")
    ok(mt.bodystring(c, string.rep("half a message\r\n", 200)), "body")
    ok(mt.abort(c), "abort")
    -- The same connection goes on with a complete message after the abort.
    r = message(c, "abort." .. run .. "@vg.example.net", "support@introserv.com",
        std_headers("Quitter <abort." .. run .. "@vg.example.net>", "Second try", "after-abort"),
        "This time the whole message.\r\n", "VG0005")
    check(r == SMFIR_CONTINUE, "message after abort: reply " .. tostring(r))
    ok(mt.disconnect(c), "disconnect")
    print("step abort ok")

    -- 5. Several messages on one connection: a new ticket, a reply to it, mail for someone else (accepted at
    --    DATA and never recorded), and one more customer mail.
    c = open("multi.vg.test")
    local who = "multi." .. run .. "@vg.example.net"
    r = message(c, who, "support@introserv.com", std_headers(who, "First of three", "multi-1"),
        "One.\r\n", "VG0006")
    check(r == SMFIR_CONTINUE, "multi 1: reply " .. tostring(r))
    r = message(c, who, "support@introserv.com",
        std_headers(who, "Re: First of three", "multi-2", { { "In-Reply-To", mid("multi-1") } }),
        "Two, a reply.\r\n", "VG0007")
    check(r == SMFIR_CONTINUE, "multi 2: reply " .. tostring(r))
    r = message(c, who, "someone.else@vg.example.net",
        { { "From", who }, { "To", "someone.else@vg.example.net" }, { "Subject", "not for support" },
          { "Message-ID", mid("multi-other") } },
        "Not support mail.\r\n", "VG0008")
    check(r == SMFIR_ACCEPT, "multi other: reply " .. tostring(r))
    r = message(c, who, "chat@introserv.com", std_headers(who, "Third, by chat", "multi-3"),
        "Three.\r\n", "VG0009")
    check(r == SMFIR_CONTINUE, "multi 3: reply " .. tostring(r))
    ok(mt.disconnect(c), "disconnect")
    print("step multi ok")

    -- 6. A connection that ends without any message, and one dropped without the polite quit.
    c = open("idle.vg.test")
    ok(mt.disconnect(c), "disconnect")
    c = open("rude.vg.test")
    ok(mt.mailfrom(c, "<rude." .. run .. "@vg.example.net>"), "mailfrom")
    mt.disconnect(c, false)
    print("step disconnects ok")
end

local good, err = pcall(main)
if not good then
    print("FAILED: " .. tostring(err))
    error(err)
end
print("all steps ok")
