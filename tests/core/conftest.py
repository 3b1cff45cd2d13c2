"""Faulty network peers for the fail-soft tests: a port where nothing
listens, and a TCP proxy that either forwards to a real service or accepts
connections and never answers (what a hung Redis, PostgreSQL or OpenSearch
looks like from the client)."""

import socket
import threading
from urllib.parse import urlsplit

import pytest


@pytest.fixture
def dead_port() -> int:
    """A local port nobody listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FaultProxy:
    """Listens on `port`. While `hanging`, it accepts connections and sends
    nothing back; otherwise it forwards each new connection to `target`."""

    def __init__(self, target: tuple[str, int] | None) -> None:
        self.target = target
        self.hanging = True
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self.connections = 0  # accepted so far: how often a client tried
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, scheme: str, path: str = "") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self.connections += 1
            self._sockets.append(client)
            if not self.hanging and self.target:
                upstream = socket.create_connection(self.target)
                self._sockets.append(upstream)
                for a, b in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self._closed = True
        self._server.close()
        for sock in self._sockets:
            sock.close()


@pytest.fixture
def hanging_server():
    """A peer that accepts connections and never answers."""
    proxy = FaultProxy(target=None)
    yield proxy
    proxy.close()


@pytest.fixture
def redis_proxy(settings):
    """A proxy in front of the test Redis, hanging until told otherwise;
    `redis_proxy.url("redis", redis_proxy.db)` reaches the test's database."""
    real = urlsplit(settings.REDIS_URL)
    proxy = FaultProxy(target=(real.hostname, real.port or 6379))
    proxy.db = real.path or "/0"
    yield proxy
    proxy.close()
