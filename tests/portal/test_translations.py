"""The English catalogues are complete: every Korean text has its translation."""

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
