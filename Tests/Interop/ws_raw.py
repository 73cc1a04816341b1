"""Raw WebSocket checks against an Engine.IO server (websocket-client from PyPI). Prints one JSON
line. Usage: ws_raw.py CASE BASE_URL   (BASE_URL like http://127.0.0.1:PORT/engine.io/)"""
import json
import sys
import urllib.request
import urllib.error

import websocket

case, base = sys.argv[1], sys.argv[2]
ws_base = base.replace("http://", "ws://")
result = {}


def http_get(url, headers=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def handshake():
    status, body = http_get(base + "?EIO=4&transport=polling")
    return json.loads(body[1:])["sid"]


def close_code(ws):
    ws.settimeout(5)
    while True:
        try:
            op, data = ws.recv_data(control_frame=True)
        except websocket.WebSocketConnectionClosedException:
            return None
        if op == websocket.ABNF.OPCODE_CLOSE:
            return int.from_bytes(data[:2], "big") if len(data) >= 2 else None


if case == "too-large":
    ws = websocket.create_connection(ws_base + "?EIO=4&transport=websocket")
    ws.recv()  # open packet
    ws.send("4" + "x" * 2000)
    result["close"] = close_code(ws)
elif case == "not-engineio":
    ws = websocket.create_connection(ws_base + "?EIO=4&transport=websocket")
    result["sid"] = json.loads(ws.recv()[1:])["sid"]
    ws.send("9nonsense")
    result["close"] = close_code(ws)
elif case == "upgrade-rules":
    sid = handshake()
    ws = websocket.create_connection(ws_base + "?EIO=4&transport=websocket&sid=" + sid)
    ws.send("2probe")
    result["probe"] = ws.recv()
    ws.send("5")
    # Once upgraded, polling is refused and a second WebSocket for the sid is accepted (101) and
    # closed at once, as engine.io does.
    result["pollAfter"] = http_get(base + "?EIO=4&transport=polling&sid=" + sid)
    try:
        second = websocket.create_connection(ws_base + "?EIO=4&transport=websocket&sid=" + sid)
        close_code(second)  # returns once the server closed it (a timeout raises)
        result["second"] = "closed"
    except websocket.WebSocketBadStatusException as e:
        result["second"] = e.status_code
    ws.send("4still")
    result["echo"] = ws.recv()
elif case == "unknown-sid":
    try:
        websocket.create_connection(ws_base + "?EIO=4&transport=websocket&sid=nope")
        result["status"] = "accepted"
    except websocket.WebSocketBadStatusException as e:
        result["status"] = e.status_code
        result["body"] = e.resp_body.decode() if e.resp_body else None
elif case == "origin":
    for origin in ["http://app.test", "http://evil.test"]:
        try:
            ws = websocket.create_connection(ws_base + "?EIO=4&transport=websocket", origin=origin)
            result[origin] = "accepted"
            ws.close()
        except websocket.WebSocketBadStatusException as e:
            result[origin] = e.status_code
print(json.dumps(result))
