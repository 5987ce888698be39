"""Both language catalogues must be complete: every message translated, nothing fuzzy."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_catalogue_is_complete(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert untranslated.strip() == "", untranslated[:2000]
    assert fuzzy.strip() == "", fuzzy[:2000]


def test_the_catalogues_cover_every_string_in_the_code(tmp_path):
    """makemessages on a copy of the tree leaves nothing untranslated in either catalogue."""
    root = LOCALE.parent
    copy = tmp_path / "tree"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "var", "staticfiles", "*.mo", "__pycache__"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "-l", "en", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    for language in ("sv", "en"):
        po = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        untranslated = subprocess.run(
            ["msgattrib", "--untranslated", str(po)], capture_output=True, text=True, check=True
        ).stdout
        assert untranslated.strip() == "", f"{language}: {untranslated[:2000]}"
