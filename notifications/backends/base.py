"""What every SMS backend does, and the two kinds of failure the delivery task knows."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from notifications.models import SmsMessage


class SmsError(Exception):
    """A failed send. `code` is what the outbox row stores (see models.ERROR_TEXTS)."""

    def __init__(self, message: str, code: str = "", *, outcome_unknown: bool = False):
        super().__init__(message)
        self.code = code
        # True when the provider may have accepted the message anyway (a read timeout):
        # the next attempt asks the provider before sending again.
        self.outcome_unknown = outcome_unknown


class TransientSmsError(SmsError):
    """Worth trying again later: provider 5xx, rate limit, timeout, connection error."""


class PermanentSmsError(SmsError):
    """Trying again cannot help: invalid number, unsubscribed, not a mobile, other 4xx."""


class BaseSmsBackend:
    def send(self, message: "SmsMessage") -> str:
        """Hand the message to the provider; return the provider's id for it."""
        raise NotImplementedError

    def find_sent(self, message: "SmsMessage") -> str | None:
        """After an attempt whose outcome is unknown: the provider id if the provider
        already accepted this message, else None. Backends that cannot tell return None."""
        return None
