"""The nginx configurations: the production site file (deploy/nginx-digilyft.conf) and the local
one `make serve`, the benches and the tests start (lib/localproxy.py) keep the same proxy rules
and log format, and nginx accepts both."""

import subprocess

from core.tests.servers import ROOT, free_port
from lib import localproxy

SITE = ROOT / "deploy" / "nginx-digilyft.conf"


def _rules(text: str) -> list[str]:
    """The directives, without comments."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def test_the_site_file_has_the_local_proxy_rules_and_log_format():
    site = _rules(SITE.read_text())
    for line in _rules(localproxy.PROXY_RULES) + _rules(localproxy.LOG_MAPS):
        assert line in site, line


def test_nginx_accepts_the_site_file_and_the_local_configuration(tmp_path):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + [
            "-subj",
            "/CN=localhost",
            "-keyout",
            tmp_path / "key.pem",
            "-out",
            tmp_path / "cert.pem",
        ],
        check=True,
        capture_output=True,
    )
    site = (
        SITE.read_text()
        .replace(
            "/etc/letsencrypt/live/digilyft.example.se/fullchain.pem", str(tmp_path / "cert.pem")
        )
        .replace("/etc/letsencrypt/live/digilyft.example.se/privkey.pem", str(tmp_path / "key.pem"))
        .replace("/var/log/nginx/", f"{tmp_path}/")
        .replace("/srv/digilyft/staticfiles/", f"{tmp_path}/")
    )
    (tmp_path / "site.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{ include /etc/nginx/mime.types; include {tmp_path}/site.conf; }}\n"
    )
    checked = subprocess.run(
        [*localproxy.nginx_command(main), "-t"], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr
    local = localproxy.write_config(
        tmp_path / "local", f"127.0.0.1:{free_port()}", tmp_path / "g.sock", tmp_path
    )
    checked = subprocess.run(
        [*localproxy.nginx_command(local), "-t"], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr


def _logged_path(uri: str) -> str:
    """What the access log writes for ``uri``: the first matching line of the log map (nginx
    tries a map's regular expressions in order), read from the local configuration."""
    import re

    for line in _rules(localproxy.LOG_MAPS):
        if not line.startswith("~"):
            continue
        pattern, replacement = line[1:].rstrip(";").split(None, 1)
        found = re.match(pattern.replace("(?<", "(?P<"), uri)
        if found:
            return re.sub(r"\$(\w+)", lambda m, f=found: f.group(m.group(1)), replacement)
    return uri


def test_the_access_log_holds_no_link_secret_nor_an_invitees_personal_token():
    secrets = {
        "/s/GROUPSECRET/page/2/": "/s/.../page/2/",
        "/s/GROUPSECRET/i/PERSONALTOKEN/begin/": "/s/.../i/.../begin/",
        "/s/GROUPSECRET/i/PERSONALTOKEN/reminders/": "/s/.../i/.../reminders/",
        "/webinars/r/REGISTRATION/": "/webinars/r/.../",
        "/programme/": "/programme/",
    }
    for uri, logged in secrets.items():
        assert _logged_path(uri) == logged, uri


def test_the_application_log_redacts_an_invitees_personal_token_too():
    from lib.redact import redact_path

    assert redact_path("/s/GROUPSECRET/i/PERSONALTOKEN/begin/?x=1") == "/s/…/i/…/begin/"
