# Copyright 2026 The raftc Authors. SPDX-License-Identifier: Apache-2.0
#
# http.py: raftc-kv's HTTP/1.1 listener (aiohttp's low-level server): the client API (/kv,
# /members, /leader, /status) and the receiving half of the peer transport (/raft). Paths are
# parsed from the raw request target, so a key's %2F stays inside the key and "." or ".." are
# refused instead of being resolved as path segments.
"""The HTTP front of a raftc-kv node."""
import json
from typing import Awaitable, Callable, Dict, Optional, Tuple
from urllib.parse import parse_qs

from aiohttp import web

from .. import raftpb
from ..errors import RaftError
from . import kvpb_pb2 as kvpb
from . import wire
from .service import KVNode, Outcome

__all__ = ["make_handler"]

Handler = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]


def _answer(out: Outcome, close: bool = False) -> web.Response:
    headers: Dict[str, str] = {}
    if out.status == 503:
        headers["Retry-After"] = "1"
    body = (out.text + "\n").encode() if out.text and out.status != 204 else None
    resp = web.Response(status=out.status, body=body, headers=headers,
                        content_type="text/plain" if body else None)
    if close:
        resp.force_close()
    return resp


async def _read_body(request: web.BaseRequest, limit: int) -> Optional[bytes]:
    """The request body, or None when it is over limit bytes (the caller answers 413 and
    closes the connection, leaving the rest unread)."""
    length = request.content_length
    if length is not None and length > limit:
        return None
    chunks = []
    size = 0
    while True:
        chunk = await request.content.readany()
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _query(query: str) -> Dict[str, str]:
    try:
        parsed = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise wire.BadRequest("malformed query string") from None
    out = {}
    for name, values in parsed.items():
        if len(values) != 1:
            raise wire.BadRequest("query parameter %r given twice" % name)
        out[name] = values[0]
    return out


def _flag(q: Dict[str, str], name: str) -> bool:
    value = q.get(name, "false")
    if value not in ("true", "false"):
        raise wire.BadRequest("%s must be true or false" % name)
    return value == "true"


def make_handler(kv: KVNode) -> Handler:
    """The request handler of node kv (for aiohttp.web.Server)."""

    async def raft(request: web.BaseRequest) -> web.StreamResponse:
        body = await _read_body(request, wire.MAX_PEER_BODY)
        if body is None:
            return _answer(Outcome(413, "body over %d bytes" % wire.MAX_PEER_BODY), close=True)
        mine = []
        try:
            for i, b in enumerate(wire.unframe(body)):
                try:
                    m = raftpb.Message.FromString(b)
                except Exception as exc:  # protobuf's DecodeError
                    raise wire.BadRequest("message %d: %s" % (i, exc)) from None
                if getattr(m, "from") == kv.id and m.to == kv.id:
                    raise wire.BadRequest("message %d comes from this node's own id %d: "
                                          "another node claims id %d" % (i, kv.id, kv.id))
                if m.to == kv.id:
                    mine.append(b)
        except wire.BadRequest as exc:
            return _answer(Outcome(400, str(exc)))
        if mine:
            await kv.deliver(mine)
        return web.Response(status=204)

    async def kv_key(request: web.BaseRequest, segment: str, q: Dict[str, str]
                     ) -> web.StreamResponse:
        key = wire.parse_key(segment)
        method = request.method
        if method == "GET":
            consistency = q.get("consistency", "linearizable")
            if consistency not in ("linearizable", "serializable"):
                raise wire.BadRequest("consistency must be linearizable or serializable")
            out, value = await kv.read(key, consistency == "linearizable")
            if value is None:
                return _answer(out)
            return web.Response(status=200, body=value, content_type="application/octet-stream")
        if method == "PUT":
            value = await _read_body(request, wire.MAX_VALUE)
            if value is None:
                return _answer(Outcome(413, "value over %d bytes" % wire.MAX_VALUE), close=True)
            return _answer(await kv.write(kvpb.Command.PUT, key, value))
        if method == "DELETE":
            return _answer(await kv.write(kvpb.Command.DELETE, key))
        return _answer(Outcome(405, "method %s not allowed on /kv/" % method))

    async def members(request: web.BaseRequest, segment: str, q: Dict[str, str]
                      ) -> web.StreamResponse:
        node = wire.parse_id(segment)
        if request.method == "POST":
            body = await _read_body(request, 4096)
            if body is None:
                return _answer(Outcome(413, "URL over 4096 bytes"), close=True)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise wire.BadRequest("the URL is not valid UTF-8") from None
            url = wire.parse_url(text)
            return _answer(await kv.change_member(node, url, learner=_flag(q, "learner")))
        if request.method == "DELETE":
            return _answer(await kv.change_member(node, remove=True))
        return _answer(Outcome(405, "method %s not allowed on /members/" % request.method))

    async def leader(request: web.BaseRequest, segment: str, q: Dict[str, str]
                     ) -> web.StreamResponse:
        node = wire.parse_id(segment)
        if request.method != "POST":
            return _answer(Outcome(405, "use POST /leader/{id}"))
        return _answer(await kv.transfer_leader(node))

    routes: Tuple[Tuple[str, Callable[..., Awaitable[web.StreamResponse]]], ...] = (
        ("/kv/", kv_key), ("/members/", members), ("/leader/", leader))

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        path, _, query = request.raw_path.partition("?")
        try:
            if path == "/raft":
                if request.method != "POST":
                    return _answer(Outcome(405, "use POST /raft"))
                return await raft(request)
            if path == "/status":
                if request.method != "GET":
                    return _answer(Outcome(405, "use GET /status"))
                try:
                    doc = kv.status()
                except RaftError:  # stopping
                    return _answer(Outcome(503, "stopping"))
                return web.Response(text=json.dumps(doc) + "\n",
                                    content_type="application/json")
            for prefix, route in routes:
                if path.startswith(prefix):
                    return await route(request, path[len(prefix):], _query(query))
            return _answer(Outcome(404, "no such endpoint: %s" % path))
        except wire.TooLarge as exc:
            return _answer(Outcome(413, str(exc)), close=True)
        except wire.BadRequest as exc:
            return _answer(Outcome(400, str(exc)))

    return handle
