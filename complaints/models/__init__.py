"""Models of the complaints app, one module per concern."""

from .calendar import Closure

__all__ = ["Closure"]
