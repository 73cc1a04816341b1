"""The conformance suite: the published Engine.IO v4 and Socket.IO v5 test suites, case by case,
plus the lifecycle cases real peers showed, against a running `sioscope serve --scenario protocol-suite`.

Every case of the two suites that ship with the protocol specifications (socketio/engine.io-protocol
and socketio/socket.io-protocol, test-suite/test-suite.js) is written here again as the project's own
test, with the suite's own name; the cases marked "issue 16" are the ones the published suites do not
have but the reference server (socket.io 4.x / engine.io 6.x) and its clients show. python-socketio's
AsyncClient (aiohttp, which reuses connections) connects in all three transport modes.

    .venv/bin/python Tests/Conformance/conformance.py .build/debug/sioscope [--only NAME-PART]

Prints one line a case and closes with 'N passed, N failed'; exits 1 when any case failed.
"""
import asyncio
import base64
import http.client
import json
import os
import socket
import struct
import sys
import threading
import time

import websocket

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Interop"))
from sioscope_serve import SioscopeServe  # noqa: E402

PING_INTERVAL = 0.300
PING_TIMEOUT = 0.200
CASES = []
SERVER = None


def case(name):
    def register(fn):
        CASES.append((name, fn))
        return fn
    return register


def start_server(binary):
    return SioscopeServe(binary, ["--scenario", "protocol-suite"], "conformance")


# MARK: HTTP

class Reply:
    def __init__(self, status, body):
        self.status, self.body = status, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def fetch(path, query, method="GET", body=None, timeout=5):
    conn = http.client.HTTPConnection("127.0.0.1", SERVER.port, timeout=timeout)
    try:
        conn.request(method, path + query, body=body)
        r = conn.getresponse()
        return Reply(r.status, r.read())
    finally:
        conn.close()


def fetch_in_background(path, query, method="GET", body=None):
    """Starts a request on its own thread; `.join()` returns its Reply."""
    result = {}

    def run():
        try:
            result["reply"] = fetch(path, query, method, body)
        except Exception as error:  # noqa: BLE001 - reported by join
            result["error"] = error
    thread = threading.Thread(target=run)
    thread.start()

    class Pending:
        @staticmethod
        def join():
            thread.join(10)
            if "error" in result:
                raise result["error"]
            assert "reply" in result, "the request did not finish within 10 s"
            return result["reply"]
    return Pending


def polling_session(path):
    reply = fetch(path, "?EIO=4&transport=polling")
    assert reply.status == 200, reply.status
    return json.loads(reply.text[1:])["sid"]


# MARK: WebSocket

def ws_connect(path, query):
    ws = websocket.WebSocket()
    ws.connect("ws://127.0.0.1:%d%s%s" % (SERVER.port, path, query), timeout=5, suppress_origin=True)
    return ws


def ws_refused(path, query):
    """The WebSocket handshake is answered with 400, not 101."""
    try:
        ws_connect(path, query).close()
    except websocket.WebSocketBadStatusException as refused:
        assert refused.status_code == 400, refused.status_code
        return
    raise AssertionError("the WebSocket handshake %s was accepted" % query)


def ws_next(ws, timeout=3, answer_pings=False):
    """The next message (text as str, binary as bytes); pings are answered and skipped when asked."""
    ws.settimeout(timeout)
    while True:
        opcode, data = ws.recv_data()
        if opcode == websocket.ABNF.OPCODE_TEXT:
            text = data.decode()
            if answer_pings and text == "2":
                ws.send("3")
                continue
            return text
        if opcode == websocket.ABNF.OPCODE_BINARY:
            return data
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            raise ConnectionError("closed")


def ws_closes(ws, within, answer_pings=True):
    """True when the server closes the connection within `within` seconds. Pings are answered, so
    a close is not the heartbeat's doing."""
    deadline = time.time() + within
    try:
        while time.time() < deadline:
            ws_next(ws, timeout=max(0.01, deadline - time.time()), answer_pings=answer_pings)
    except (ConnectionError, websocket.WebSocketConnectionClosedException, OSError):
        return True
    except websocket.WebSocketTimeoutException:
        return False
    return False


