"""Where a request's in-process milliseconds go: the database, the templates, the rest.

`Split()` is a context manager around Django test-client requests. While it is open,
every SQL statement is timed (a connection execute wrapper: the round trip to
PostgreSQL and its work) and so is every top-level template render (the backend's
`Template.render`, which includes what the template includes, less any SQL the
template sets off, counted once, as SQL). The rest of a request is everything else:
middleware, the view's own code, the ORM building queries and model instances, signing.

    with Split() as split:
        client.get(path)
    split.sql_ms, split.template_ms
"""

from __future__ import annotations

import time
from contextlib import ExitStack

from django.db import connection
from django.template.backends.django import Template


class Split:
    def __init__(self) -> None:
        self.sql_ms = 0.0
        self.template_ms = 0.0
        self._sql_in_template = 0.0
        self._depth = 0
        self._stack = ExitStack()

    def _execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = (time.perf_counter() - started) * 1000
            self.sql_ms += spent
            if self._depth:
                self._sql_in_template += spent

    def __enter__(self) -> Split:
        original = Template.render
        split = self

        def render(template, context=None, request=None):
            split._depth += 1
            started = time.perf_counter()
            try:
                return original(template, context, request)
            finally:
                split._depth -= 1
                if not split._depth:
                    split.template_ms += (time.perf_counter() - started) * 1000

        self._stack.enter_context(connection.execute_wrapper(self._execute))
        Template.render = render  # type: ignore[method-assign]
        self._stack.callback(setattr, Template, "render", original)
        return self

    def __exit__(self, *exc) -> None:
        self._stack.close()
        self.template_ms -= self._sql_in_template
