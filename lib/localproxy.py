"""nginx in front of gunicorn on this machine (``make serve``, the benches and the tests).

Gunicorn's synchronous workers each serve one connection at a time: a client that sends half
a request holds a worker until the worker timeout. nginx reads each request whole and each
answer whole before a worker sees it, so slow clients cost it a few kilobytes, not a worker.
This writes an nginx configuration that needs no root and touches nothing outside its own
folder (its prefix, pid, temporary files and logs), with the same proxy rules as
``deploy/nginx-digilyft.conf`` (the production site file, which adds TLS):

    python -m lib.localproxy --dir var/nginx --listen 127.0.0.1:8000 \\
        --socket var/gunicorn.sock --static staticfiles

prints the command that starts nginx with it (``--check``: tests the configuration instead;
``--run``: becomes that nginx, in the foreground).
"""

import argparse
import os
import shutil
import subprocess
from pathlib import Path

# One format for every access log nginx writes for Digilyft: time, request line with the
# secret of a respondent's, evaluation, webinar or password-reset link replaced (the same
# links as lib/redact.py, and /k/ short links whole), status, size, duration. No client
# address, no query string, no referrer, no browser (docs/privacy-model.md).
LOG_MAPS = r"""
map $uri $digilyft_log_path {
    ~^(?<head>/s/)[^/]+/i/[^/]+(?<tail>.*)$                     $head.../i/...$tail;
    ~^(?<head>/(?:s|e|k)/)[^/]+(?<tail>.*)$                     $head...$tail;
    ~^(?<head>/webinars/r/)[^/]+(?<tail>.*)$                    $head...$tail;
    ~^(?<head>/accounts/reset/[^/]*/)[^/]+(?<tail>.*)$          $head...$tail;
    default                                                     $uri;
}
log_format digilyft '$time_iso8601 "$request_method $digilyft_log_path $server_protocol" '
                    '$status $body_bytes_sent ${request_time}s';
"""

# Limits and buffering shared by the local and the production configuration.
PROXY_RULES = """
    # A whole request must arrive within these (a slow client is cut off, no worker waits):
    client_header_timeout 10s;
    client_body_timeout 20s;
    send_timeout 30s;
    keepalive_timeout 15s;
    # Above DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB) and the uploads (invitation lists, framework
    # files); Django refuses what is too large for it with its own message.
    client_max_body_size 10m;
    # Read the request whole before gunicorn sees it, and take its answer whole.
    proxy_request_buffering on;
    proxy_buffering on;
    proxy_buffers 16 16k;
    proxy_busy_buffers_size 32k;
    proxy_connect_timeout 5s;
    # Above gunicorn's worker timeout (GUNICORN_TIMEOUT, 30 s): gunicorn answers first.
    proxy_read_timeout 35s;
    proxy_send_timeout 35s;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    # Overwritten, never passed on from the client:
    proxy_set_header X-Forwarded-Proto $scheme;
    # The client's address appended: with DIGILYFT_TRUSTED_PROXY_COUNT=1 the app takes it
    # (lib/clientip.py), whatever the client wrote before it.
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_redirect off;
"""


def nginx_config(
    directory: Path,
    listen: str,
    socket: Path | None,
    static_root: Path | None = None,
    servers: list[str] | None = None,
) -> str:
    """The whole nginx.conf for one local server in ``directory``: in front of gunicorn on
    ``socket``, or balancing between the app servers at ``servers`` (host:port each;
    ``lib/cluster.py``)."""
    directory = Path(directory).resolve()
    if servers:
        # A server that refuses or drops the connection is left for 5 s; a request it never
        # received goes to the next one, and so does a GET/HEAD it dropped half-way (nginx never
        # passes on a POST that a server may have received: it may have been stored).
        upstream = "".join(f"        server {s} max_fails=1 fail_timeout=5s;\n" for s in servers)
        upstream += "        keepalive 8;"
        next_upstream = "\n            proxy_next_upstream error timeout;"
    else:
        upstream = (
            f"        server unix:{Path(socket).resolve()} fail_timeout=0;\n        keepalive 8;"
        )
        next_upstream = ""
    temp = directory / "tmp"
    static = ""
    if static_root is not None:
        static = f"""
        location /static/ {{
            alias {Path(static_root).resolve()}/;
            expires 1y;
            add_header Cache-Control "public, immutable";
            gzip_static on;
        }}"""
    # Started as root (CI, a container), the workers stay root instead of becoming nobody,
    # who could not reach the socket and temporary files in root's folders. It listens on
    # this machine only.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return f"""# Written by lib/localproxy.py; rewritten on every start.
{user}worker_processes 1;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log crit;  # "error" lines carry the client and the path
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    {LOG_MAPS}
    access_log {directory}/access.log digilyft;
    server_tokens off;
    upstream digilyft {{
{upstream}
    }}
    server {{
        listen {listen};
        {PROXY_RULES}{static}
        location / {{
            proxy_pass http://digilyft;{next_upstream}
        }}
    }}
}}
"""


def write_config(
    directory: Path,
    listen: str,
    socket: Path | None,
    static_root: Path | None = None,
    servers: list[str] | None = None,
) -> Path:
    """Writes ``directory/nginx.conf`` (and the folders it names); returns its path."""
    directory = Path(directory)
    (directory / "tmp").mkdir(parents=True, exist_ok=True)
    path = directory / "nginx.conf"
    path.write_text(nginx_config(directory, listen, socket, static_root, servers))
    return path


def nginx_command(config: Path) -> list[str]:
    """The command that runs nginx in the foreground with ``config``."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    config = Path(config).resolve()
    directory = config.parent
    return [nginx, "-p", str(directory), "-e", str(directory / "error.log"), "-c", str(config)]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--listen", required=True, help="host:port")
    parser.add_argument("--socket", type=Path, required=True, help="gunicorn's unix socket")
    parser.add_argument("--static", type=Path, default=None, help="STATIC_ROOT")
    parser.add_argument("--check", action="store_true", help="test the configuration (nginx -t)")
    parser.add_argument("--run", action="store_true", help="become nginx (same process id)")
    args = parser.parse_args(argv)
    config = write_config(args.dir, args.listen, args.socket, args.static)
    command = nginx_command(config)
    if args.check:
        raise SystemExit(subprocess.run([*command, "-t", "-q"], check=False).returncode)
    if args.run:
        os.execv(command[0], command)
    print(" ".join(command))


if __name__ == "__main__":
    main()
