"""A fake Socket Mode endpoint on 127.0.0.1: the WebSocket side of Slack, just enough for a smoke test.

It accepts one client, says hello, sends envelopes the test gives it and collects the client's acks.
"""

from __future__ import annotations

import base64
import hashlib
import json
import queue
import socket
import struct
import threading
from typing import Any

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class FakeSocketMode:
    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=test"
        self.acks: queue.Queue[dict[str, Any]] = queue.Queue()
        self._conn: socket.socket | None = None
        self._connected = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for s in (self._conn, self._listener):
            if s is not None:
                try:
                    s.shutdown(socket.SHUT_RDWR)  # a FIN now, even while a thread is blocked reading
                except OSError:
                    pass
                s.close()

    def wait_connected(self, timeout: float = 10) -> None:
        assert self._connected.wait(timeout), "the Socket Mode client never connected"

    def send(self, message: dict[str, Any]) -> None:
        assert self._conn is not None
        data = json.dumps(message).encode()
        header = bytes([0x81]) + (bytes([len(data)]) if len(data) < 126 else bytes([126]) + struct.pack("!H", len(data)))
        self._conn.sendall(header + data)

    def _serve(self) -> None:
        try:
            conn, _ = self._listener.accept()
        except OSError:
            return
        self._conn = conn
        request = b""
        while b"\r\n\r\n" not in request:
            request += conn.recv(4096)
        key = next(line.split(":", 1)[1].strip() for line in request.decode().split("\r\n")
                   if line.lower().startswith("sec-websocket-key"))
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())
        self._connected.set()
        self.send({"type": "hello", "num_connections": 1, "debug_info": {}, "connection_info": {"app_id": "A0001"}})
        try:
            while True:
                opcode, payload = self._read_frame(conn)
                if opcode == 0x1:
                    self.acks.put(json.loads(payload))
                elif opcode == 0x9:  # ping -> pong
                    conn.sendall(bytes([0x8A, len(payload)]) + payload)
                elif opcode == 0x8:
                    return
        except (OSError, ConnectionError):
            return

    @staticmethod
    def _read_frame(conn: socket.socket) -> tuple[int, bytes]:
        def exactly(n: int) -> bytes:
            buf = b""
            while len(buf) < n:
                chunk = conn.recv(n - len(buf))
                if not chunk:
                    raise ConnectionError("closed")
                buf += chunk
            return buf

        first, second = exactly(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", exactly(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", exactly(8))[0]
        mask = exactly(4) if second & 0x80 else b"\0\0\0\0"
        data = exactly(length)
        return first & 0x0F, bytes(b ^ mask[i % 4] for i, b in enumerate(data))
