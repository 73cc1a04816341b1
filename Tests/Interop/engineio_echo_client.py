"""Connects python-engineio's client to an echo server, sends text and binary, and reports what
came back as one JSON line. Usage: engineio_echo_client.py URL TRANSPORTS [SECONDS_CONNECTED]
TRANSPORTS is "polling", "websocket" or "polling,websocket" (upgrade)."""
import json
import sys
import threading
import time

import engineio

url, transports = sys.argv[1], sys.argv[2].split(",")
hold = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
received = []
done = threading.Event()
client = engineio.Client()


@client.on("message")
def on_message(data):
    received.append(data.hex() if isinstance(data, bytes) else data)
    if len(received) == 3:
        done.set()


client.connect(url, transports=transports, engineio_path="engine.io")
# Give an upgrade the chance to finish before sending, so the last transport is observed.
time.sleep(0.3 if len(transports) > 1 else 0)
client.send("hello")
client.send("héllo ✓ 😀")
client.send(b"\x01\x02\xff")
ok = done.wait(5)
time.sleep(hold)
result = {"ok": ok, "received": received, "transport": client.transport(), "sid": client.sid,
          "connected": client.state == "connected"}
client.disconnect()
print(json.dumps(result))
