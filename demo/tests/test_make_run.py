"""`make run` tells the worker and the demo which address it serves, and prints whole links."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def test_make_run_gives_its_own_address_to_the_worker_and_the_demo():
    text = MAKEFILE.read_text(encoding="utf-8")
    assert re.search(r"^run: export DIGILYFT_SITE_URL = http://\$\(HOST\):\$\(PORT\)$", text, re.M)
    printed = [line for line in text.splitlines() if line.strip().startswith("@echo")]
    assert any("http://$(HOST):$(PORT)/accounts/login/" in line for line in printed)


@pytest.mark.django_db
def test_the_demo_prints_respondent_links_in_full(version, monkeypatch, settings):
    from demo.management.commands import load_demo

    for heavy in ("load_webinar_demo", "load_programme_demo", "load_workshop_demo", "publish_due"):
        monkeypatch.setattr(load_demo, heavy, lambda *args, **kwargs: None)
    monkeypatch.setattr(load_demo, "load_national_demo", lambda *args: 0)
    settings.DEBUG = True
    settings.DIGILYFT_SITE_URL = "http://127.0.0.1:8499"
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    links = re.findall(r"respondent link \([^)]*\): (\S+)", out.getvalue())
    assert len(links) == 3
    assert all(re.fullmatch(r"http://127\.0\.0\.1:8499/s/[\w-]+/", link) for link in links)
