"""python-socketio's server (aiohttp) for the client's interop tests. Listens on 127.0.0.1 at a
free port, prints {"port": N} as its first line, and serves until it is terminated.
With `--tls CERT KEY` it serves https and wss."""
import asyncio
import json
import socket
import ssl
import sys

import socketio
from aiohttp import web

sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval=1, ping_timeout=5)
app = web.Application()
sio.attach(app)


@sio.event
async def connect(sid, environ, auth):
    await sio.emit("welcome", auth or {}, to=sid)


@sio.on("echo")
async def echo(sid, *args):
    await sio.emit("echo-back", args, to=sid)


@sio.on("ack-me")
async def ack_me(sid, *args):
    return args


@sio.on("ask")
async def ask(sid, *args):
    reply = await sio.call("question", "why?", to=sid, timeout=5)
    await sio.emit("answer", reply if isinstance(reply, tuple) else (reply,), to=sid)


@sio.on("join")
async def join(sid, room):
    await sio.enter_room(sid, room)
    return room


@sio.on("room-say")
async def room_say(sid, room, text):
    await sio.emit("room-said", text, room=room, skip_sid=sid)


@sio.on("drop-me")
async def drop_me(sid):
    # Ends the Engine.IO connection itself (not a namespace disconnect): the client should reconnect.
    await sio.eio.disconnect(sio.manager.eio_sid_from_sid(sid, "/"))


@sio.on("kick-me")
async def kick_me(sid):
    # A namespace disconnect from the server: a client with no other namespace closes its connection.
    await sio.disconnect(sid)


@sio.on("engine-sessions")
async def engine_sessions(sid):
    # Closed sockets may stay in the table until python-engineio's service task sweeps them.
    return len([s for s in sio.eio.sockets.values() if not s.closed])


@sio.on("connect", namespace="/admin")
async def admin_connect(sid, environ, auth):
    if not auth or auth.get("token") != "secret":
        raise socketio.exceptions.ConnectionRefusedError("forbidden", {"reason": "no token"})


@sio.on("delete user", namespace="/admin")
async def delete_user(sid, *args):
    return ("ok",) + args


async def main():
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    context = None
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
    site = web.SockSite(runner, sock, ssl_context=context)
    await site.start()
    print(json.dumps({"port": sock.getsockname()[1]}), flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
