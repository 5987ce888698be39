"""A TCP proxy in front of the database whose faults a test switches on and off.

- ``flowing()``: bytes pass both ways.
- ``refuse()``: nothing listens (a new connection is refused) and every open one is reset,
  as when the database is down.
- ``freeze()``: connections are accepted and their bytes taken, but nothing is passed on in
  either direction, on new and open connections alike: a database that accepts connections
  and never answers ("silent", when switched on before the requests) or one that stops
  answering with requests in flight ("freeze mid-request"). TCP sees nothing wrong: the
  kernel acknowledges every packet. ``flowing()`` passes on what was held, as a thawed server
  would.
"""

import contextlib
import socket
import struct
import threading


class FaultProxy:
    def __init__(self, target: tuple[str, int]):
        self.target = target
        self._flowing = threading.Event()
        self._flowing.set()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener = self._listen(0)
        self.port = self._listener.getsockname()[1]
        self._stopped = False

    # --- the faults ---------------------------------------------------------------------

    def flowing(self) -> None:
        if self._listener is None:
            self._listener = self._listen(self.port)
        self._flowing.set()

    def freeze(self) -> None:
        self._flowing.clear()

    def refuse(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            _close(listener)
        with self._lock:
            for sock in list(self._open):
                _reset(sock)
            self._open.clear()

    def stop(self) -> None:
        self._stopped = True
        self.refuse()
        self._flowing.set()

    # --- the plumbing -------------------------------------------------------------------

    def _listen(self, port: int) -> socket.socket:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(128)
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return listener

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:  # closed by refuse() or stop()
                return
            self._track(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        held = b""
        if not self._flowing.is_set():
            # A silent database: take what the client sends, answer nothing, until it thaws.
            client.settimeout(0.1)
            while not self._flowing.is_set():
                try:
                    chunk = client.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    chunk = b""
                if not chunk:
                    self._forget(client)
                    return
                held += chunk
            client.settimeout(None)
        try:
            upstream = socket.create_connection(self.target)
        except OSError:
            self._forget(client)
            return
        self._track(upstream)
        if held:
            upstream.sendall(held)
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                self._flowing.wait()  # frozen: the bytes are taken but not passed on
                if self._stopped:
                    break
                sink.sendall(chunk)
        except OSError:
            pass
        self._forget(source)
        self._forget(sink)

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)

    def _forget(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.discard(sock)
        _close(sock)


def _reset(sock: socket.socket) -> None:
    """Close with a TCP reset, as a crashed server's kernel would."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    _close(sock)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
