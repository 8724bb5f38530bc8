"""Models of the complaints app, one module per concern."""

from .calendar import Closure

__all__ = ["Closure"]
from .agency import Agency, Delivery, Letter
from .complaint import (
    Action,
    Channel,
    Complaint,
    ComplaintType,
    FilerType,
    Kind,
    PriorityReason,
    ReceiptCounter,
    Stage,
    StageEvent,
)
from .form_token import FormToken as FormToken
from .records import AccessAction, AccessLog, Attachment

__all__ += [
    "AccessAction",
    "AccessLog",
    "Action",
    "Agency",
    "Attachment",
    "Channel",
    "Complaint",
    "ComplaintType",
    "Delivery",
    "FilerType",
    "Kind",
    "Letter",
    "PriorityReason",
    "ReceiptCounter",
    "Stage",
    "StageEvent",
]
