"""Names a citizen reads, in the language of the page or notice being rendered.

Every such name (a department, a duty, a floor, a title, a complaint type, a survey
question, an agency) is stored in Korean with an optional English value beside it.
"""

import datetime

from django.utils import dateformat, timezone
from django.utils.translation import get_language


def localized(korean: str, english: str) -> str:
    """The English value when English is active and one was entered; the Korean otherwise."""
    if english and (get_language() or "").startswith("en"):
        return english
    return korean


def moment_in_words(moment: datetime.datetime) -> str:
    """A date and time in words, year included: "2026년 3월 18일(수요일) 18:00" in Korean,
    "Wed 18 Mar 2026, 18:00" in English."""
    local = timezone.localtime(moment)
    if (get_language() or "").startswith("en"):
        return dateformat.format(local, "D j M Y, H:i")
    return dateformat.format(local, "Y년 n월 j일(D) H:i")


def day_in_words(moment: datetime.datetime | datetime.date) -> str:
    """A day as people write it in the active language: "12월 5일(토요일)" in Korean,
    "Saturday 5 December" in English (never "12/5", which reads two ways)."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    if (get_language() or "").startswith("en"):
        return dateformat.format(moment, "l j F")
    return dateformat.format(moment, "n월 j일(D)")
