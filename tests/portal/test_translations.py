"""The English catalogues are complete: every Korean text has its translation."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/en/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def test_there_is_an_english_catalogue_per_app():
    assert len(CATALOGUES) >= 5


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_english_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"untranslated in {path}: {missing[:10]}"
    assert not fuzzy, f"fuzzy (needs review) in {path}: {fuzzy[:10]}"


HANGUL = re.compile("[\uac00-\ud7a3]")
NOT_SOURCE = (".git", ".venv", "var", "tests", "bench", "__pycache__", "*.mo")


def test_every_korean_text_in_the_code_has_its_english_translation(tmp_path):
    """makemessages, run over a copy of the code, finds no Korean text that the English
    catalogues lack (a text added or changed in the code without its translation)."""
    copy = tmp_path / "portal"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    lacking = {}
    for path in sorted(copy.glob("**/locale/en/LC_MESSAGES/django.po")):
        po = polib.pofile(str(path))
        korean = [e for e in po if not e.obsolete and HANGUL.search(e.msgid)]
        texts = [e.msgid for e in korean if not e.translated() or "fuzzy" in e.flags]
        if texts:
            lacking[str(path.relative_to(copy))] = texts
    assert not lacking, f"Korean texts without an English translation: {lacking}"
