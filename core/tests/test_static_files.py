"""Static files in production: hashed names from collectstatic's manifest, cached forever.

The real thing: collectstatic with the production storage into a fresh folder, then gunicorn
with the repository's configuration serving a page and the file it names."""

import re
import subprocess
import sys

from core.tests.servers import ROOT, get, migrate, running_gunicorn, server_env


def test_pages_name_hashed_static_files_that_are_cached_forever(tmp_path):
    static_root = tmp_path / "static"
    env = server_env(tmp_path, STATIC_ROOT=str(static_root), WEB_CONCURRENCY="1")
    del env["STATICFILES_BACKEND"]  # the production default
    migrate(env)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    assert (static_root / "staticfiles.json").exists()
    with running_gunicorn(env, tmp_path) as base:
        status, body, _headers = get(base + "/")
        assert status == 200
        css = re.search(rb'href="(/static/core/site\.[0-9a-f]{12}\.css)"', body)
        assert css, body[:2000]
        status, content, headers = get(base + css.group(1).decode())
        assert status == 200
        assert b"{" in content
        assert "immutable" in headers["Cache-Control"]
        max_age = int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1))
        assert max_age >= 365 * 24 * 3600
        # The unhashed name is served too (for anything that links it), but not forever.
        status, _content, headers = get(base + "/static/core/site.css")
        assert status == 200
        assert "immutable" not in headers.get("Cache-Control", "")
