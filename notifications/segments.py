"""How many SMS segments a text takes (GSM-7 or UCS-2), computed without the network."""

import math
from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")

# Twilio refuses bodies longer than this (error 21617); refuse them at the call instead.
MAX_BODY_CHARACTERS = 1600


@dataclass(frozen=True)
class SegmentInfo:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int

    @property
    def is_long(self) -> bool:
        """More than one segment: Korean carriers deliver it as a long message (LMS)."""
        return self.segments > 1


def count_segments(text: str) -> SegmentInfo:
    """Segments as carriers count them: GSM-7 160 a message, 153 a part; UCS-2 (any
    Korean) 70 a message, 67 a part."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    segments = 1 if units <= single else math.ceil(units / part)
    return SegmentInfo(encoding=encoding, units=units, segments=segments)
