"""The OpenAPI 3 description of the GeoReport v2 endpoints, served at
/open311/v2/openapi.json and checked against the running code by the test suite."""

from __future__ import annotations

from complaints.models import FilerType
from complaints.services import MAX_CONTENT

from . import services
from .attributes import MAX_ATTRIBUTE_VALUE, NO, PUBLIC_PRIORITY_REASONS, YES

ERROR_CODES = {
    "400": "Bad input: a missing or invalid parameter, a K3 refusal, markup in the text.",
    "403": "api_key missing, unknown or revoked.",
    "404": "Unknown service, request, token or jurisdiction.",
    "429": "Over the key's rate (OPEN311_KEY_RATE); reads without a key count per address.",
}
YES_NO = {"type": "string", "enum": [YES, NO]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _content(schema: dict) -> dict:
    return {
        "application/json": {"schema": schema},
        "text/xml": {"schema": {"type": "string"}},
    }


def _responses(ok: str, schema: dict, *errors: str, ok_status: str = "200") -> dict:
    responses = {ok_status: {"description": ok, "content": _content(schema)}}
    for code in errors:
        responses[code] = {"description": ERROR_CODES[code], "content": _content(_ref("Errors"))}
    return responses


FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "description": "Answer format: json or xml (XML element names as GeoReport v2).",
    "schema": {"type": "string", "enum": ["json", "xml"]},
}
JURISDICTION = {
    "name": "jurisdiction_id",
    "in": "query",
    "required": False,
    "description": f"Optional; this endpoint serves only {services.JURISDICTION_ID}.",
    "schema": {"type": "string", "enum": [services.JURISDICTION_ID]},
}
READ_KEY = {
    "name": "api_key",
    "in": "query",
    "required": False,
    "description": "Optional on reads; when given it must be valid and the request counts "
    "against that key's rate.",
    "schema": {"type": "string"},
}


def _get(summary: str, ok: str, schema: dict, *extra: dict):
    # Every read can meet a bad parameter (400), a bad optional key (403), an unknown
    # jurisdiction or resource (404) and the rate limit (429).
    errors = ("400", "403", "404", "429")
    return {
        "get": {
            "summary": summary,
            "parameters": [FORMAT, *extra, JURISDICTION, READ_KEY],
            "responses": _responses(ok, schema, *errors),
        }
    }


def _path_param(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "minLength": 1, "pattern": r"^[^/]+$"},
    }


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or {"type": "string"},
    }


NULLABLE_STRING = {"type": ["string", "null"]}
SCHEMAS = {
    "Errors": {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["code", "description"],
            "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        },
    },
    "Discovery": {
        "type": "object",
        "required": ["changeset", "contact", "key_service", "endpoints"],
        "properties": {
            "changeset": {"type": "string", "format": "date-time"},
            "contact": {"type": "string"},
            "key_service": {"type": "string"},
            "endpoints": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["specification", "url", "changeset", "type", "formats"],
                    "properties": {
                        "specification": {"type": "string"},
                        "url": {"type": "string"},
                        "changeset": {"type": "string", "format": "date-time"},
                        "type": {"type": "string", "enum": ["production", "test"]},
                        "formats": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    },
    "Service": {
        "type": "object",
        "required": [
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        ],
        "properties": {
            "service_code": {"type": "string"},
            "service_name": {"type": "string"},
            "description": {"type": "string"},
            "metadata": {"type": "boolean"},
            "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
            "keywords": {"type": "string", "description": "Comma-separated."},
            "group": {"type": "string"},
        },
    },
    "ServiceDefinition": {
        "type": "object",
        "required": ["service_code", "attributes"],
        "properties": {
            "service_code": {"type": "string"},
            "attributes": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "variable",
                        "code",
                        "datatype",
                        "required",
                        "datatype_description",
                        "order",
                        "description",
                    ],
                    "properties": {
                        "variable": {"type": "boolean"},
                        "code": {"type": "string"},
                        "datatype": {
                            "type": "string",
                            "enum": [
                                "string",
                                "number",
                                "datetime",
                                "text",
                                "singlevaluelist",
                                "multivaluelist",
                            ],
                        },
                        "required": {"type": "boolean"},
                        "datatype_description": {"type": "string"},
                        "order": {"type": "integer"},
                        "description": {"type": "string"},
                        "values": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["key", "name"],
                                "properties": {
                                    "key": {"type": "string"},
                                    "name": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "Receipt": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["service_request_id", "token", "service_notice"],
            "properties": {
                "service_request_id": {"type": "string", "description": "The receipt number."},
                "token": {"type": "string"},
                "service_notice": {"type": "string"},
            },
        },
    },
    "TokenAnswer": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["service_request_id", "token"],
            "properties": {
                "service_request_id": {"type": "string"},
                "token": {"type": "string"},
            },
        },
    },
    "ServiceRequests": {
        "type": "array",
        "maxItems": services.MAX_RESULTS,
        "items": {
            "type": "object",
            "description": "No names, phones, e-mails, nor the citizen's own text.",
            "required": [
                "service_request_id",
                "status",
                "service_code",
                "requested_datetime",
                "expected_datetime",
            ],
            "properties": {
                "service_request_id": {"type": "string"},
                "status": {"type": "string", "enum": ["open", "closed"]},
                "status_notes": {"type": "string"},
                "service_name": {"type": "string"},
                "service_code": {"type": "string"},
                "agency_responsible": {"type": "string"},
                "service_notice": {"type": "string"},
                "requested_datetime": {"type": "string", "format": "date-time"},
                "updated_datetime": {"type": "string", "format": "date-time"},
                "expected_datetime": {
                    "type": "string",
                    "format": "date-time",
                    "description": "The legal due time (법정처리기한).",
                },
                "address": {"type": "string"},
                "lat": {"type": ["number", "null"]},
                "long": {"type": ["number", "null"]},
                "media_url": {"type": "string"},
            },
        },
    },
}

_ATTRIBUTE_PROPERTIES = {
    "attribute[filer_type]": {
        "type": "string",
        "enum": list(FilerType.values),
        "description": "Who files (K3); required by every service definition.",
    },
    "attribute[acts_as_private_party]": YES_NO,
    "attribute[about_contract]": YES_NO,
    "attribute[contact_address]": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_ATTRIBUTE_VALUE,
    },
    "attribute[lives_in_county]": YES_NO,
    "attribute[sms_consent]": {
        **YES_NO,
        "description": "Only services with a legal period of five days or more define it.",
    },
    "attribute[priority_reasons][]": {
        "type": "array",
        "items": {"type": "string", "enum": [reason.value for reason in PUBLIC_PRIORITY_REASONS]},
    },
}
POST_BODY = {
    "type": "object",
    # Every service definition requires these two attributes (see services/{code}).
    "required": ["api_key", "service_code", "attribute[filer_type]", "attribute[contact_address]"],
    "properties": {
        "api_key": {"type": "string"},
        "jurisdiction_id": {"type": "string", "enum": [services.JURISDICTION_ID]},
        "service_code": {"type": "string"},
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "long": {"type": "number", "minimum": -180, "maximum": 180},
        "address_string": {"type": "string", "maxLength": services.MAX_PLACE},
        "first_name": {"type": "string", "maxLength": services.MAX_NAME_PART},
        "last_name": {"type": "string", "maxLength": services.MAX_NAME_PART},
        "phone": {"type": "string", "maxLength": services.MAX_PHONE},
        "email": {"type": "string", "maxLength": services.MAX_EMAIL},
        "description": {
            "type": "string",
            "maxLength": MAX_CONTENT,
            "description": "Plain text; markup (HTML tags) is refused with a 400.",
        },
        "media_url": {"type": "string", "maxLength": services.MAX_MEDIA_URL},
        **_ATTRIBUTE_PROPERTIES,
    },
    "anyOf": [{"required": ["lat", "long"]}, {"required": ["address_string"]}],
}