def socketio_connection(path="/socket.io/"):
    """A WebSocket session connected to "/", its auth packet read."""
    ws = ws_connect(path, "?EIO=4&transport=websocket")
    ws.settimeout(5)
    assert ws.recv().startswith("0{")
    ws.send("40")
    assert ws_next(ws, answer_pings=True).startswith("40{")
    assert ws_next(ws, answer_pings=True) == '42["auth",{}]'
    return ws


def upgraded_session(path):
    """A polling session upgraded to WebSocket (2probe, 3probe, 5)."""
    sid = polling_session(path)
    ws = ws_connect(path, "?EIO=4&transport=websocket&sid=" + sid)
    ws.send("2probe")
    assert ws_next(ws) == "3probe"
    ws.send("5")
    return sid, ws


# MARK: Engine.IO v4 test suite (socketio/engine.io-protocol), on /engine.io/ and /socket.io/

ENGINE_PATHS = ["/engine.io/", "/socket.io/"]


def for_both_paths(name):
    """A case of the Engine.IO suite, run on the bare Engine.IO server and on the Socket.IO one
    (the Socket.IO suite repeats these cases on /socket.io/)."""
    def register(fn):
        for path in ENGINE_PATHS:
            CASES.append(("%s (%s)" % (name, path), lambda path=path: fn(path)))
        return fn
    return register


@for_both_paths("handshake: HTTP long-polling: successfully opens a session")
def _(path):
    reply = fetch(path, "?EIO=4&transport=polling")
    assert reply.status == 200
    assert reply.text[0] == "0"
    value = json.loads(reply.text[1:])
    assert sorted(value) == ["maxPayload", "pingInterval", "pingTimeout", "sid", "upgrades"], value
    assert isinstance(value["sid"], str)
    assert value["upgrades"] == ["websocket"]
    assert (value["pingInterval"], value["pingTimeout"], value["maxPayload"]) == (300, 200, 1000000), value


@for_both_paths("handshake: HTTP long-polling: fails with an invalid 'EIO' query parameter")
def _(path):
    assert fetch(path, "?transport=polling").status == 400
    assert fetch(path, "?EIO=abc&transport=polling").status == 400


@for_both_paths("handshake: HTTP long-polling: fails with an invalid 'transport' query parameter")
def _(path):
    assert fetch(path, "?EIO=4").status == 400
    assert fetch(path, "?EIO=4&transport=abc").status == 400


@for_both_paths("handshake: HTTP long-polling: fails with an invalid request method")
def _(path):
    assert fetch(path, "?EIO=4&transport=polling", method="POST").status == 400
    assert fetch(path, "?EIO=4&transport=polling", method="PUT").status == 400


@for_both_paths("handshake: WebSocket: successfully opens a session")
def _(path):
    ws = ws_connect(path, "?EIO=4&transport=websocket")
    data = ws_next(ws)
    assert data[0] == "0"
    value = json.loads(data[1:])
    assert sorted(value) == ["maxPayload", "pingInterval", "pingTimeout", "sid", "upgrades"], value
    assert value["upgrades"] == []
    assert (value["pingInterval"], value["pingTimeout"], value["maxPayload"]) == (300, 200, 1000000), value
    ws.close()


@for_both_paths("handshake: WebSocket: fails with an invalid 'EIO' query parameter")
def _(path):
    ws_refused(path, "?transport=websocket")
    ws_refused(path, "?EIO=abc&transport=websocket")


@for_both_paths("handshake: WebSocket: fails with an invalid 'transport' query parameter")
def _(path):
    ws_refused(path, "?EIO=4")
    ws_refused(path, "?EIO=4&transport=abc")


@case("message: HTTP long-polling: sends and receives a payload containing one plain text packet")
def _():
    sid = polling_session("/engine.io/")
    push = fetch("/engine.io/", "?EIO=4&transport=polling&sid=" + sid, method="POST", body=b"4hello")
    assert (push.status, push.text) == (200, "ok"), (push.status, push.text)
    pull = fetch("/engine.io/", "?EIO=4&transport=polling&sid=" + sid)
    assert (pull.status, pull.text) == (200, "4hello"), (pull.status, pull.text)


