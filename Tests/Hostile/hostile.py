"""The hostile-input suite: attacks a running `sioscope serve` over real loopback sockets.

    hostile.py SIOSCOPE_BINARY [--only ID,ID] [--list]

It starts the server on Tests/Hostile/hostile.scenario with tight limits, then runs every case in
CASES. Each case sends something a broken or malicious peer could send and checks the server's
answer; after every case a healthy python-socketio client must still be served (connect, ack) and
the server process must still be running. Cases on guarded namespaces also check that the refused
peer received no namespace data. The case list with its sources is printed by --list and kept in
docs/HOSTILE.md. Exit status 0 only when every case passed.
"""
import argparse
import base64
import errno
import http.client
import json
import os
import socket
import string
import struct
import subprocess
import sys
import tempfile
import threading
import time

import socketio
import websocket

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Interop"))
from sioscope_serve import SioscopeServe  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO = os.path.join(HERE, "hostile.scenario")
ALLOWED_ORIGIN = "http://allowed.example"
MAX_PAYLOAD = 100_000  # the scenario's max-payload
HEADER_TIMEOUT = 1.5  # seconds, passed to serve
MAX_CONNECTIONS = 300
MAX_OUTBOUND = 262_144

CASES = []


def case(ident, title, source):
    def register(fn):
        CASES.append((ident, title, source, fn))
        return fn
    return register


class Server(SioscopeServe):
    """The sioscope serve process on the hostile scenario, with tight limits."""

    def __init__(self, binary):
        super().__init__(binary, ["--scenario", SCENARIO, "--max-connections", str(MAX_CONNECTIONS),
                                  "--header-timeout", str(HEADER_TIMEOUT), "--max-outbound-buffer", str(MAX_OUTBOUND)],
                         "hostile")


SERVER = None
PATH = "/socket.io/"


# MARK: HTTP helpers

class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


def request(method, query, body=None, headers=None, timeout=5, path=PATH):
    conn = http.client.HTTPConnection("127.0.0.1", SERVER.port, timeout=timeout)
    try:
        conn.request(method, path + query, body=body, headers=headers or {})
        r = conn.getresponse()
        return Reply(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
    finally:
        conn.close()


def raw(data, timeout=5, half_close=True, until=None):
    """Sends bytes on a fresh connection and returns everything read until the server closes, goes
    quiet, or what was read contains `until`."""
    s = socket.create_connection(("127.0.0.1", SERVER.port), timeout=timeout)
    chunks = []
    try:
        # A server that refuses early closes while bytes are still coming: the peer then sees a
        # reset, which may arrive before the refusal could be read, or make the half-close fail
        # with ENOTCONN once the connection is already gone.
        try:
            s.sendall(data)
            if half_close:
                s.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except OSError as error:
            if error.errno != errno.ENOTCONN:
                raise
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
            if until and until in b"".join(chunks):
                break
    except (socket.timeout, ConnectionResetError):
        pass
    finally:
        s.close()
    return b"".join(chunks)


def status_of(response_bytes):
    if not response_bytes.startswith(b"HTTP/1."):
        return None
    return int(response_bytes.split(b" ", 2)[1])


def expect_error(reply, status, code=None):
    assert reply.status == status, "expected HTTP %d, got %d %r" % (status, reply.status, reply.body[:200])
    if code is not None:
        got = reply.json().get("code")
        assert got == code, "expected error code %d, got %r" % (code, got)


def handshake():
    reply = request("GET", "?EIO=4&transport=polling")
    assert reply.status == 200, "handshake failed: %d" % reply.status
    assert reply.body[:1] == b"0"
    return json.loads(reply.body[1:])["sid"]


def post(sid, body, headers=None):
    return request("POST", "?EIO=4&transport=polling&sid=" + sid, body=body, headers=headers)


def poll(sid, timeout=5):
    return request("GET", "?EIO=4&transport=polling&sid=" + sid, timeout=timeout)


def session_gone(sid):
    """The session was closed: a poll on it is refused as an unknown sid (or answered with a close)."""
    deadline = time.time() + 3
    while True:
        reply = poll(sid, timeout=3)
        if reply.status == 400 and reply.json().get("code") == 1:
            return True
        if reply.status == 200 and reply.body.endswith(b"1"):
            continue  # the close packet: ask again, the sid must be gone now
        if time.time() > deadline:
            return False
        time.sleep(0.05)


def polling_messages(sid, want, timeout=3):
    """Polls until `want(messages)` says enough; returns every Engine.IO packet received."""
    got = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        reply = poll(sid, timeout=timeout)
        if reply.status != 200:
            break
        for packet in reply.body.split(b"\x1e"):
            if packet == b"2":
                post(sid, b"3")
            elif packet:
                got.append(packet.decode("utf-8", "replace"))
        if want(got):
            break
    return got


# MARK: WebSocket helpers

def ws_open(query="?EIO=4&transport=websocket", headers=None, timeout=5):
    ws = websocket.create_connection("ws://127.0.0.1:%d%s%s" % (SERVER.port, PATH, query),
                                     header=headers or [], timeout=timeout, suppress_origin=True)
    return ws


def ws_session(timeout=5):
    ws = ws_open(timeout=timeout)
    opened = ws.recv()
    assert opened.startswith("0{"), "expected an open packet, got %r" % opened
    return ws, json.loads(opened[1:])["sid"]


def upgrade_refused(query, status=400, headers=None, what="the upgrade"):
    """A WebSocket handshake that must be answered with `status` instead of 101."""
    try:
        ws_open(query, headers=headers).close()
    except websocket.WebSocketBadStatusException as refused:
        assert refused.status_code == status, "%s: %d, not %d" % (what, refused.status_code, status)
        return
    raise AssertionError("%s was accepted" % what)


def upgrade_head(query="?EIO=4&transport=websocket", headers=()):
    """The bytes of a WebSocket handshake request, with a fresh key and `headers` after its own."""
    key = base64.b64encode(os.urandom(16)).decode()
    return ("GET %s%s HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
            "Sec-WebSocket-Version: 13\r\n%s\r\n" % (PATH, query, key, "".join(h + "\r\n" for h in headers))).encode()


def ws_frame(opcode, payload, fin=True, rsv=0, masked=True):
    head = (0x80 if fin else 0) | (rsv << 4) | opcode
    length = len(payload)
    if length < 126:
        header = struct.pack("!BB", head, (0x80 if masked else 0) | length)
    elif length < 65536:
        header = struct.pack("!BBH", head, (0x80 if masked else 0) | 126, length)
    else:
        header = struct.pack("!BBQ", head, (0x80 if masked else 0) | 127, length)
    if not masked:
        return header + payload
    key = os.urandom(4)
    return header + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def ws_closed(ws, timeout=3):
    """Reads until the server closes the connection; returns the close code (or 0 for a bare close)."""
    ws.settimeout(timeout)
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            opcode, data = ws.recv_data(control_frame=True)
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                return struct.unpack("!H", data[:2])[0] if len(data) >= 2 else 0
            if opcode == websocket.ABNF.OPCODE_PING:
                continue
    except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError):
        return 0
    except websocket.WebSocketTimeoutException:
        return None
    return None


def ws_collect(ws, seconds, until=None):
    """Every text message received during `seconds` (or until `until(messages)`), answering pings."""
    got = []
    previous = ws.gettimeout()
    ws.settimeout(0.1)
    end = time.time() + seconds
    try:
        while time.time() < end and not (until and until(got)):
            try:
                message = ws.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError):
                break
            if message == "2":
                ws.send("3")
            else:
                got.append(message)
    finally:
        ws.settimeout(previous)  # later sends keep their own patience
    return got


