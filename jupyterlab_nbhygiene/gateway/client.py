"""A kernel client over a gateway's websocket that nbclient can drive without busy-waiting.

jupyter_server's ``GatewayKernelClient`` reads the websocket in a thread and its channels poll
their queues with ``await asyncio.sleep(0)``: a core at 100% while a cell runs, and a blocking
connect on the event loop. Here one asyncio task reads the websocket (tornado's client, on the
running loop) and routes each message to its channel's ``asyncio.Queue``; ``get_msg`` waits on
that queue. The reader also watches the iopub status: ``restarting`` or ``dead`` means the
kernel the run started is gone (a gateway restarts a crashed kernel under the same id), so
``is_alive`` answers False from then on and nbclient reports the cell's kernel as dead at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import itertools
import json
import logging
import struct
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from queue import Empty
from typing import Any

from tornado.httpclient import HTTPClientError
from tornado.websocket import WebSocketClientConnection, WebSocketClosedError, websocket_connect

from .http import GatewayEndpoint, describe_http_error, describe_os_error, request_for

log = logging.getLogger(__name__)

CHANNELS = ("shell", "iopub", "stdin", "control", "hb")
GONE_STATES = frozenset({"restarting", "autorestarting", "dead"})
MAX_MESSAGE_BYTES = 256 * 1024 * 1024
PROTOCOL_VERSION = "5.3"


def decode_message(raw: str | bytes) -> dict[str, Any]:
    """A kernel message from a websocket frame: JSON text, or jupyter_server's binary framing
    (buffer count, offsets, JSON, then the binary buffers)."""
    if isinstance(raw, str):
        msg: dict[str, Any] = json.loads(raw)
        return msg
    count = struct.unpack("!i", raw[:4])[0]
    offsets = [*struct.unpack("!" + "I" * count, raw[4 : 4 * (count + 1)]), len(raw)]
    parts = [raw[start:stop] for start, stop in itertools.pairwise(offsets)]
    msg = json.loads(parts[0].decode("utf-8"))
    msg["buffers"] = parts[1:]
    return msg


def _ignore_closed(sent: asyncio.Future[None]) -> None:
    """A frame that could not be written because the connection closed meanwhile: the reader
    has seen the close, and `is_alive` says so."""
    if not sent.cancelled():
        sent.exception()


class GatewayChannel:
    """One channel of the kernel: messages routed here by the reader, sent over the websocket."""

    def __init__(self, name: str, client: GatewayKernelClient) -> None:
        self.name = name
        self._client = client
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    def put(self, msg: dict[str, Any]) -> None:
        self._queue.put_nowait(msg)

    async def get_msg(self, timeout: float | None = None) -> dict[str, Any]:
        """The next message; raises queue.Empty after `timeout` seconds (None: wait until one
        comes), or at once when the connection is closed and nothing is left."""
        if not self._queue.empty():
            return self._queue.get_nowait()
        if self._client.closed:
            if timeout is None:  # nothing will come; whoever waits is cancelled by its caller
                await asyncio.Event().wait()
            raise Empty
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except asyncio.TimeoutError:
            raise Empty from None

    def send(self, msg: dict[str, Any]) -> None:
        self._client.send(self.name, msg)

    def msg_ready(self) -> bool:
        return not self._queue.empty()

    def is_alive(self) -> bool:
        return not self._client.closed

    def start(self) -> None:
        """Nothing to do: the websocket carries every channel."""

    def stop(self) -> None:
        """Nothing to do: closing the client closes the websocket."""

    def is_beating(self) -> bool:
        return not self._client.closed and not self._client.gone


class GatewayKernelClient:
    """The subset of jupyter_client's AsyncKernelClient that nbclient and the runner use,
    over one websocket to the gateway. `is_alive` asks `alive` (the kernel manager's check)."""

    def __init__(
        self,
        endpoint: GatewayEndpoint,
        kernel_id: str,
        *,
        alive: Callable[[], Awaitable[bool]],
        connect_timeout: float = 60.0,
    ) -> None:
        self.endpoint = endpoint
        self.kernel_id = kernel_id
        self.allow_stdin = False
        self.session_id = uuid.uuid4().hex
        self.username = endpoint.user or getpass.getuser()
        self.connect_timeout = connect_timeout
        self.closed = True
        self.gone: str | None = None  # why the started kernel is gone, once it is
        self._alive = alive
        self._ws: WebSocketClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._stopped = False
        self._channels = {name: GatewayChannel(name, self) for name in CHANNELS}

    # channels ---------------------------------------------------------------------------
    @property
    def shell_channel(self) -> GatewayChannel:
        return self._channels["shell"]

    @property
    def iopub_channel(self) -> GatewayChannel:
        return self._channels["iopub"]

    @property
    def stdin_channel(self) -> GatewayChannel:
        return self._channels["stdin"]

    @property
    def control_channel(self) -> GatewayChannel:
        return self._channels["control"]

    @property
    def hb_channel(self) -> GatewayChannel:
        return self._channels["hb"]

    @property
    def channels_running(self) -> bool:
        return not self.closed

    async def start_channels(self, **_: Any) -> None:
        """Open the websocket (without blocking the event loop) and start reading it."""
        url = self.endpoint.kernels_url(self.kernel_id, "channels", ws=True)
        url += f"?session_id={self.session_id}"
        request = request_for(self.endpoint, url, timeout=self.connect_timeout)
        try:
            self._ws = await websocket_connect(request, max_message_size=MAX_MESSAGE_BYTES)
        except HTTPClientError as e:
            raise describe_http_error(
                self.endpoint, e, what="connect to the kernel's channels"
            ) from e
        except OSError as e:
            raise describe_os_error(self.endpoint, e) from e
        if self._stopped:  # stopped while connecting
            self._ws.close()
            return
        self.closed = False
        self._reader = asyncio.ensure_future(self._read(self._ws))

    def stop_channels(self) -> None:
        """Close the websocket; safe to call twice, and before the channels were started."""
        self._stopped = True
        self.closed = True
        if self._ws is not None:
            self._ws.close()
        if self._reader is not None and not self._reader.done():
            self._reader.cancel()

    async def _read(self, ws: WebSocketClientConnection) -> None:
        try:
            while (raw := await ws.read_message()) is not None:
                try:
                    msg = decode_message(raw)
                except (ValueError, struct.error, UnicodeDecodeError):
                    log.warning("nbhygiene: an unreadable message from the gateway was dropped")
                    continue
                self._route(msg)
        finally:
            if not self._stopped and self.gone is None:
                self.gone = "the gateway closed the kernel's connection"
            self.closed = True

    def _route(self, msg: dict[str, Any]) -> None:
        channel = msg.get("channel") or "iopub"
        if channel == "iopub" and msg.get("msg_type") == "status":
            state = (msg.get("content") or {}).get("execution_state")
            if state in GONE_STATES and self.gone is None:
                self.gone = f"the gateway reported the kernel {state}"
        if channel in self._channels:
            self._channels[channel].put(msg)

    # messages ---------------------------------------------------------------------------
    def _message(self, msg_type: str, content: dict[str, Any]) -> dict[str, Any]:
        header = {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": self.username,
            "session": self.session_id,
            "date": datetime.now(timezone.utc).isoformat(),
            "version": PROTOCOL_VERSION,
        }
        return {
            "header": header,
            "msg_id": header["msg_id"],
            "msg_type": msg_type,
            "parent_header": {},
            "metadata": {},
            "content": content,
            "buffers": [],
        }

    def send(self, channel: str, msg: dict[str, Any]) -> None:
        """Send `msg` on `channel`; a closed connection drops it (the kernel is gone, and
        `is_alive` says so)."""
        if self._ws is None or self.closed:
            log.debug("nbhygiene: %s message dropped, the connection is closed", channel)
            return
        frame = {**msg, "channel": channel}
        try:
            sent = self._ws.write_message(json.dumps(frame, default=str))
        except WebSocketClosedError:
            self.closed = True
            return
        sent.add_done_callback(_ignore_closed)

    def execute(
        self,
        code: str,
        silent: bool = False,
        store_history: bool = True,
        user_expressions: dict[str, Any] | None = None,
        allow_stdin: bool | None = None,
        stop_on_error: bool = True,
    ) -> str:
        """Send an execute_request; returns its msg_id."""
        msg = self._message(
            "execute_request",
            {
                "code": code,
                "silent": silent,
                "store_history": store_history,
                "user_expressions": user_expressions or {},
                "allow_stdin": self.allow_stdin if allow_stdin is None else allow_stdin,
                "stop_on_error": stop_on_error,
            },
        )
        self.shell_channel.send(msg)
        return str(msg["msg_id"])

    def kernel_info(self) -> str:
        """Send a kernel_info_request; returns its msg_id."""
        msg = self._message("kernel_info_request", {})
        self.shell_channel.send(msg)
        return str(msg["msg_id"])

    async def is_alive(self) -> bool:
        """Whether the kernel this client was started with is still there."""
        return await self._alive()

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait until the kernel answers kernel_info; RuntimeError when it is gone or does not
        answer within `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            msg_id = self.kernel_info()
            with contextlib.suppress(Empty):
                while True:
                    reply = await self.shell_channel.get_msg(timeout=1.0)
                    if (reply.get("parent_header") or {}).get("msg_id") == msg_id:
                        return
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if deadline is not None and time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
