"""SMS length in segments, as carriers count it (O4: texts are kept short)."""

from hypothesis import given
from hypothesis import strategies as st

from notifications.segments import count_segments


def test_gsm7_single_and_multipart():
    assert count_segments("a" * 160).segments == 1
    assert count_segments("a" * 161).segments == 2
    assert count_segments("a" * 306).segments == 2
    assert count_segments("a" * 307).segments == 3
    assert count_segments("a" * 160).encoding == "GSM-7"


def test_gsm7_extension_characters_count_twice():
    assert count_segments("€" * 80).segments == 1
    assert count_segments("€" * 81).segments == 2


def test_korean_is_ucs2_70_then_67():
    info = count_segments("가" * 70)
    assert (info.encoding, info.segments, info.is_long) == ("UCS-2", 1, False)
    assert count_segments("가" * 71).segments == 2
    assert count_segments("가" * 134).segments == 2
    assert count_segments("가" * 135).segments == 3
    assert count_segments("가" * 71).is_long


def test_astral_characters_take_two_units():
    assert count_segments("😀" * 35).segments == 1
    assert count_segments("😀" * 36).segments == 2


@given(st.text(min_size=1, max_size=400))
def test_segments_cover_the_text(text):
    info = count_segments(text)
    per_part = (153 if info.encoding == "GSM-7" else 67) if info.segments > 1 else info.units
    assert info.segments * max(per_part, 1) >= info.units
    assert info.segments >= 1