@case("message: HTTP long-polling: sends and receives a payload containing several plain text packets")
def _():
    sid = polling_session("/engine.io/")
    body = "4test1\x1e4test2\x1e4test3"
    assert fetch("/engine.io/", "?EIO=4&transport=polling&sid=" + sid, method="POST", body=body.encode()).text == "ok"
    assert fetch("/engine.io/", "?EIO=4&transport=polling&sid=" + sid).text == body


@case("message: HTTP long-polling: sends and receives a payload containing plain text and binary packets")
def _():
    sid = polling_session("/engine.io/")
    body = "4hello\x1ebAQIDBA=="
    assert fetch("/engine.io/", "?EIO=4&transport=polling&sid=" + sid, method="POST", body=body.encode()).text == "ok"
    assert fetch("/engine.io/", "?EIO=4&transport=polling&sid=" + sid).text == body


@case("message: HTTP long-polling: closes the session upon invalid packet format")
def _():
    sid = polling_session("/engine.io/")
    try:
        assert fetch("/engine.io/", "?EIO=4&transport=polling&sid=" + sid, method="POST", body=b"abc").status == 400
    except (ConnectionError, http.client.HTTPException):
        pass  # the suite accepts a connection closed abnormally
    assert fetch("/engine.io/", "?EIO=4&transport=polling&sid=" + sid).status == 400


@case("message: HTTP long-polling: closes the session upon duplicate poll requests")
def _():
    sid = polling_session("/engine.io/")
    first = fetch_in_background("/engine.io/", "?EIO=4&transport=polling&sid=" + sid)
    time.sleep(0.005)
    second = fetch("/engine.io/", "?EIO=4&transport=polling&sid=%s&t=burst" % sid)
    held = first.join()
    assert (held.status, held.text) == (200, "1"), (held.status, held.text)
    assert second.status in (400, 500), second.status
    assert fetch("/engine.io/", "?EIO=4&transport=polling&sid=" + sid).status == 400


@case("message: WebSocket: sends and receives a plain text packet")
def _():
    ws = ws_connect("/engine.io/", "?EIO=4&transport=websocket")
    ws_next(ws)
    ws.send("4hello")
    assert ws_next(ws) == "4hello"
    ws.close()


@case("message: WebSocket: sends and receives a binary packet")
def _():
    ws = ws_connect("/engine.io/", "?EIO=4&transport=websocket")
    ws_next(ws)
    ws.send_binary(bytes([1, 2, 3, 4]))
    assert ws_next(ws) == bytes([1, 2, 3, 4])
    ws.close()


@case("message: WebSocket: closes the session upon invalid packet format")
def _():
    ws = ws_connect("/engine.io/", "?EIO=4&transport=websocket")
    ws_next(ws)
    ws.send("abc")
    assert ws_closes(ws, 1)


@for_both_paths("heartbeat: HTTP long-polling: sends ping/pong packets")
def _(path):
    sid = polling_session(path)
    for _ in range(3):
        pull = fetch(path, "?EIO=4&transport=polling&sid=" + sid)
        assert (pull.status, pull.text) == (200, "2"), (pull.status, pull.text)
        assert fetch(path, "?EIO=4&transport=polling&sid=" + sid, method="POST", body=b"3").status == 200


@for_both_paths("heartbeat: HTTP long-polling: closes the session upon ping timeout (issue 16: 400, never the ping)")
def _(path):
    sid = polling_session(path)
    time.sleep(PING_INTERVAL + PING_TIMEOUT)
    reply = fetch(path, "?EIO=4&transport=polling&sid=" + sid)
    # The published suite also accepts 200 "1"; the Socket.IO suite and the reference server say 400.
    assert reply.status == 400, (reply.status, reply.text)


@for_both_paths("heartbeat: WebSocket: sends ping/pong packets")
def _(path):
    ws = ws_connect(path, "?EIO=4&transport=websocket")
    ws_next(ws)
    for _ in range(3):
        assert ws_next(ws) == "2"
        ws.send("3")
    ws.close()


