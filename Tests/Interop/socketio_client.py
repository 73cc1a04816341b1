"""Drives python-socketio's client (from PyPI) through one scenario against a sioscope server and
prints what it observed as one JSON line. Usage: socketio_client.py SCENARIO URL TRANSPORTS
TRANSPORTS is "polling", "websocket" or "polling,websocket"."""
import json
import sys
import threading
import time

import socketio

scenario, url, transports = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
result = {}


def waiter():
    box = {"event": threading.Event(), "value": None}

    def handler(*args):
        box["value"] = [a.hex() if isinstance(a, bytes) else a for a in args]
        box["event"].set()

    return box, handler


def value(box, seconds=10):
    return box["value"] if box["event"].wait(seconds) else "timeout"


def basic():
    sio = socketio.Client()
    welcome, on_welcome = waiter()
    echo, on_echo = waiter()
    binary, on_binary = waiter()
    answer, on_answer = waiter()
    sio.on("welcome", on_welcome)
    sio.on("echo-back", on_echo)
    sio.on("binary-back", on_binary)
    sio.on("answer", on_answer)
    # The server asks us something with an ack; our return value is the ack's arguments
    # (python-socketio: a tuple is several arguments, a list is one).
    sio.on("question", lambda *args: ("forty-two", args[0] if args else None))
    sio.connect(url, auth={"token": "abc"}, transports=transports, wait_timeout=15)
    time.sleep(0.3 if len(transports) > 1 else 0)
    result["welcome"] = value(welcome)
    sio.emit("echo", (1, "two ✓", {"three": [3, None, True]}))
    result["echo"] = value(echo)
    result["ack"] = sio.call("ack-me", ("a", 2), timeout=5)
    sio.emit("binary", b"\x00\x01\xfe\xff")
    result["binary"] = value(binary)
    sio.emit("ask")
    result["answer"] = value(answer)
    result["transport"] = sio.transport()
    sio.disconnect()


def namespaces():
    refused = socketio.Client()
    error, on_error = waiter()
    refused.on("connect_error", on_error, namespace="/admin")
    try:
        refused.connect(url, namespaces=["/admin"], transports=transports, wait_timeout=15)
    except socketio.exceptions.ConnectionError:
        pass
    result["refused"] = value(error)
    refused.disconnect()

    admitted = socketio.Client()
    welcome, on_welcome = waiter()
    admitted.on("welcome", on_welcome, namespace="/admin")
    admitted.connect(url, namespaces=["/admin"], auth={"token": "secret"}, transports=transports, wait_timeout=15)
    result["admitted"] = value(welcome)
    admitted.disconnect()

    dynamic = socketio.Client()
    hello, on_hello = waiter()
    dynamic.on("welcome", on_hello, namespace="/dyn-42")
    dynamic.connect(url, namespaces=["/dyn-42"], transports=transports, wait_timeout=15)
    result["dynamic"] = value(hello)
    dynamic.disconnect()

    unknown = socketio.Client()
    missing, on_missing = waiter()
    unknown.on("connect_error", on_missing, namespace="/nowhere")
    try:
        unknown.connect(url, namespaces=["/nowhere"], transports=transports, wait_timeout=15)
    except socketio.exceptions.ConnectionError:
        pass
    result["unknown"] = value(missing)
    unknown.disconnect()


def rooms():
    a, b = socketio.Client(), socketio.Client()
    a_got, on_a = waiter()
    b_got, on_b = waiter()
    a.on("said", on_a)
    b.on("said", on_b)
    a.connect(url, transports=transports, wait_timeout=15)
    b.connect(url, transports=transports, wait_timeout=15)
    a.call("join", "red", timeout=5)
    b.call("join", "red", timeout=5)
    b.emit("say", ("red", "hello red"))
    result["member"] = value(a_got)
    result["sender"] = value(b_got, 1)
    a.disconnect()
    b.disconnect()


def protocol_suite():
    sio = socketio.Client()
    auth, on_auth = waiter()
    sio.on("auth", on_auth)
    sio.connect(url, namespaces=["/", "/custom"], auth={"token": "123"}, transports=transports, wait_timeout=15)
    result["auth"] = value(auth)
    sio.disconnect()
    # A second client without auth: the server must send {} on both namespaces.
    custom, on_custom = waiter()
    back, on_back = waiter()
    bare = socketio.Client()
    bare.on("auth", on_custom, namespace="/custom")
    bare.on("message-back", on_back)
    bare.connect(url, namespaces=["/", "/custom"], transports=transports, wait_timeout=15)
    result["customAuth"] = value(custom)
    bare.emit("message", (1, "2", {"3": 4}, b"\x01\x02\x03\x04"))
    result["messageBack"] = value(back)
    result["ack"] = bare.call("message-with-ack", (1, "2", {"3": 4}), timeout=5)
    bare.disconnect()


def sample_file():
    a, b = socketio.Client(), socketio.Client()
    welcome, on_welcome = waiter()
    echo, on_echo = waiter()
    said, on_said = waiter()
    answer, on_answer = waiter()
    admin_error, on_admin_error = waiter()
    dynamic, on_dynamic = waiter()
    a.on("welcome", on_welcome)
    a.on("echo", on_echo)
    a.on("room-say", on_said)
    a.on("answer", on_answer)
    a.on("question", lambda *args: ("because", args[0] if args else None))
    a.on("welcome", on_dynamic, namespace="/ws-42")
    a.connect(url, namespaces=["/", "/ws-42"], transports=transports, wait_timeout=15)
    result["welcome"] = value(welcome)
    result["dynamic"] = value(dynamic)
    a.emit("echo", ("x", 1))
    result["echo"] = value(echo)
    result["pingAck"] = a.call("ping-ack", ("p", 2), timeout=5)
    result["joined"] = a.call("join", "red", timeout=5)
    b.connect(url, transports=transports, wait_timeout=15)
    b.emit("room-say", ("red", "hi red"))
    result["said"] = value(said)
    a.emit("ask")
    result["answer"] = value(answer)
    result["isConnected"] = b.call("is-connected", a.get_sid("/"), timeout=5)
    c = socketio.Client()
    c.on("connect_error", on_admin_error, namespace="/admin")
    try:
        c.connect(url, namespaces=["/admin"], transports=transports, wait_timeout=15)
    except socketio.exceptions.ConnectionError:
        pass
    result["admin"] = value(admin_error)
    a.disconnect()
    b.disconnect()
    c.disconnect()


{"basic": basic, "namespaces": namespaces, "rooms": rooms, "protocol-suite": protocol_suite,
 "sample-file": sample_file}[scenario]()
print(json.dumps(result))
