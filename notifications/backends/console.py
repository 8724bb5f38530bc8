"""Prints each SMS: the embedded default for development."""

import sys
import threading
import uuid

from .base import BaseSmsBackend

_lock = threading.Lock()


class ConsoleBackend(BaseSmsBackend):
    stream = None

    def send(self, message) -> str:
        stream = self.stream or sys.stdout
        provider_id = f"console-{uuid.uuid4().hex[:16]}"
        with _lock:
            stream.write(
                f"--- SMS to {message.to} ({message.segments} segment(s), "
                f"{message.encoding}) key={message.key}\n{message.body}\n---\n"
            )
            stream.flush()
        return provider_id