@for_both_paths("heartbeat: WebSocket: closes the session upon ping timeout")
def _(path):
    ws = ws_connect(path, "?EIO=4&transport=websocket")
    ws_next(ws)
    assert ws_closes(ws, PING_INTERVAL + PING_TIMEOUT + 0.5, answer_pings=False)


@for_both_paths("close: HTTP long-polling: forcefully closes the session (issue 16: the held GET gets a noop)")
def _(path):
    sid = polling_session(path)
    held = fetch_in_background(path, "?EIO=4&transport=polling&sid=" + sid)
    time.sleep(0.05)
    fetch(path, "?EIO=4&transport=polling&sid=" + sid, method="POST", body=b"1")
    reply = held.join()
    assert (reply.status, reply.text) == (200, "6"), (reply.status, reply.text)
    assert fetch(path, "?EIO=4&transport=polling&sid=" + sid).status == 400


@for_both_paths("close: WebSocket: forcefully closes the session")
def _(path):
    ws = ws_connect(path, "?EIO=4&transport=websocket")
    ws_next(ws)
    ws.send("1")
    assert ws_closes(ws, 1)


@case("upgrade: successfully upgrades from HTTP long-polling to WebSocket")
def _():
    sid = polling_session("/engine.io/")
    ws = ws_connect("/engine.io/", "?EIO=4&transport=websocket&sid=" + sid)
    ws.send("2probe")
    assert ws_next(ws) == "3probe"
    pull = fetch("/engine.io/", "?EIO=4&transport=polling&sid=" + sid)
    assert (pull.status, pull.text) == (200, "6"), (pull.status, pull.text)
    ws.send("5")
    ws.send("4hello")
    assert ws_next(ws, answer_pings=True) == "4hello"
    ws.close()


@for_both_paths("upgrade: ignores HTTP requests with same sid after upgrade")
def _(path):
    sid, ws = upgraded_session(path)
    assert fetch(path, "?EIO=4&transport=polling&sid=" + sid).status == 400
    if path == "/engine.io/":
        ws.send("4hello")
        assert ws_next(ws, answer_pings=True) == "4hello"
    ws.close()


@for_both_paths("upgrade: ignores WebSocket connection with same sid after upgrade (issue 16: accepted, then closed)")
def _(path):
    sid, ws = upgraded_session(path)
    second = ws_connect(path, "?EIO=4&transport=websocket&sid=" + sid)  # 101, not 400
    assert ws_closes(second, 1)
    if path == "/engine.io/":
        ws.send("4hello")
        assert ws_next(ws, answer_pings=True) == "4hello"
    else:
        ws.send("40")
        assert ws_next(ws, answer_pings=True).startswith("40{")
    ws.close()


# MARK: Socket.IO v5 test suite (socketio/socket.io-protocol)

@case("connect: should allow connection to the main namespace")
def _():
    ws = ws_connect("/socket.io/", "?EIO=4&transport=websocket")
    ws_next(ws)
    ws.send("40")
    data = ws_next(ws)
    assert data.startswith("40")
    assert list(json.loads(data[2:])) == ["sid"], data
    assert ws_next(ws) == '42["auth",{}]'
    ws.close()


@case("connect: should allow connection to the main namespace with a payload")
def _():
    ws = ws_connect("/socket.io/", "?EIO=4&transport=websocket")
    ws_next(ws)
    ws.send('40{"token":"123"}')
    data = ws_next(ws)
    assert data.startswith("40") and list(json.loads(data[2:])) == ["sid"], data
    assert ws_next(ws) == '42["auth",{"token":"123"}]'
    ws.close()


@case("connect: should allow connection to a custom namespace")
def _():
    ws = ws_connect("/socket.io/", "?EIO=4&transport=websocket")
    ws_next(ws)
    ws.send("40/custom,")
    data = ws_next(ws)
    assert data.startswith("40/custom,") and list(json.loads(data[10:])) == ["sid"], data
    assert ws_next(ws) == '42/custom,["auth",{}]'
    ws.close()


