"""The facts of one filing, as every channel hands them to `file_complaint`.

A plain dataclass: the citizen form, the clerk intake and the Open311 API each build one,
so there is one way to file and one place (`complaints.services`) that stores it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Intake:
    channel: str
    complaint_type: Any  # complaints.models.ComplaintType
    title: str
    content: str
    name: str = ""
    phone: str = ""  # any Korean format; stored as E.164
    email: str = ""
    address: str = ""
    lives_in_county: bool = False
    filer_type: str = "individual"
    # An administrative agency filing as a private economic actor is a 민원인 after all
    # (민원 처리에 관한 법률 제2조제2호 단서 괄호).
    acts_as_private_party: bool = False
    # A party to a contract with the county, asking about that contract (시행령 제2조).
    about_contract: bool = False
    priority_reasons: tuple[str, ...] = ()
    visit_count: int = 1
    location_text: str = ""
    sms_consent: bool = False
    # Online filings: arrival; clerk filings: when the letter/FAX/visitor arrived.
    arrived_at: datetime | None = None
    # Formal receipt; online filings are received on arrival.
    received_at: datetime | None = None
    assisted_by: Any = None  # User who wrote the filing for the citizen (H4)
    citizen_confirmed: bool = False
    owner: Any = None  # StaffMember chosen at intake (H1)
    attachments: tuple[Any, ...] = field(default_factory=tuple)
    # The language the citizen filed in: every notice to them uses it (settings.LANGUAGES).
    language: str = "ko"
