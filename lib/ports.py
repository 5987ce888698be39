"""A free TCP port on this machine for a server the tests or ``make serve-cluster`` start.

Not one the kernel hands out itself (``bind(("", 0))``): such a port lies in the ephemeral
range, from which the kernel also picks the source port of every outgoing connection, so in the
moment between choosing it and the server binding it, a client's connection (to PostgreSQL, to
another server) may take it — "Address already in use", seen in CI. A random port below that
range, checked free, is taken by nobody but another chooser like this one.
"""

import random
import socket
from pathlib import Path

_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LOWEST = 10000
# Ports handed out by this process: several are chosen before any is bound (lib/cluster.py).
_given: set[int] = set()


def _ephemeral_start() -> int:
    try:
        return int(_RANGE_FILE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on, below the ephemeral range."""
    highest = max(_LOWEST + 1000, _ephemeral_start() - 1)
    for _attempt in range(200):
        port = random.randint(_LOWEST, highest)
        if port in _given:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given.add(port)
        return port
    raise RuntimeError(f"no free port between {_LOWEST} and {highest}")