@case("connect: should allow connection to a custom namespace with a payload")
def _():
    ws = ws_connect("/socket.io/", "?EIO=4&transport=websocket")
    ws_next(ws)
    ws.send('40/custom,{"token":"abc"}')
    data = ws_next(ws)
    assert data.startswith("40/custom,") and list(json.loads(data[10:])) == ["sid"], data
    assert ws_next(ws) == '42/custom,["auth",{"token":"abc"}]'
    ws.close()


@case("connect: should disallow connection to an unknown namespace")
def _():
    ws = ws_connect("/socket.io/", "?EIO=4&transport=websocket")
    ws_next(ws)
    ws.send("40/random")
    assert ws_next(ws) == '44/random,{"message":"Invalid namespace"}'
    ws.close()


@case("connect: should disallow connection with an invalid handshake")
def _():
    ws = ws_connect("/socket.io/", "?EIO=4&transport=websocket")
    ws_next(ws)
    ws.send("4abc")
    assert ws_closes(ws, 1)


@case("connect: should close the connection if no handshake is received")
def _():
    ws = ws_connect("/socket.io/", "?EIO=4&transport=websocket")
    ws_next(ws)
    assert ws_closes(ws, 3)  # pings answered: the connect timeout (1 s in this scenario) ends it


@case("disconnect: should disconnect from the main namespace")
def _():
    ws = socketio_connection()
    ws.send("41")
    assert ws_next(ws) == "2"  # the Engine.IO connection stays: the next thing is a ping
    ws.close()


@case("disconnect: should connect then disconnect from a custom namespace")
def _():
    ws = socketio_connection()
    ws.send("40/custom")
    assert ws_next(ws, answer_pings=True).startswith("40/custom,")
    assert ws_next(ws, answer_pings=True) == '42/custom,["auth",{}]'
    ws.send("41/custom")
    ws.send('42["message","message to main namespace"]')
    assert ws_next(ws, answer_pings=True) == '42["message-back","message to main namespace"]'
    ws.close()


@case("message: should send a plain-text packet")
def _():
    ws = socketio_connection()
    ws.send('42["message",1,"2",{"3":[true]}]')
    assert ws_next(ws, answer_pings=True) == '42["message-back",1,"2",{"3":[true]}]'
    ws.close()


@case("message: should send a packet with binary attachments")
def _():
    ws = socketio_connection()
    ws.send('452-["message",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]')
    ws.send_binary(bytes([1, 2, 3]))
    ws.send_binary(bytes([4, 5, 6]))
    got = [ws_next(ws, answer_pings=True) for _ in range(3)]
    assert got == ['452-["message-back",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
                   bytes([1, 2, 3]), bytes([4, 5, 6])], got
    ws.close()


@case("message: should send a plain-text packet with an ack")
def _():
    ws = socketio_connection()
    ws.send('42456["message-with-ack",1,"2",{"3":[false]}]')
    assert ws_next(ws, answer_pings=True) == '43456[1,"2",{"3":[false]}]'
    ws.close()


@case("message: should send a packet with binary attachments and an ack")
def _():
    ws = socketio_connection()
    ws.send('452-789["message-with-ack",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]')
    ws.send_binary(bytes([1, 2, 3]))
    ws.send_binary(bytes([4, 5, 6]))
    got = [ws_next(ws, answer_pings=True) for _ in range(3)]
    assert got == ['462-789[{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]',
                   bytes([1, 2, 3]), bytes([4, 5, 6])], got
    ws.close()


@case("message: should close the connection upon invalid format (unknown packet type)")
def _():
    ws = socketio_connection()
    ws.send("4abc")
    assert ws_closes(ws, 1)


@case("message: should close the connection upon invalid format (invalid payload format)")
def _():
    ws = socketio_connection()
    ws.send("42{}")
    assert ws_closes(ws, 1)


@case("message: should close the connection upon invalid format (invalid ack id)")
def _():
    ws = socketio_connection()
    ws.send('42abc["message-with-ack",1,"2",{"3":[false]}]')
    assert ws_closes(ws, 1)


# MARK: Issue 16: what the published suites do not cover

