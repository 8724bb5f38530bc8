"""Names a citizen reads, in the language of the page or notice being rendered.

Every such name (a department, a duty, a floor, a title, a complaint type, a survey
question, an agency) is stored in Korean with an optional English value beside it.
"""

from django.utils.translation import get_language


def localized(korean: str, english: str) -> str:
    """The English value when English is active and one was entered; the Korean otherwise."""
    if english and (get_language() or "").startswith("en"):
        return english
    return korean
