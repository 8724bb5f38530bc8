"""Hypothesis profiles: how many examples the property tests and the fuzz draw.

`quick` (the default) keeps the everyday `make test` short; `full` is what CI proves
(`HYPOTHESIS_PROFILE=full`, set by `.ci/run` for the services run): each test draws the
number of examples it names, the fuzz over 10,000 requests in all.
"""

import os

from hypothesis import settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "quick")
PROFILES = ("quick", "full")
# Under `quick` a test draws this share of its full count, but never fewer than QUICK_MIN.
QUICK_SHARE = 20
QUICK_MIN = 10


def load_profile() -> None:
    if PROFILE not in PROFILES:
        raise ValueError(f"HYPOTHESIS_PROFILE must be one of {PROFILES}, not {PROFILE!r}")
    settings.register_profile("full", deadline=None, print_blob=True)
    settings.register_profile("quick", max_examples=examples(100), deadline=None)
    settings.load_profile(PROFILE)


def examples(full: int) -> int:
    """`full` examples under the full profile; a twentieth of them (at least 10) under
    quick."""
    return full if PROFILE == "full" else max(full // QUICK_SHARE, QUICK_MIN)