def ws_frame(text):
    """A masked text frame, as a client sends it."""
    payload = text.encode()
    key = os.urandom(4)
    assert len(payload) < 126
    return struct.pack("!BB", 0x81, 0x80 | len(payload)) + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def read_frame(sock):
    """One unmasked server frame's opcode and payload."""
    head = recv_exact(sock, 2)
    length = head[1] & 0x7F
    if length == 126:
        length = struct.unpack("!H", recv_exact(sock, 2))[0]
    elif length == 127:
        length = struct.unpack("!Q", recv_exact(sock, 8))[0]
    return head[0] & 0x0F, recv_exact(sock, length)


def recv_exact(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed after %d of %d bytes" % (len(data), count))
        data += chunk
    return data


def read_response(sock):
    """One HTTP response (head and Content-Length body) from a kept-alive connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed before a whole response head")
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    body = rest + recv_exact(sock, length - len(rest)) if length > len(rest) else rest[:length]
    return int(lines[0].split(" ")[1]), headers, body


def upgrade_request(sid):
    """The bytes of a WebSocket upgrade request for `sid` on /socket.io/, with a fresh key."""
    key = base64.b64encode(os.urandom(16)).decode()
    return ("GET /socket.io/?EIO=4&transport=websocket&sid=%s HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (sid, key)).encode()


def kept_alive_polling_session(sock):
    """A polling handshake on `sock`, kept alive; returns the sid."""
    sock.sendall(b"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n\r\n")
    status, _, body = read_response(sock)
    assert status == 200, status
    return json.loads(body[1:])["sid"]


@case("issue 16: an upgrade on a kept-alive connection is routed as a first request would be")
def _():
    sock = socket.create_connection(("127.0.0.1", SERVER.port), timeout=5)
    try:
        sid = kept_alive_polling_session(sock)
        sock.sendall(("POST /socket.io/?EIO=4&transport=polling&sid=%s HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n40"
                      % sid).encode())
        status, _, body = read_response(sock)
        assert (status, body) == (200, b"ok"), (status, body)
        sock.sendall(upgrade_request(sid))
        status, headers, _ = read_response(sock)
        assert status == 101, status
        assert headers.get("upgrade", "").lower() == "websocket"
        # A frame sent right behind the head is not lost on the way from HTTP to WebSocket.
        sock.sendall(ws_frame("2probe"))
        assert read_frame(sock) == (1, b"3probe")
        sock.sendall(ws_frame("5") + ws_frame('42["message","over the upgraded connection"]'))
        while True:
            opcode, payload = read_frame(sock)
            if payload == b"2":
                sock.sendall(ws_frame("3"))
                continue
            if payload.startswith(b'42["auth"') or payload.startswith(b"40{"):
                continue
            break
        assert payload == b'42["message-back","over the upgraded connection"]', payload
    finally:
        sock.close()


@case("issue 16: a WebSocket after a refused kept-alive request is still answered with the error")
def _():
    sock = socket.create_connection(("127.0.0.1", SERVER.port), timeout=5)
    try:
        kept_alive_polling_session(sock)
        sock.sendall(upgrade_request("unknown"))
        status, _, body = read_response(sock)
        assert status == 400 and json.loads(body)["code"] == 1, (status, body)
    finally:
        sock.close()


@case("issue 16: repeated Engine.IO parameters are refused (400; code 5 for EIO, 3 otherwise)")
def _():
    for query, code in [("?EIO=4&EIO=3&transport=polling", 5), ("?EIO=4&EIO=4&transport=polling", 5),
                        ("?EIO=4&transport=polling&transport=polling", 3),
                        ("?EIO=4&transport=polling&transport=websocket", 3)]:
        reply = fetch("/socket.io/", query)
        assert reply.status == 400 and json.loads(reply.body)["code"] == code, (query, reply.status, reply.text)
    sid = polling_session("/socket.io/")
    reply = fetch("/socket.io/", "?EIO=4&transport=polling&sid=%s&sid=%s" % (sid, sid))
    assert reply.status == 400 and json.loads(reply.body)["code"] == 3, (reply.status, reply.text)
    ws_refused("/socket.io/", "?EIO=4&EIO=3&transport=websocket")
    ws_refused("/socket.io/", "?EIO=4&transport=websocket&transport=websocket")


def closes_after(messages, connect_first, binary=None):
    ws = socketio_connection() if connect_first else ws_connect("/socket.io/", "?EIO=4&transport=websocket")
    if not connect_first:
        ws_next(ws)
    for message in messages:
        ws.send(message)
    if binary is not None:
        try:
            ws.send_binary(binary)
        except (BrokenPipeError, ConnectionError, websocket.WebSocketConnectionClosedException):
            pass
    return ws_closes(ws, 1)


@case("issue 16: before any CONNECT, every packet but CONNECT closes the connection")
def _():
    for message in ['421["echo","x"]', "431[]", "41", '451-["x",{"_placeholder":true,"num":0}]']:
        assert closes_after([message], connect_first=False), message


@case("issue 16: a packet for a namespace not joined closes the connection")
def _():
    for message in ['42/custom,1["message","x"]', "43/custom,1[]", '42/ghost,["x"]', "41/custom,",
                    '451-/custom,["x",{"_placeholder":true,"num":0}]']:
        assert closes_after([message], connect_first=True, binary=b"\x01" if message.startswith("45") else None), message


@case("issue 16: a second CONNECT to a namespace already joined closes the connection")
def _():
    assert closes_after(["40"], connect_first=True)


@case("issue 16: a PING from the client (wrong heartbeat direction) closes the connection")
def _():
    assert closes_after(["2"], connect_first=True)
    ws = ws_connect("/engine.io/", "?EIO=4&transport=websocket")
    ws_next(ws)
    ws.send("2ping")
    assert ws_closes(ws, 1)


@case("issue 16: the session stays usable after an invalid packet is refused on another connection")
def _():
    ws = socketio_connection()
    other = ws_connect("/socket.io/", "?EIO=4&transport=websocket")
    ws_next(other)
    other.send('42["message","x"]')
    assert ws_closes(other, 1)
    ws.send('42["message","still here"]')
    assert ws_next(ws, answer_pings=True) == '42["message-back","still here"]'
    ws.close()


async def async_client(transports):
    import socketio
    client = socketio.AsyncClient(reconnection=False)
    auth = asyncio.get_running_loop().create_future()
    client.on("auth", lambda data: auth.done() or auth.set_result(data))
    await client.connect("http://127.0.0.1:%d" % SERVER.port, transports=transports, auth={"token": "async"},
                         wait_timeout=5)
    try:
        assert await asyncio.wait_for(auth, 5) == {"token": "async"}
        reply = await client.call("message-with-ack", [1, "2", {"3": True}], timeout=5)
        assert reply == [1, "2", {"3": True}], reply
        binary = await client.call("message-with-ack", b"\x00\x01\xff", timeout=5)
        assert binary == b"\x00\x01\xff", binary
        if transports == ["polling", "websocket"]:
            deadline = time.time() + 5
            while client.transport() != "websocket" and time.time() < deadline:
                await asyncio.sleep(0.02)
            assert client.transport() == "websocket", client.transport()
            assert await client.call("message-with-ack", "after the upgrade", timeout=5) == "after the upgrade"
    finally:
        await client.disconnect()


for _transports in (["polling"], ["websocket"], ["polling", "websocket"]):
    CASES.append(("issue 16: python-socketio's AsyncClient (aiohttp, connection reuse) over %s" % "+".join(_transports),
                  lambda transports=_transports: asyncio.run(async_client(transports))))


def main():
    global SERVER
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    SERVER = start_server(sys.argv[1])
    passed = failed = 0
    try:
        for name, fn in CASES:
            if only and only not in name:
                continue
            started = time.time()
            try:
                fn()
            except Exception as error:  # noqa: BLE001 - every failure is reported, the suite goes on
                failed += 1
                print("FAIL %s: %s: %r" % (name, type(error).__name__, error), flush=True)
            else:
                passed += 1
                print("ok   %s (%.2f s)" % (name, time.time() - started), flush=True)
            if not SERVER.alive():
                print("FAIL the server process exited", flush=True)
                failed += 1
                break
    finally:
        SERVER.stop()
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
