"""gunicorn's sync worker with the portal's own page for the requests gunicorn refuses
before Django sees them: a request line over `limit_request_line` (414) or headers over
`limit_request_field_size` / `limit_request_fields` (431). Everything else is gunicorn's.
Named by `worker_class` in gunicorn.conf.py."""

from __future__ import annotations

from django.template.loader import render_to_string
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.sync import SyncWorker

#: Status line and what went wrong, for each refusal the portal explains itself.
REFUSALS: dict[type[Exception], tuple[str, str]] = {
    LimitRequestLine: ("414 URI Too Long", "address"),
    LimitRequestHeaders: ("431 Request Header Fields Too Large", "headers"),
}


def refusal_response(status: str, problem: str) -> bytes:
    """The whole HTTP response: the page is bilingual, since the request was not read far
    enough to know the visitor's language, and drawn without the database."""
    body = render_to_string("request_refused.html", {"problem": problem}).encode()
    head = (
        f"HTTP/1.1 {status}\r\n"
        "Connection: close\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class PortalWorker(SyncWorker):
    def handle_error(self, req, client, addr, exc):
        refusal = REFUSALS.get(type(exc))
        if refusal is None:
            return super().handle_error(req, client, addr, exc)
        self.log.warning("refused request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            client.sendall(refusal_response(*refusal))
        except OSError:
            self.log.debug("could not send the refusal page")
        return None
