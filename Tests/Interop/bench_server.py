"""python-socketio's server in its fastest common setup (aiohttp on uvloop) with the two events
`sioscope bench` uses, for the side-by-side comparison (scripts/bench-compare). Prints
{"port": N, "pid": P} and serves until killed.

    ping-ack  answers with its arguments (the echo workload)
    chat      is broadcast to everyone else in the namespace (the fan-out workload)
"""
import asyncio
import json
import os
import socket

import socketio
import uvloop
from aiohttp import web

sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
app = web.Application()
sio.attach(app)


@sio.on("ping-ack")
async def ping_ack(sid, *args):
    return args


@sio.on("chat")
async def chat(sid, *args):
    await sio.emit("chat", (sid,) + args, skip_sid=sid)


async def main():
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    site = web.SockSite(runner, sock, backlog=1024)
    await site.start()
    print(json.dumps({"port": sock.getsockname()[1], "pid": os.getpid()}), flush=True)
    await asyncio.Event().wait()


uvloop.run(main())