def no_namespace_data(messages, namespace, allowed_prefixes=("44",)):
    """A refused peer may hear the CONNECT_ERROR of `namespace`, nothing else of it."""
    leaked = [m for m in messages if isinstance(m, str) and m.startswith("4") and ("/%s," % namespace.strip("/")) in m[:len(namespace) + 4]
              and not any(m.startswith(p + namespace) for p in allowed_prefixes)]
    assert not leaked, "namespace data reached a refused peer: %r" % leaked[:3]
    assert not any("secret-data" in m for m in messages if isinstance(m, str)), "guarded data leaked: %r" % messages


# MARK: The healthy client, after every case

def healthy():
    client = socketio.Client(reconnection=False)
    try:
        client.connect("http://127.0.0.1:%d" % SERVER.port, transports=["websocket"], wait_timeout=5)
        reply = client.call("ping-ack", {"n": 1}, timeout=5)
        assert reply == {"n": 1}, "healthy client got %r" % (reply,)
    finally:
        client.disconnect()


# MARK: The server process, seen from /proc

def server_status(field):
    """A number from /proc/PID/status of the server (VmRSS and VmHWM in kB, Threads)."""
    with open("/proc/%d/status" % SERVER.process.pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError("no %s in the server's status" % field)


def server_fds():
    return len(os.listdir("/proc/%d/fd" % SERVER.process.pid))


def reset_peak_memory():
    """Starts the server's VmHWM (peak resident memory) again from its current size, and returns
    that size (kB): VmHWM less it is the growth from here."""
    with open("/proc/%d/clear_refs" % SERVER.process.pid, "w") as f:
        f.write("5")
    return server_status("VmRSS")


# MARK: Engine.IO over HTTP

@case("E01", "handshake without EIO is refused (400, code 5)", "Engine.IO v4 spec: protocol version check")
def _():
    expect_error(request("GET", "?transport=polling"), 400, 5)


@case("E02", "EIO=3 is refused (400, code 5)", "Engine.IO v4 spec")
def _():
    expect_error(request("GET", "?EIO=3&transport=polling"), 400, 5)


@case("E03", "unknown transport (400, code 0)", "Engine.IO v4 spec; CVE-2023-31125 (GHSA-q9mw-68c2-j6m5, unknown transport in an upgrade crashed engine.io)")
def _():
    expect_error(request("GET", "?EIO=4&transport=flash"), 400, 0)
    expect_error(request("GET", "?EIO=4&transport=__proto__"), 400, 0)


@case("E04", "unknown and prototype-like sids (400, code 1)", "Engine.IO v4 spec; GHSA-gr94-w7qr-f4j3 (sid __proto__ crashed engine.io)")
def _():
    for sid in ["nope", "__proto__", "constructor", "toString", "", "%00", "a" * 4000]:
        expect_error(poll(sid), 400, 1)
        expect_error(post(sid, b"4hello"), 400, 1)


@case("E05", "handshake with POST or PUT (400, code 2)", "Engine.IO v4 spec: bad handshake method")
def _():
    expect_error(request("POST", "?EIO=4&transport=polling", body=b"x"), 400, 2)
    expect_error(request("PUT", "?EIO=4&transport=polling", body=b"x"), 400, 2)


@case("E06", "PUT or DELETE on a session (400)", "Engine.IO v4 spec")
def _():
    sid = handshake()
    assert request("PUT", "?EIO=4&transport=polling&sid=" + sid, body=b"4x").status == 400
    assert request("DELETE", "?EIO=4&transport=polling&sid=" + sid).status == 400


@case("E07", "a polling GET on a WebSocket-only session (400, code 3)", "Engine.IO v4 spec")
def _():
    ws, sid = ws_session()
    try:
        expect_error(poll(sid), 400, 3)
    finally:
        ws.close()


@case("E08", "two long-polls at once: the second refused, the session closed", "Engine.IO v4 spec: one GET at a time per session")
def _():
    sid = handshake()
    results = {}
    t = threading.Thread(target=lambda: results.setdefault("first", poll(sid, timeout=5)))
    t.start()
    time.sleep(0.2)
    second = poll(sid)
    t.join()
    # Whichever arrived second is refused (a busy machine may swap them); the held one gets the close.
    statuses = sorted([results["first"].status, second.status])
    assert statuses == [200, 400], "the two polls answered %r" % statuses
    assert session_gone(sid)


@case("E09", "two POSTs at once: the second refused, the session closed", "Engine.IO v4 spec: one POST at a time per session")
def _():
    sid = handshake()
    s = socket.create_connection(("127.0.0.1", SERVER.port), timeout=5)
    # The first POST announces a body it never finishes sending.
    s.sendall(("POST %s?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n4" % (PATH, sid)).encode())
    time.sleep(0.5)  # its head has taken the POST slot by then
    second = post(sid, b"4hello")
    s.close()
    assert second.status == 400, "second POST answered %d" % second.status
    assert session_gone(sid)


@case("E10", "a POST body over maxHttpBufferSize (413, session closed)", "CVE-2020-36048 (GHSA-j4f2-536g-r55m): unbounded POST body")
def _():
    sid = handshake()
    reply = post(sid, b"4" + b"x" * (MAX_PAYLOAD + 10))
    assert reply.status == 413, "got %d" % reply.status
    assert session_gone(sid)


@case("E11", "an oversized chunked POST (413), and a Content-Length lie", "CVE-2020-36048; RFC 9112 chunked transfer coding")
def _():
    sid = handshake()
    chunks = b"".join(b"%x\r\n%s\r\n" % (1000, b"y" * 1000) for _ in range(MAX_PAYLOAD // 1000 + 5))
    answer = raw(("POST %s?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" % (PATH, sid)).encode()
                 + b"1\r\n4\r\n" + chunks + b"0\r\n\r\n", timeout=2, half_close=False)
    assert status_of(answer) == 413, "chunked: %r" % answer[:100]
    sid = handshake()
    # Claims 10 bytes, sends 3 and closes: the request never completes, nothing is delivered.
    answer = raw(("POST %s?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n4ab" % (PATH, sid)).encode(), timeout=2)
    assert status_of(answer) in (None, 400), answer[:100]


@case("E12", "malformed polling payloads: the session closes with a parse error", "Engine.IO v4 spec: payload encoding; socketioxide 0.13.1 (panic on unexpected packets)")
def _():
    for body in [b"9", b"", b"\x1e\x1e", b"bnot-base64!!", b"b", b"4\x1e9", b"6abc", b"\xff\xfe"]:
        sid = handshake()
        reply = post(sid, body)
        assert reply.status in (200, 400), "%r answered %d" % (body, reply.status)
        if reply.status == 400:
            assert session_gone(sid), "%r: the session survived a refused body" % body


@case("E13", "invalid UTF-8 in a polling text packet", "RFC 3629; Engine.IO v4 spec (text packets are UTF-8)")
def _():
    sid = handshake()
    reply = post(sid, b"40\xc3\x28")
    assert reply.status in (200, 400)
    if reply.status == 400:
        assert session_gone(sid)


@case("E14", "a request target over the URL limit (414)", "sioscope limit: ListenerLimits.maxURLBytes")
def _():
    answer = raw(("GET %s?EIO=4&transport=polling&pad=%s HTTP/1.1\r\nHost: x\r\n\r\n" % (PATH, "a" * 9000)).encode())
    assert status_of(answer) in (414, 400), answer[:100]


@case("E15", "headers over the header limit (400, connection closed)", "sioscope limit: ListenerLimits.maxHeaderBytes")
def _():
    headers = "".join("X-Pad-%d: %s\r\n" % (i, "b" * 1000) for i in range(40))
    answer = raw(("GET %s?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n%s\r\n" % (PATH, headers)).encode())
    # 400, or a reset that overtook it (the server closed with our headers still arriving).
    assert status_of(answer) in (400, None) and b"\"sid\"" not in answer, answer[:100]
    assert trace_says("request head over", 3), "the refusal was not traced"


@case("E16", "slow headers: a connection that never finishes its head is closed", "CWE-400 slowloris; sioscope limit: ListenerLimits.headerTimeout")
def _():
    s = socket.create_connection(("127.0.0.1", SERVER.port), timeout=HEADER_TIMEOUT + 5)
    start = time.time()
    s.sendall(b"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n")
    closed = False
    try:
        while time.time() - start < HEADER_TIMEOUT + 4:
            s.sendall(b"X-Drip: 1\r\n")
            time.sleep(0.25)
    except (BrokenPipeError, ConnectionResetError):
        closed = True
    if not closed:
        s.settimeout(2)
        try:
            closed = s.recv(100) == b""
        except (ConnectionResetError, socket.timeout):
            closed = True
    s.close()
    elapsed = time.time() - start
    assert closed, "the dripping connection was still open after %.1f s" % elapsed
    assert elapsed < HEADER_TIMEOUT + 4, "closed only after %.1f s" % elapsed


@case("E17", "a flood of half-open connections: the server keeps serving, then drops them", "CWE-400; sioscope limits: maxConnections, headerTimeout")
def _():
    flood = [socket.create_connection(("127.0.0.1", SERVER.port), timeout=5) for _ in range(150)]
    for s in flood:
        s.sendall(b"GET /socket.io/?EIO=4")
    healthy()  # served while 150 heads hang
    time.sleep(HEADER_TIMEOUT + 1)
    closed = 0
    for s in flood:
        s.settimeout(2)
        try:
            if s.recv(10) == b"":
                closed += 1
        except (ConnectionResetError, socket.timeout):
            closed += 1 if True else 0
        s.close()
    assert closed == len(flood), "%d of %d half-open connections were closed" % (closed, len(flood))


@case("E18", "more connections than maxConnections: 503 for the extra ones, service after", "sioscope limit: ListenerLimits.maxConnections")
def _():
    held = []
    refused = 0
    try:
        for _ in range(MAX_CONNECTIONS + 20):
            s = socket.create_connection(("127.0.0.1", SERVER.port), timeout=5)
            held.append(s)
        time.sleep(0.3)
        for s in held:
            s.settimeout(0.05)
            try:
                if s.recv(100).startswith(b"HTTP/1.1 503"):
                    refused += 1
            except (socket.timeout, ConnectionResetError):
                pass
    finally:
        for s in held:
            s.close()
    assert refused >= 20, "only %d connections past the limit were refused" % refused
    time.sleep(0.3)


@case("E19", "a connection reset in the middle of a request", "CVE-2022-41940 (GHSA-r7qp-cfhv-p84w): ECONNRESET killed engine.io")
def _():
    sid = handshake()
    for body in [b"POST %s?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n4abc",
                 b"GET %s?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: x\r\n\r\n"]:
        s = socket.create_connection(("127.0.0.1", SERVER.port), timeout=5)
        s.sendall(body % (PATH.encode(), sid.encode()))
        time.sleep(0.1)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()  # RST
    time.sleep(0.2)


@case("E20", "CORS preflight from a foreign origin gets no allow header", "CVE-2020-28481 (socket.io CORS misconfiguration)")
def _():
    reply = request("OPTIONS", "?EIO=4&transport=polling", headers={"Origin": "http://evil.example",
                                                                      "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in reply.headers, reply.headers
    good = request("OPTIONS", "?EIO=4&transport=polling", headers={"Origin": ALLOWED_ORIGIN,
                                                                     "Access-Control-Request-Method": "POST"})
    assert good.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN, good.headers


@case("E21", "polling handshake from foreign and look-alike origins (403)", "CVE-2020-28481; CVE-2019-13611 (GHSA-j3jp-gvr5-7hwq)")
def _():
    for origin in ["http://evil.example", "null", ALLOWED_ORIGIN + ".evil.com", "http://allowed.example:81",
                   "https://allowed.example", ALLOWED_ORIGIN.upper() + "x"]:
        reply = request("GET", "?EIO=4&transport=polling", headers={"Origin": origin})
        assert reply.status == 403, "%s got %d" % (origin, reply.status)
        assert "access-control-allow-origin" not in reply.headers
    ok = request("GET", "?EIO=4&transport=polling", headers={"Origin": ALLOWED_ORIGIN})
    assert ok.status == 200 and ok.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN


@case("E22", "cross-site WebSocket hijacking: a foreign Origin cannot upgrade", "CVE-2019-13611 (GHSA-j3jp-gvr5-7hwq, python-engineio CSWSH)")
def _():
    for origin in ["http://evil.example", "null", ALLOWED_ORIGIN + ".evil.com"]:
        upgrade_refused("?EIO=4&transport=websocket", 403, headers=["Origin: " + origin], what="a WebSocket from " + origin)
    ws = ws_open(headers=["Origin: " + ALLOWED_ORIGIN])
    assert ws.recv().startswith("0{")
    ws.close()


@case("E23", "upgrade with an unknown sid, or with transport=polling", "CVE-2023-31125 (GHSA-q9mw-68c2-j6m5)")
def _():
    for query in ["?EIO=4&transport=websocket&sid=unknown", "?EIO=4&transport=polling&sid=" + handshake(),
                  "?EIO=4&transport=websocket&sid=__proto__"]:
        upgrade_refused(query, what="upgrade " + query)


@case("E24", "a second WebSocket for one session is accepted and closed at once; the first one upgrades", "Engine.IO v4 spec and test suite: one WebSocket per session (upgrade hijack); engine.io closes the surplus socket")
def _():
    sid = handshake()
    first = ws_open("?EIO=4&transport=websocket&sid=" + sid)
    try:
        second = ws_open("?EIO=4&transport=websocket&sid=" + sid)  # 101, as engine.io answers
        assert ws_closed(second, timeout=2) is not None, "a second probe socket was kept"
        first.send("2probe")
        assert first.recv() == "3probe"
        first.send("5")
        first.send("40")
        got = ws_collect(first, 5, until=lambda got: any(m.startswith("40{") for m in got if isinstance(m, str)))
        assert any(m.startswith("40{") for m in got), got
        # Upgraded: a further WebSocket is closed at once, a poll refused, the first goes on.
        third = ws_open("?EIO=4&transport=websocket&sid=" + sid)
        assert ws_closed(third, timeout=2) is not None, "another WebSocket for an upgraded session was kept"
        assert poll(sid).status == 400
        first.send('4212["ping-ack","still"]')
        got = ws_collect(first, 5, until=lambda got: '4312["still"]' in got)
        assert '4312["still"]' in got, got
    finally:
        first.close()


@case("E25", "upgrade races: probe then garbage, probe then close, upgrade without probe", "Engine.IO v4 spec: upgrade")
def _():
    sid = handshake()
    ws = ws_open("?EIO=4&transport=websocket&sid=" + sid)
    ws.send("4hello")  # not a probe: the probe is dropped, polling goes on
    assert ws_closed(ws) is not None
    reply = post(sid, b"40")
    assert reply.status == 200, "polling broke after a failed probe: %d" % reply.status
    sid = handshake()
    ws = ws_open("?EIO=4&transport=websocket&sid=" + sid)
    ws.send("5")  # upgrade without probe
    assert ws_closed(ws) is not None
    sid = handshake()
    ws = ws_open("?EIO=4&transport=websocket&sid=" + sid)
    ws.send("2probe")
    assert ws.recv() == "3probe"
    ws.close()  # vanished mid-upgrade: the session keeps polling
    assert post(sid, b"40").status == 200


@case("E26", "bad WebSocket handshakes (no key, wrong version, no upgrade header)", "RFC 6455 section 4.2.1")
def _():
    base = "GET %s?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n" % PATH
    for extra in ["Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n",
                  "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 12\r\n",
                  "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n",
                  "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: !!\r\nSec-WebSocket-Version: 13\r\n",
                  "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ\r\nSec-WebSocket-Version: 13\r\n"]:
        answer = raw((base + extra + "\r\n").encode(), half_close=False, until=b"\r\n\r\n")
        assert status_of(answer) in (400, 426), "not refused: %r -> %r" % (extra, answer[:40])


@case("E27", "invalid WebSocket frames: RSV bits, reserved opcodes, unmasked, bad close", "CVE-2022-21676 (GHSA-273r-mgr4-v34f, RSV2/RSV3 crashed engine.io); RFC 6455 5.2")
def _():
    for frame in [ws_frame(1, b"4hi", rsv=0b011), ws_frame(1, b"4hi", rsv=0b100), ws_frame(3, b"x"), ws_frame(0xB, b"x"),
                  ws_frame(1, b"4hi", masked=False), ws_frame(8, b"\x03"), ws_frame(9, b"p" * 200),
                  ws_frame(0, b"continuation without start")]:
        ws, sid = ws_session()
        ws.sock.sendall(frame)
        assert ws_closed(ws) is not None, "no close after %r" % frame[:4]
        ws.close()


@case("E28", "a WebSocket frame over the limit, whole or in fragments (closed)", "CVE-2020-36048 applied to WebSocket; CVE-2016-10542 (GHSA-6663-c963-2gqg, ws: DoS by an excessively large message); RFC 6455 1009")
def _():
    ws, sid = ws_session()
    ws.sock.sendall(ws_frame(1, b"4" + b"x" * (MAX_PAYLOAD + 100)))
    assert ws_closed(ws) is not None
    ws, sid = ws_session()
    piece = b"y" * 20_000
    ws.sock.sendall(ws_frame(1, b"4" + piece, fin=False))
    try:
        for _ in range(8):
            ws.sock.sendall(ws_frame(0, piece, fin=False))
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert ws_closed(ws) is not None


@case("E29", "invalid UTF-8 and non-Engine.IO text on a WebSocket (connection closed)", "RFC 6455 8.1; Engine.IO v4 spec; socketioxide 0.13.1")
def _():
    for payload in [b"4\xc3\x28", b"hello", b"", b"9", b"\xff"]:
        ws, sid = ws_session()
        ws.sock.sendall(ws_frame(1, payload))
        assert ws_closed(ws) is not None, "still open after %r" % payload
        assert session_gone(sid)


@case("E30", "heartbeat abuse: unsolicited pongs, a pong flood, a client ping; no thread per session or per pong",
      "Engine.IO v4 spec: heartbeat (only the server pings; engine.io closes on 'invalid heartbeat direction'); CVE-2026-48802 (GHSA-cgwc-pv48-fhj5, python-engineio: a heartbeat thread per connection and per PONG)")
def _():
    threads = server_status("Threads")
    ws, sid = ws_session()
    for _ in range(500):
        ws.send("3")
    ws.send("40")
    got = ws_collect(ws, 5, until=lambda got: any(m.startswith("40{") for m in got if isinstance(m, str)))
    assert any(m.startswith("40{") for m in got), "the session stopped working: %r" % got[:5]
    # A ping from the client is the wrong heartbeat direction: that session ends, no other.
    ws.send("2")
    assert ws_closed(ws) is not None, "a client ping was ignored"
    assert session_gone(sid)
    # 30 sessions that never send CONNECT, 100 more on polling, 5,000 pongs: heartbeats are timers
    # on the event loops. (A few threads may still start: Swift's task pool grows on first use.)
    idle = [ws_session()[0] for _ in range(30)]
    sids = [handshake() for _ in range(100)]
    for peer in idle:
        for _ in range(100):
            peer.send("3")
    for sid in sids[:20]:
        post(sid, b"\x1e".join([b"3"] * 200))
    after = server_status("Threads")
    assert after <= threads + 4, "threads %d -> %d" % (threads, after)
    for peer in idle:
        peer.close()
    return "server threads %d before, %d after" % (threads, after)


@case("E31", "dropped pongs: the session is closed after pingInterval + pingTimeout", "Engine.IO v4 spec: heartbeat; socket.io 'ping timeout'")
def _():
    ws, sid = ws_session()
    ws.settimeout(4)
    start = time.time()
    code = None
    try:
        while time.time() - start < 4:
            opcode, _ = ws.recv_data(control_frame=True)
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                code = "closed"
                break
    except (websocket.WebSocketConnectionClosedException, ConnectionError):
        code = "closed"
    elapsed = time.time() - start
    assert code == "closed", "no close within 4 s without pongs"
    assert 1.0 <= elapsed < 3.5, "closed after %.2f s (expected about 1.2 s)" % elapsed


def reset(sock):
    """Closes with RST instead of FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


@case("E32", "faults: a reset during a held poll ends that session only; a reset mid-upgrade keeps polling", "Engine.IO v4 spec: transports; CVE-2022-41940 (GHSA-r7qp-cfhv-p84w)")
def _():
    sid = handshake()
    s = socket.create_connection(("127.0.0.1", SERVER.port), timeout=5)
    s.sendall(("GET %s?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: x\r\n\r\n" % (PATH, sid)).encode())
    time.sleep(0.2)  # the poll is held now
    reset(s)
    assert session_gone(sid), "a session whose held poll was reset lived on"
    sid = handshake()
    ws = ws_open("?EIO=4&transport=websocket&sid=" + sid)
    ws.send("2probe")
    assert ws.recv() == "3probe"
    reset(ws.sock)
    time.sleep(0.2)
    assert post(sid, b"40").status == 200, "polling broke after the probe socket was reset"
    got = polling_messages(sid, lambda got: any(m.startswith("40{") for m in got))
    assert any(m.startswith("40{") for m in got), got


@case("E33", "frames sent in the same write as the upgrade request are read as frames", "found by the pipeline fuzzer (a crash on bytes following an accepted upgrade); RFC 6455 4.1")
def _():
    s = socket.create_connection(("127.0.0.1", SERVER.port), timeout=5)
    s.sendall(upgrade_head() + ws_frame(1, b"40"))
    got = b""
    deadline = time.time() + 5
    while time.time() < deadline and b'4317["same write"]' not in got:
        if b"40{" in got and b"4217" not in got:
            s.sendall(ws_frame(1, b'4217["ping-ack","same write"]'))
            got += b"4217"  # sent once
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        got += chunk
    s.close()
    assert got.startswith(b"HTTP/1.1 101"), got[:60]
    assert b'4317["same write"]' in got, got[-200:]


@case("E41", "foreign and reused sids: a sid of the other mount, or of a closed session, is unknown everywhere",
      "Engine.IO v4 spec: a sid names one session of one server, until it closes")
def _():
    def on_echo_mount(method, query, body=None):
        return request(method, query, body=body, path="/engine.io/")
    reply = on_echo_mount("GET", "?EIO=4&transport=polling")
    assert reply.status == 200 and reply.body[:1] == b"0", reply.body[:60]
    echo_sid = json.loads(reply.body[1:])["sid"]
    sid = handshake()
    # Each mount is a server of its own: the other's sid is unknown, by GET, POST and upgrade.
    expect_error(on_echo_mount("GET", "?EIO=4&transport=polling&sid=" + sid), 400, 1)
    expect_error(on_echo_mount("POST", "?EIO=4&transport=polling&sid=" + sid, body=b"4x"), 400, 1)
    expect_error(poll(echo_sid), 400, 1)
    expect_error(post(echo_sid, b"40"), 400, 1)
    upgrade_refused("?EIO=4&transport=websocket&sid=" + echo_sid, what="an upgrade with the other mount's sid")
    # Both sessions are untouched by the attempts.
    assert post(sid, b"40").status == 200
    assert on_echo_mount("POST", "?EIO=4&transport=polling&sid=" + echo_sid, body=b"4hello").status == 200
    # A session the client closed: its sid is unknown from then on, on every route.
    assert post(sid, b"1").status == 200
    assert session_gone(sid), "the closed session's sid still answers"
    expect_error(post(sid, b"40"), 400, 1)
    upgrade_refused("?EIO=4&transport=websocket&sid=" + sid, what="an upgrade of a closed session")


def raw_upgrade(query="?EIO=4&transport=websocket", headers=(), timeout=5):
    """A WebSocket handshake on a raw socket: returns the socket, the response head, and any bytes
    that came after it."""
    s = socket.create_connection(("127.0.0.1", SERVER.port), timeout=timeout)
    s.sendall(upgrade_head(query, headers))
    got = b""
    while b"\r\n\r\n" not in got:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    head, _, rest = got.partition(b"\r\n\r\n")
    return s, head + b"\r\n\r\n", rest


class ServerFrames:
    """Reads the server's (unmasked) frames from a raw socket."""

    def __init__(self, sock, pending=b""):
        self.sock, self.pending = sock, pending

    def _need(self, n):
        while len(self.pending) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed by the server")
            self.pending += chunk

    def next(self):
        self._need(2)
        first, second = self.pending[0], self.pending[1]
        assert second & 0x80 == 0, "a masked frame from the server"
        length, at = second & 0x7F, 2
        if length == 126:
            self._need(4)
            length, at = struct.unpack("!H", self.pending[2:4])[0], 4
        elif length == 127:
            self._need(10)
            length, at = struct.unpack("!Q", self.pending[2:10])[0], 10
        self._need(at + length)
        payload = self.pending[at:at + length]
        self.pending = self.pending[at + length:]
        return first & 0x0F, payload


@case("E34", "session and socket ids are unguessable: long, unique, every character varies", "CVE-2017-16031 (GHSA-qv2v-m59f-v5fw, socket.io's ids came from Math.random)")
def _():
    alphabet = set(string.ascii_letters + string.digits + "-_")
    sids = [handshake() for _ in range(200)]
    assert len(set(sids)) == len(sids), "repeated session ids"
    for sid in sids:
        assert len(sid) >= 20 and set(sid) <= alphabet, "session id %r" % sid
    # A counter or a clock inside an id holds some of its characters still across 200 of them.
    for i in range(20):
        seen = len({sid[i] for sid in sids})
        assert seen >= 16, "character %d of the session ids took only %d values" % (i, seen)
    socket_ids = []
    for _ in range(20):
        ws, sid = ws_session()
        ws.send("40")
        got = ws_collect(ws, 5, until=lambda got: any(m.startswith("40{") for m in got))
        ws.close()
        connected = [m for m in got if m.startswith("40{")]
        assert connected, got
        socket_id = json.loads(connected[0][2:])["sid"]
        assert socket_id != sid and len(socket_id) >= 20 and set(socket_id) <= alphabet, (socket_id, sid)
        socket_ids.append(socket_id)
    assert len(set(socket_ids)) == len(socket_ids), "repeated socket ids"


@case("E35", "invalid binary POSTs (application/octet-stream) are answered at once and hold no connection", "CVE-2026-59725 (GHSA-r635-g3xr-vw7x, engine.io left them unanswered: connection exhaustion)")
def _():
    baseline = server_fds()
    # More of them than the listener holds connections: each must be answered and let go.
    for i in range(MAX_CONNECTIONS + 50):
        sid = handshake()
        body = b"\xff" + os.urandom(63) if i % 2 else b"\x00\x01binary"  # never a valid payload
        answer = raw(("POST %s?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                      "Content-Length: %d\r\n\r\n" % (PATH, sid, len(body))).encode() + body,
                     timeout=3, half_close=False, until=b"\r\n\r\n")
        assert status_of(answer) == 400, "POST %d answered %r" % (i, answer[:60])
        if i < 3:
            assert session_gone(sid), "the session outlived a refused body"
    deadline = time.time() + 5
    while server_fds() > baseline + 5 and time.time() < deadline:
        time.sleep(0.1)
    assert server_fds() <= baseline + 5, "descriptors %d before, %d after" % (baseline, server_fds())
    return "%d POSTs answered 400; server descriptors %d before, %d after" % (MAX_CONNECTIONS + 50, baseline, server_fds())


@case("E36", "requests on a session with another protocol revision are refused; the session carries on", "GHSA-2gc4-cqfq-p2gv (engine.io 6.6.0-6.6.9: protocol revision mismatch DoS)")
def _():
    sid = handshake()
    for eio in ["EIO=3", "EIO=5", "EIO=", "EIO=4x", "EIO=04", "eio=4"]:
        expect_error(request("GET", "?%s&transport=polling&sid=%s" % (eio, sid)), 400, 5)
        expect_error(request("POST", "?%s&transport=polling&sid=%s" % (eio, sid), body=b"40"), 400, 5)
        upgrade_refused("?%s&transport=websocket&sid=%s" % (eio, sid), what="an upgrade with " + eio)
    assert post(sid, b"40").status == 200, "the session was harmed"
    got = polling_messages(sid, lambda got: any(m.startswith("40{") for m in got))
    assert any(m.startswith("40{") for m in got), got


@case("E37", "hostile Sec-WebSocket-Extensions and Sec-WebSocket-Protocol values: answered at once, nothing agreed",
      "GHSA-5v72-xg48-5rpm (ws: Sec-WebSocket-Extensions parser DoS, prototype names); CVE-2021-32640 (GHSA-6fc8-4gx4-v693, ws: ReDoS in Sec-WebSocket-Protocol)")
def _():
    for header in ["Sec-WebSocket-Extensions: constructor, __proto__; hasOwnProperty, toString=1",
                   "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=__proto__; client_max_window_bits",
                   "Sec-WebSocket-Extensions: " + "a;" * 3000,
                   "Sec-WebSocket-Protocol: a" + " " * 6000 + "b",
                   "Sec-WebSocket-Protocol: " + "," * 6000,
                   "Sec-WebSocket-Protocol: __proto__, constructor"]:
        for query in ["?EIO=4&transport=websocket", "?EIO=4&transport=websocket&sid=" + handshake()]:
            start = time.time()
            s, head, rest = raw_upgrade(query, [header])
            elapsed = time.time() - start
            try:
                assert head.startswith(b"HTTP/1.1 101"), "%s: %r" % (header[:40], head[:60])
                assert b"sec-websocket-extensions" not in head.lower() and b"sec-websocket-protocol" not in head.lower(), head
                assert elapsed < 2, "%s: answered after %.1f s" % (header[:40], elapsed)
                if "sid=" not in query:  # a new session: its open packet follows
                    opcode, payload = ServerFrames(s, rest).next()
                    assert opcode == 1 and payload.startswith(b"0{"), payload[:40]
            finally:
                s.close()


@case("E38", "thousands of tiny header fields are refused (400, traced); a head under maxHeaderFields is served",
      "CVE-2024-37890 (GHSA-3h5v-q93c-6h6q, ws crashed on a request with many headers); sioscope limit: ListenerLimits.maxHeaderFields")
def _():
    many = ["a:b"] * 2500  # 12.5 KB: under the byte limit, far over the field count
    for head in [("GET %s?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n%s\r\n" % (PATH, "".join(h + "\r\n" for h in many))).encode(),
                 upgrade_head(headers=many)]:
        answer = raw(head, half_close=False, until=b"\r\n\r\n")
        assert status_of(answer) == 400, answer[:60]
    assert trace_says("header fields", 3), "the refusal was not traced"
    fewer = "".join("X-Field-%d: %d\r\n" % (i, i) for i in range(200))
    answer = raw(("GET %s?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n%s\r\n" % (PATH, fewer)).encode(), half_close=False, until=b'"sid"')
    assert status_of(answer) == 200, answer[:60]
    s, head, _ = raw_upgrade(headers=["X-Field-%d: %d" % (i, i) for i in range(200)])
    s.close()
    assert head.startswith(b"HTTP/1.1 101"), head[:60]


@case("E39", "a message in thousands of one-byte fragments is joined without per-fragment memory; past maxFragments it is refused",
      "CVE-2026-48779 (GHSA-96hv-2xvq-fx4p, ws: memory exhaustion from tiny fragments and data chunks); WebSocketFrameReader.maxFragments")
def _():
    # 3,000 fragments of one byte, each in its own write: one message, echoed whole.
    ws, sid = ws_connected()
    ws.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    text = b'42["echo","' + b"f" * 3000 + b'"]'
    ws.sock.sendall(ws_frame(1, text[:1], fin=False))
    for i in range(1, len(text)):
        ws.sock.sendall(ws_frame(0, text[i:i + 1], fin=i == len(text) - 1))
    expected = text.decode()
    got = ws_collect(ws, 5, until=lambda got: expected in got)
    ws.close()
    assert expected in got, "the fragmented message was not echoed: %r" % [m[:40] for m in got]
    # 40 connections, each sending an unfinished message of 9,000 one-byte fragments, one per
    # write (each lives until its heartbeat runs out, ~1.2 s): the server's peak memory grows by
    # about what is held at once, not by a buffer per fragment or per read. (The reader's own
    # test holds it to that exactly; here the whole server is watched.)
    first, piece = ws_frame(1, b"4", fin=False), ws_frame(0, b"x", fin=False)
    before = reset_peak_memory()
    held = []
    try:
        for _ in range(40):
            s, head, _ = raw_upgrade()
            assert head.startswith(b"HTTP/1.1 101"), head[:60]
            held.append(s)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                s.sendall(first)
                for _ in range(9000):
                    s.sendall(piece)
            except OSError:
                pass  # its heartbeat ran out first
        grown = server_status("VmHWM") - before
    finally:
        for s in held:
            s.close()
    assert grown < 16_000, "peak memory grew by %d kB while 40 peers sent 9,000 one-byte fragments each" % grown
    note = "peak memory +%d kB for 40 x 9,000 fragments" % grown
    # One fragment more than maxFragments (10,000): the message is refused with 1009.
    ws, sid = ws_session()
    try:
        ws.sock.sendall(ws_frame(1, b"4", fin=False) + ws_frame(0, b"", fin=False) * 10_000)
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert ws_closed(ws) == 1009, "a message in 10,001 fragments was not refused as too big"
    return note


@case("E40", "WebSocket pongs carry exactly the ping's bytes; the close frame only a code and its reason",
      "CVE-2016-10518 (GHSA-2mhh-w6q8-5hxw) and CVE-2026-45736 (GHSA-58qx-3vcg-4xpx): ws sent uninitialized memory; RFC 6455 5.5")
def _():
    s, head, rest = raw_upgrade()
    frames = ServerFrames(s, rest)
    try:
        assert frames.next()[1].startswith(b"0{")
        for payload in [b"", b"a", os.urandom(125), bytes(range(125))]:
            s.sendall(ws_frame(9, payload))
            while True:
                opcode, data = frames.next()
                if opcode == 1 and data == b"2":  # an Engine.IO ping meanwhile
                    s.sendall(ws_frame(1, b"3"))
                    continue
                break
            assert opcode == 0xA and data == payload, "ping %r answered with %d %r" % (payload[:8], opcode, data[:8])
        s.sendall(ws_frame(8, struct.pack("!H", 1000) + b"bye"))
        while True:
            opcode, data = frames.next()
            if opcode == 8:
                break
        assert len(data) == 0 or (2 <= len(data) <= 125 and struct.unpack("!H", data[:2])[0] in (1000, 1001)), data
        data[2:].decode("utf-8")  # a reason, if any, is text
    finally:
        s.close()


# MARK: Socket.IO packets

def ws_connected(namespace="/", auth=None, timeout=5):
    ws, sid = ws_session(timeout=timeout)
    ws.send("40" + ("" if namespace == "/" else namespace + ",") + (json.dumps(auth) if auth is not None else ""))
    prefix = "40" + ("" if namespace == "/" else namespace + ",")
    got = ws_collect(ws, 5, until=lambda got: any(m.startswith(prefix) for m in got if isinstance(m, str)))
    assert any(m.startswith(prefix) for m in got if isinstance(m, str)), got
    return ws, sid


def expect_parse_error_close(payloads, connect_first=True):
    for payload in payloads:
        if connect_first:
            ws, sid = ws_connected()
        else:
            ws, sid = ws_session()
        try:
            for p in payload if isinstance(payload, list) else [payload]:
                ws.send_binary(p) if isinstance(p, bytes) else ws.send(p)
        except (BrokenPipeError, ConnectionResetError, websocket.WebSocketConnectionClosedException):
            pass  # already closed by an earlier part: what this case expects
        assert ws_closed(ws) is not None, "still open after %r" % (payload if not isinstance(payload, list) else payload[0])
        assert session_gone(sid), "session survived %r" % (payload,)


def exchange(messages, wanted, seconds=5):
    """Connects to /, sends `messages`, and returns what came back until `wanted(got)` (or the time ran out)."""
    ws, sid = ws_connected()
    try:
        for message in messages:
            ws.send(message)
        return ws_collect(ws, seconds, until=wanted)
    finally:
        ws.close()


@case("S01", "events, acks and binary before CONNECT close the connection; nothing is delivered", "Socket.IO v5 spec: nothing before CONNECT; socket.io's server closes on a packet in the wrong state; python-socketio GHSA-5w7q-77mv-v69f")
def _():
    for first in ['42["echo","early"]', '4212["ping-ack","early"]', '431[1]', '451-["echo",{"_placeholder":true,"num":0}]']:
        ws, sid = ws_session()
        try:
            ws.send(first)
            ws.send_binary(b"\x04" + b"z" * 1000)
        except (BrokenPipeError, ConnectionResetError, websocket.WebSocketConnectionClosedException):
            pass  # closed already: what this case expects
        got = ws_collect(ws, 0.5)
        assert not any("early" in m for m in got if isinstance(m, str)), got
        assert ws_closed(ws) is not None, "still open after %r" % first
        assert session_gone(sid), "session survived %r" % first


@case("S02", "unknown packet types and CONNECT_ERROR from a client close the connection", "Socket.IO v5 spec: packet types")
def _():
    expect_parse_error_close(["47", "49", "4a", '44{"message":"x"}', "4"])


@case("S03", "malformed JSON payloads close the connection", "Socket.IO v5 spec; CVE-2023-32695 (GHSA-cqmj-92xf-r6r9)")
def _():
    expect_parse_error_close(['42["echo"', '42{"a":1}', "42[]", "42[1]", '42[{"toString":1}]', "42[null]",
                              '42["echo",]', "42\x00", '42["a"]junk'])


@case("S04", "reserved event names are refused, 'error' is harmless", "CVE-2024-38355 (GHSA-25hc-qcg6-38wj, 'error' event killed socket.io); socket.io-parser RESERVED_EVENTS")
def _():
    expect_parse_error_close(['42["connect"]', '42["disconnect"]', '42["connect_error"]', '42["disconnecting"]',
                              '42["newListener"]', '42["removeListener"]'])
    got = exchange(['42["error",{"boom":true}]', '4233["ping-ack","still here"]'], lambda got: '4333["still here"]' in got)
    assert '4333["still here"]' in got, got


@case("S05", "odd ack ids: huge, negative, acks nobody asked for", "Socket.IO v5 spec: ack id")
def _():
    # An ack's payload must be an array.
    expect_parse_error_close(['4299999999999999999999999["ping-ack"]', '42-1["ping-ack"]', '3"x"', "3999"])
    got = exchange(["3999[1]", '4234["ping-ack",1]'], lambda got: '4334[1]' in got)
    assert '4334[1]' in got, got


@case("S06", "placeholder tricks: non-numeric num, out of range, _placeholder not true", "CVE-2022-2421 (GHSA-qm95-pgcg-qqfq)")
def _():
    expect_parse_error_close([
        ['451-["echo",{"_placeholder":true,"num":"splice"}]', b"x"],
        ['451-["echo",{"_placeholder":true,"num":5}]', b"x"],
        ['451-["echo",{"_placeholder":true,"num":-1}]', b"x"],
        ['452-["echo",{"_placeholder":true,"num":0}]', b"x", b"y"],
    ])
    # Not a placeholder (_placeholder is not true): plain data, echoed back.
    echoed = lambda got: any('"_placeholder":"yes"' in m for m in got if isinstance(m, str))
    assert echoed(exchange(['42["echo",{"_placeholder":"yes","num":0}]'], echoed))


@case("S07", "attachment counts: over the limit, absurd, missing dash", "CVE-2026-33151 (GHSA-677m-j7p3-52f9, unbounded attachments); socket.io-parser 2.2.3 (malformed count loop)")
def _():
    expect_parse_error_close(['4511-["echo"]', "4599999999999999999999-[\"echo\"]", '451["echo"]', "45-", '45a-["echo"]'])


@case("S08", "a binary event declaring zero attachments holds nothing", "CVE-2026-69185 (GHSA-2m8v-j782-fhvr, zero-attachment memory exhaustion)")
def _():
    # Complete at once (nothing to wait for): echoed, and the connection goes on.
    got = exchange(['450-["echo","zero"]', '4235["ping-ack","after"]'], lambda got: '4335["after"]' in got)
    assert '42["echo","zero"]' in got and '4335["after"]' in got, got


@case("S09", "binary protocol errors: attachment without a packet, text while attachments are due", "Socket.IO v5 spec: binary packets; socket.io-parser 4.2.1 ('got plaintext data when reconstructing')")
def _():
    expect_parse_error_close([[b"\x04orphan"], ['451-["echo",{"_placeholder":true,"num":0}]', '42["echo","text"]']])


@case("S10", "binary attachments for a namespace the client has not joined are never read: the connection ends", "python-socketio GHSA-5w7q-77mv-v69f (CVE-2026-48804); socketioxide 0.18.7; socket.io's server (wrong state)")
def _():
    ws, sid = ws_connected()
    got = []
    try:
        for _ in range(50):
            ws.send('451-/admin,["delete user",{"_placeholder":true,"num":0}]')
            ws.send_binary(b"\x04" + b"b" * 50_000)
    except (BrokenPipeError, ConnectionResetError, websocket.WebSocketConnectionClosedException):
        pass
    got = ws_collect(ws, 1)
    no_namespace_data(got, "/admin")
    assert ws_closed(ws) is not None, "still open after a binary event for /admin"
    assert session_gone(sid)


@case("S11", "deeply nested JSON is refused", "CWE-674 (uncontrolled recursion); SocketLimits.maxDepth")
def _():
    expect_parse_error_close(['42["echo",' + "[" * 5000 + "]" * 5000 + "]", '42["echo",' + '{"a":' * 3000 + "1" + "}" * 3000 + "]"])


@case("S12", "odd namespace names never reach a guarded namespace", "Socket.IO v5 spec: namespaces; socket.io docs 'Namespaces' (dynamic namespaces)")
def _():
    for name in ["/ad min", "/admin/", "/../admin", "/ADMIN", "/admin\x00", "/" + "n" * 5000, "/ws-../admin",
                 "/ws-", "/ws-a b", "/\u00e9t\u00e9", "/admin?x=1"]:
        ws, sid = ws_session()
        ws.send("40" + name + ",")
        got = ws_collect(ws, 0.3)
        leaked = [m for m in got if isinstance(m, str) and "secret-data" in m]
        assert not leaked, (name, leaked)
        ws.close()


@case("S13", "refused CONNECT: events, acks and binary sent around the middleware get nothing and end the connection", "socket.io docs 'Namespaces' (middleware, connect_error); Socket.IO v5 spec; socket.io's server (wrong state)")
def _():
    for namespace in ["/admin", "/slow"]:
        # While the CONNECT is still in the chain (/slow waits 400 ms): the events end the connection.
        ws, sid = ws_session()
        ws.send("40%s," % namespace)
        try:
            for i in range(20):
                ws.send('42%s,%d["ping-ack","x"]' % (namespace, i + 1))
                ws.send('42%s,["delete user","victim"]' % namespace)
            ws.send('451-%s,["delete user",{"_placeholder":true,"num":0}]' % namespace)
            ws.send_binary(b"\x04bin")
        except (BrokenPipeError, ConnectionResetError, websocket.WebSocketConnectionClosedException):
            pass
        got = ws_collect(ws, 1)
        no_namespace_data(got, namespace)
        assert ws_closed(ws) is not None, (namespace, "still open")
        # After the refusal: the same.
        ws, sid = ws_session()
        ws.send("40%s," % namespace)
        got = ws_collect(ws, 5, until=lambda got: any(m.startswith("44" + namespace) for m in got if isinstance(m, str)))
        assert any(m.startswith("44" + namespace) for m in got if isinstance(m, str)), (namespace, got)
        ws.send('42%s,["delete user","victim"]' % namespace)
        got += ws_collect(ws, 0.5)
        no_namespace_data(got, namespace)
        assert ws_closed(ws) is not None, (namespace, "still open after an event for a refused namespace")


@case("S14", "CONNECT with a non-object auth payload", "Socket.IO v5 spec: CONNECT payload must be an object")
def _():
    expect_parse_error_close(['40/admin,"secret"', "40/admin,[1]", "40/admin,1"], connect_first=False)


@case("S15", "DISCONNECT for a namespace never joined, or left already, ends the connection", "Socket.IO v5 spec: DISCONNECT; socket.io's server (wrong state)")
def _():
    for first in ["41/admin,", "41"]:
        ws, sid = ws_session()
        ws.send(first)
        assert ws_closed(ws) is not None, "still open after %r before CONNECT" % first
        assert session_gone(sid)
    ws, sid = ws_connected()
    ws.send("41")  # leaves "/": the Engine.IO session stays, as socket.io's does
    ws.send("40")
    got = ws_collect(ws, 5, until=lambda got: any(m.startswith("40{") for m in got if isinstance(m, str)))
    assert any(m.startswith("40{") for m in got), got
    ws.send("41")
    ws.send("41")  # left already
    assert ws_closed(ws) is not None, "still open after a second DISCONNECT"


@case("S16", "a flood of small packets in one polling payload is processed and bounded", "CWE-400; python-engineio max payload handling")
def _():
    sid = handshake()
    post(sid, b"40")
    polling_messages(sid, lambda got: any(m.startswith("40{") for m in got))
    body = b"\x1e".join(b'42["chat",%d]' % i for i in range(5000))
    assert len(body) < MAX_PAYLOAD
    reply = post(sid, body)
    assert reply.status == 200


@case("S20", "packets at the payload limit, one long string or tens of thousands of elements, decode in linear time",
      "CVE-2020-36049 (GHSA-xfhh-g9f5-x4m4, socket.io-parser: resource exhaustion decoding large packets)")
def _():
    room = MAX_PAYLOAD - 100
    for ack, body in [(40, '"%s"' % ("s" * room)),
                      (41, "[%s]" % ",".join(["0"] * (room // 2))),
                      (42, "[%s]" % ",".join(['{"a":1}'] * (room // 8))),
                      (43, '"%s"' % ("\\u00e9" * (room // 6)))]:
        start = time.time()
        got = exchange(['42%d["ping-ack",%s]' % (ack, body)], lambda got: any(m.startswith("43%d[" % ack) for m in got), seconds=10)
        elapsed = time.time() - start
        assert any(m.startswith("43%d[" % ack) for m in got), "packet %d was not answered" % ack
        assert elapsed < 5, "packet %d took %.1f s" % (ack, elapsed)


@case("S21", "one attachment under thousands of placeholders is refused, not echoed a thousandfold; distinct ones are echoed",
      "found by this project's socket fuzzer (an echo of it grew the server by 1.1 GB); socket.io-parser's reconstructPacket accepts repeated numbers")
def _():
    ws, sid = ws_connected()
    ws.send('452-["echo",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]')
    first, second = b"\x04" + b"a" * 1000, b"\x04" + b"b" * 1000
    ws.send_binary(first)
    ws.send_binary(second)
    got = ws_collect(ws, 5, until=lambda got: len([m for m in got if isinstance(m, bytes)]) == 2)
    ws.close()
    assert any(isinstance(m, str) and m.startswith("452-[\"echo\"") for m in got), got[:3]
    assert [m for m in got if isinstance(m, bytes)] == [first, second], "the two attachments did not come back"
    before = reset_peak_memory()
    ws, sid = ws_connected()
    repeated = ",".join(['{"_placeholder":true,"num":0}'] * 3000)  # 90 kB of text, one 90 kB attachment
    try:
        ws.send('451-["echo",%s]' % repeated)
        ws.send_binary(b"\x04" + b"z" * 90_000)
    except (BrokenPipeError, ConnectionResetError, websocket.WebSocketConnectionClosedException):
        pass  # refused on the text already
    assert ws_closed(ws) is not None, "a packet naming one attachment 3,000 times was accepted"
    assert session_gone(sid)
    grown = server_status("VmHWM") - before
    assert grown < 32_000, "peak memory grew by %d kB" % grown
    return "peak memory +%d kB" % grown


def trace_says(text, within):
    deadline = time.time() + within
    while time.time() < deadline:
        with open(SERVER.log.name) as f:
            if text in f.read():
                return True
        time.sleep(0.1)
    return False


def flood_chat(writer, until, keepalive=None):
    """Broadcasts big chat messages (and pongs, so heartbeats never end the test) until `until()`."""
    blob = "w" * (MAX_PAYLOAD - 100)
    deadline = time.time() + 15
    while time.time() < deadline and not until():
        for _ in range(10):
            writer.send('42["chat","%s"]' % blob)
        writer.send("3")
        if keepalive:
            keepalive()


def non_reading_websocket():
    """A raw WebSocket session with a small receive window, upgraded, whose answers are never read."""
    peer = socket.socket()
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting: a small window
    peer.settimeout(5)
    peer.connect(("127.0.0.1", SERVER.port))
    peer.sendall(upgrade_head())
    time.sleep(0.2)
    return peer


@case("S17", "a WebSocket reader that never reads is dropped ('outbound buffer full')", "sioscope limit: maxOutboundBufferBytes; CWE-400 (unbounded buffering)")
def _():
    reader = non_reading_websocket()
    reader.sendall(ws_frame(1, b"40"))
    time.sleep(0.2)
    writer, _ = ws_connected(timeout=30)  # its sends may wait while a busy server catches up
    marker = '"reason":"outbound buffer full"'
    before = open(SERVER.log.name).read().count(marker)

    def reader_pongs():  # it answers heartbeats blindly, without reading
        try:
            reader.sendall(ws_frame(1, b"3"))
        except OSError:
            pass
    flood_chat(writer, lambda: open(SERVER.log.name).read().count(marker) > before, keepalive=reader_pongs)
    writer.close()
    reader.close()
    assert open(SERVER.log.name).read().count(marker) > before, "the slow WebSocket reader was not disconnected"


@case("S19", "WebSocket pings from a peer that never reads: answered up to the outbound bound, then dropped", "RFC 6455 5.5.2 (every ping is owed a pong); sioscope limit: maxOutboundBufferBytes; CWE-400")
def _():
    flooder = non_reading_websocket()
    marker = '"reason":"outbound buffer full"'
    before = open(SERVER.log.name).read().count(marker)
    pings = ws_frame(9, b"p" * 125) * 1000  # 131 KB of pings, each owed a 127-byte pong
    sent, dropped = 0, False
    deadline = time.time() + 20
    while time.time() < deadline and sent < 200 * len(pings):  # at most 26 MB: far past the bound
        try:
            flooder.sendall(pings + ws_frame(1, b"3"))  # and Engine.IO pongs, blindly: no ping timeout
            sent += len(pings)
        except OSError:  # reset: the server has dropped us
            dropped = True
            break
        if open(SERVER.log.name).read().count(marker) > before:
            dropped = True
            break
    flooder.close()
    settle = time.time() + 5
    while time.time() < settle and open(SERVER.log.name).read().count(marker) <= before:
        time.sleep(0.1)
    assert dropped and open(SERVER.log.name).read().count(marker) > before, \
        "a ping flood from a non-reading peer was not dropped after %d bytes of pings" % sent


@case("S18", "a polling client that stops polling is dropped ('outbound buffer full')", "sioscope limit: maxOutboundBufferBytes; engine.io maxBufferedPackets")
def _():
    sid = handshake()
    post(sid, b"40")
    polling_messages(sid, lambda got: any(m.startswith("40{") for m in got))
    writer, _ = ws_connected(timeout=30)
    flood_chat(writer, lambda: session_closed_quietly(sid))
    writer.close()
    assert trace_says('"sid":"%s","reason":"outbound buffer full"' % sid, 2), "the idle polling client was not dropped"


def session_closed_quietly(sid):
    with open(SERVER.log.name) as f:
        return '"sid":"%s","reason"' % sid in f.read()


# MARK: Running

def main():
    global SERVER
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?")
    parser.add_argument("--only")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if args.list:
        for ident, title, source, _ in CASES:
            print("| %s | %s | %s |" % (ident, title, source))
        return 0
    if not args.binary:
        parser.error("the sioscope binary is required")
    chosen = [c for c in CASES if not args.only or c[0] in args.only.split(",")]
    SERVER = Server(args.binary)
    failures = []
    started = time.time()
    try:
        healthy()
        for ident, title, source, fn in chosen:
            t0 = time.time()
            try:
                note = fn()  # a case may return what it measured
                if not SERVER.alive():
                    raise AssertionError("the server process died")
                healthy()
                print("ok   %s %s (%.2f s)%s" % (ident, title, time.time() - t0, "; " + note if note else ""), flush=True)
            except Exception as error:  # any failure of the case or of the health check after it
                failures.append(ident)
                print("FAIL %s %s: %s: %s" % (ident, title, type(error).__name__, error), flush=True)
                if not SERVER.alive():
                    break
    finally:
        SERVER.stop()
    with open(SERVER.log.name) as f:
        trace = f.read()
    refusals = trace.count('"engineRefused"') + trace.count('"refused"')
    print("hostile: %d cases, %d failed, %.1f s; server trace %s (%d lines)"
          % (len(chosen), len(failures), time.time() - started, SERVER.log.name, trace.count("\n")))
    if failures:
        print("hostile: failed: " + ", ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
