"""Admin for the complaints app, one module per concern."""

from . import (
    calendar,  # noqa: F401
    complaint,  # noqa: F401
    procedures,  # noqa: F401
)
