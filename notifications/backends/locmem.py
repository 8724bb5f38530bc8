"""Collects SMS in `outbox` (a list) instead of sending: for tests."""

import uuid

from .base import BaseSmsBackend

# Each entry: {"to", "body", "key", "provider_id"}. Tests clear it between tests.
outbox: list[dict] = []


class LocmemBackend(BaseSmsBackend):
    def send(self, message) -> str:
        provider_id = f"SM{uuid.uuid4().hex}"
        outbox.append(
            {"to": message.to, "body": message.body, "key": message.key, "provider_id": provider_id}
        )
        return provider_id

    def find_sent(self, message) -> str | None:
        for entry in reversed(outbox):
            if entry["key"] == message.key:
                return entry["provider_id"]
        return None
