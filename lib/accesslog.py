"""Gunicorn's access log without personal data (``logger_class`` in ``gunicorn.conf.py``).

Client addresses are personal data, and a token URL's path is a key to someone's answers
(``lib/redact.py``). This logger replaces the secret in the path, never logs a query string or
a referrer, and blanks every client address atom, whatever ``access_log_format`` asks for.
"""

from gunicorn.glogging import Logger

from lib.redact import redact_path

_BLANKED = (
    "h",
    "f",
    "{remote_addr}e",
    "{x-forwarded-for}i",
    "{x-real-ip}i",
    "{forwarded}i",
    "{raw_uri}e",
    "{query_string}e",
    "{referer}i",
)


class PrivateAccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact_path(environ.get("PATH_INFO") or "")
        atoms["U"] = path
        atoms["q"] = "-"
        atoms["r"] = f"{environ.get('REQUEST_METHOD')} {path} {environ.get('SERVER_PROTOCOL')}"
        for key in _BLANKED:
            if key in atoms:
                atoms[key] = "-"
        return atoms
