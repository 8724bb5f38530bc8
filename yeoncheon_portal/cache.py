"""The shared cache's connections to Redis stop trying for a while after a failure.

The cache ignores Redis errors (a rate limit then lets the request through, a kept page is
drawn afresh), but each failed call still waits for its socket timeout: with Redis hung,
every request would wait that long for each cache call it makes. After one failure this
process's cache connections refuse at once for `REDIS_CACHE_PAUSE_SECONDS`, then try again.
Celery's connections to the broker are separate and not affected.
"""

import time

import redis
from django.conf import settings

_clock = time.monotonic
_paused_until = 0.0


def _pause() -> None:
    global _paused_until
    _paused_until = _clock() + settings.REDIS_CACHE_PAUSE_SECONDS


class PausingConnection(redis.Connection):
    def connect(self) -> None:
        if _clock() < _paused_until:
            raise redis.ConnectionError("the cache is paused after a Redis failure")
        try:
            super().connect()
        except (redis.ConnectionError, redis.TimeoutError):
            _pause()
            raise

    def send_packed_command(self, *args, **kwargs) -> None:
        try:
            super().send_packed_command(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError):
            _pause()
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError):
            _pause()
            raise


class PausingConnectionPool(redis.ConnectionPool):
    """django-redis's pool (CONNECTION_POOL_CLASS) with pausing connections."""

    def __init__(self, connection_class=PausingConnection, **kwargs) -> None:
        super().__init__(connection_class=connection_class, **kwargs)
