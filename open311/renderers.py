"""Open311 answers as JSON or XML, with the element names of GeoReport v2.

JSON is the plain structure; XML wraps it: a list becomes `<root><item>…</item></root>`
(`services/service`, `service_requests/request`, `errors/error`), nested lists take the
singular of their name (`attributes/attribute`, `values/value`, `endpoints/endpoint`,
`formats/format`). Missing values are empty elements.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

from complaints.deadlines import SEOUL

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
CHILD_TAG = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot carry at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with the Seoul offset (+09:00)."""
    if moment is None:
        return None
    return timezone.localtime(moment, SEOUL).isoformat(timespec="seconds")


def _plain(value):
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _json_ready(value):
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    return _plain(value)


def _text(value) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, list | tuple):
        tag = CHILD_TAG.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    else:
        element.text = _text(value)


def to_xml(root: str, data) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def render(fmt: str, root: str, data, *, status: int = 200) -> HttpResponse:
    """`data` is a list (of services, requests, errors) or a dict (discovery, a service
    definition); `root` is the XML root element."""
    if fmt == "xml":
        body = to_xml(root, data)
    else:
        body = json.dumps(_json_ready(data), ensure_ascii=False).encode("utf-8")
    response = HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["json"]))
    response["Vary"] = "Accept-Language"
    return response


def render_errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    errors = [{"code": status, "description": text} for text in descriptions]
    return render(fmt, "errors", errors, status=status)
