"""An outside client for the console's end-to-end test: connects to /admin with the demo's token,
prints what happened on stdout (one line per fact, flushed), and with --wait-event stays until the
server emits that event to it.

    console_admin_client.py URL [--wait-event NAME] [--timeout S]
Prints: CONNECTED <socket id> | REFUSED <message> <data json> | GOT <event> <args json> | TIMEOUT
"""
import argparse
import json
import sys
import threading

import socketio


def say(line):
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--wait-event")
    parser.add_argument("--timeout", type=float, default=20)
    args = parser.parse_args()

    client = socketio.Client(reconnection=False)
    got = threading.Event()
    refused = {}

    @client.on("connect_error", namespace="/admin")
    def on_connect_error(data):
        refused["data"] = data

    if args.wait_event:
        @client.on(args.wait_event, namespace="/admin")
        def on_event(*event_args):
            say("GOT %s %s" % (args.wait_event, json.dumps(list(event_args), separators=(",", ":"))))
            got.set()

    try:
        client.connect(args.url, namespaces=["/admin"], auth={"token": "secret"}, wait_timeout=10)
    except socketio.exceptions.ConnectionError as error:
        data = refused.get("data")
        if isinstance(data, dict):
            message = data.get("message", "")
            extra = data.get("data")
            say("REFUSED %s %s" % (message, json.dumps(extra, separators=(",", ":"))))
        else:
            say("REFUSED %s" % error)
        return 0
    say("CONNECTED %s" % client.get_sid(namespace="/admin"))
    if args.wait_event:
        if not got.wait(args.timeout):
            say("TIMEOUT")
    client.disconnect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