REQUESTS_GET = _get(
    f"Service requests (at most {services.MAX_RESULTS:,}, newest first)",
    "Requests",
    _ref("ServiceRequests"),
    _query(
        "service_request_id",
        f"Comma-separated receipt numbers (at most {services.MAX_IDS}); other filters are then "
        "ignored.",
    ),
    _query("service_code", "Comma-separated service codes."),
    _query(
        "start_date",
        "ISO 8601 date-time (or date; without an offset Asia/Seoul is meant); with end_date "
        f"at most {services.MAX_DAYS} days apart. Default: the last {services.MAX_DAYS} days.",
    ),
    _query("end_date", "ISO 8601 date-time or date, as start_date."),
    _query(
        "status",
        "open, closed, or both comma-separated.",
        {"type": "string", "pattern": f"^{services.STATUS_LIST.pattern}$"},
    ),
)
REQUESTS_POST = {
    "summary": "File a service request (a complaint, channel open311)",
    "parameters": [FORMAT],
    "requestBody": {
        "required": True,
        "content": {"application/x-www-form-urlencoded": {"schema": POST_BODY}},
    },
    "responses": _responses(
        "Filed: the receipt number, a token and the notice",
        _ref("Receipt"),
        "400",
        "403",
        "404",
        "429",
        ok_status="201",
    ),
}


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Yeoncheon County Open311 GeoReport v2",
            "version": "2026-11-26",
            "description": "File and follow civil complaints (민원) of Yeoncheon County. "
            "Every answer is JSON or XML by the path's suffix; errors are a list of "
            "{code, description}. Korean by default; Accept-Language: en for English.",
        },
        "servers": [{"url": "/open311/v2"}],
        "paths": {
            "/discovery.{format}": _get("Discovery", "Endpoints", _ref("Discovery")),
            "/services.{format}": _get(
                "Services", "Service list", {"type": "array", "items": _ref("Service")}
            ),
            "/services/{service_code}.{format}": _get(
                "Service definition",
                "Attributes of the service",
                _ref("ServiceDefinition"),
                _path_param("service_code", "A service_code from services.{format}."),
            ),
            "/requests.{format}": {**REQUESTS_GET, "post": REQUESTS_POST},
            "/requests/{service_request_id}.{format}": _get(
                "One service request",
                "A list of one request",
                _ref("ServiceRequests"),
                _path_param("service_request_id", "The receipt number, e.g. 2026-000123."),
            ),
            "/tokens/{token}.{format}": _get(
                "The request id for a token",
                "A list of one id",
                _ref("TokenAnswer"),
                _path_param("token", "The token the POST returned."),
            ),
        },
        "components": {"schemas": SCHEMAS},
    }
