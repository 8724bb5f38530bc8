"""The facts a service definition asks for beyond Open311's own fields.

Every county filing needs them: who is filing (the K3 exclusions), where to answer, and
whether the complainant lives in the county; SMS consent where the type sends SMS (O4);
priority reasons (V6). Posted as `attribute[code]=value` (a multivaluelist repeats
`attribute[code][]=value`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from complaints.models import FilerType, PriorityReason

YES, NO = "true", "false"
ATTRIBUTE_FIELD = re.compile(r"^attribute\[([^\[\]]*)\](\[\])?$")
MAX_ATTRIBUTE_VALUE = 200


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str  # string, number, datetime, text, singlevaluelist, multivaluelist
    required: bool
    description: str
    datatype_description: str
    order: int
    values: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    variable: bool = True

    def as_dict(self) -> dict:
        data = {
            "variable": self.variable,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": self.datatype_description,
            "order": self.order,
            "description": self.description,
        }
        if self.values:
            data["values"] = [{"key": key, "name": name} for key, name in self.values]
        return data


def _yes_no() -> tuple[tuple[str, str], ...]:
    return ((YES, _("예")), (NO, _("아니요")))


# Priority reasons a caller can claim; "official error" needs a visit count, so it is
# left to the clerk who sees the history.
PUBLIC_PRIORITY_REASONS = (
    PriorityReason.ELDERLY,
    PriorityReason.DISABILITY,
    PriorityReason.PREGNANCY,
    PriorityReason.INFANT,
)


def attributes_for(ctype) -> list[Attribute]:
    """The attributes of one complaint type, in order."""
    items = [
        Attribute(
            code="filer_type",
            datatype="singlevaluelist",
            required=True,
            order=1,
            description=_("신청하는 사람은 누구입니까?"),
            datatype_description=_(
                "행정기관·공공단체가 특정 행위를 요구하는 신청과, 군과 계약한 상대방이 그 "
                "계약에 관하여 요구하는 신청은 민원으로 처리할 수 없습니다."
            ),
            values=tuple((choice.value, str(choice.label)) for choice in FilerType),
        ),
        Attribute(
            code="acts_as_private_party",
            datatype="singlevaluelist",
            required=False,
            order=2,
            description=_("행정기관·공공단체가 사경제 주체(사인)의 지위에서 신청합니까?"),
            datatype_description=_("신청인이 행정기관이나 공공단체일 때만 답합니다."),
            values=_yes_no(),
        ),
        Attribute(
            code="about_contract",
            datatype="singlevaluelist",
            required=False,
            order=3,
            description=_("군과 맺은 계약에 관한 신청입니까?"),
            datatype_description=_("신청인이 군과 계약을 맺은 상대방일 때만 답합니다."),
            values=_yes_no(),
        ),
        Attribute(
            code="contact_address",
            datatype="string",
            required=True,
            order=4,
            description=_("민원인의 주소(결과를 받을 주소)"),
            datatype_description=_(
                "200자 이내. 이름이나 주소가 분명하지 않은 신청은 민원으로 처리할 수 없습니다."
            ),
        ),
        Attribute(
            code="lives_in_county",
            datatype="singlevaluelist",
            required=False,
            order=5,
            description=_("연천군에 삽니까?"),
            datatype_description=_("적지 않으면 ‘아니요’로 봅니다."),
            values=_yes_no(),
        ),
    ]
    if ctype.sends_citizen_sms:
        items.append(
            Attribute(
                code="sms_consent",
                datatype="singlevaluelist",
                required=False,
                order=6,
                description=_("접수, 진행, 결과를 문자로 받겠습니까?"),
                datatype_description=_(
                    "처리기간이 5일 이상인 민원은 동의하면 phone 번호로 문자를 보냅니다."
                ),
                values=_yes_no(),
            )
        )
    items.append(
        Attribute(
            code="priority_reasons",
            datatype="multivaluelist",
            required=False,
            order=7,
            description=_("우선 처리 사유"),
            datatype_description=_(
                "해당하는 것을 모두 고릅니다. 우선 처리 대상은 먼저 처리합니다."
            ),
            values=tuple((reason.value, str(reason.label)) for reason in PUBLIC_PRIORITY_REASONS),
        )
    )
    return items


class InvalidAttribute(ValueError):
    """A posted attribute the service does not define or a value it does not allow."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param
        self.message = message


def parse_attributes(ctype, posted: dict[str, list[str]]) -> dict[str, object]:
    """Check posted attributes against the type's definition; return code → value (a
    string, or a tuple for a multivaluelist). Raises InvalidAttribute."""
    definitions = {item.code: item for item in attributes_for(ctype)}
    values: dict[str, object] = {}
    for code, raw in posted.items():
        param = f"attribute[{code}]"
        item = definitions.get(code)
        if item is None:
            raise InvalidAttribute(param, _("이 서비스에 없는 속성입니다."))
        cleaned = [" ".join(value.split()) for value in raw]
        cleaned = [value for value in cleaned if value]
        if any(len(value) > MAX_ATTRIBUTE_VALUE for value in cleaned):
            raise InvalidAttribute(
                param, _("%(limit)d자 이내로 적어 주세요.") % {"limit": MAX_ATTRIBUTE_VALUE}
            )
        allowed = {key for key, _name in item.values}
        if allowed and any(value not in allowed for value in cleaned):
            raise InvalidAttribute(
                param,
                _("다음 값 중에서 골라 주세요: %(values)s")
                % {"values": ", ".join(sorted(allowed))},
            )
        if item.datatype == "multivaluelist":
            values[code] = tuple(dict.fromkeys(cleaned))
        elif len(cleaned) > 1:
            raise InvalidAttribute(param, _("값을 하나만 보내 주세요."))
        elif cleaned:
            values[code] = cleaned[0]
    for item in definitions.values():
        if item.required and not values.get(item.code):
            raise InvalidAttribute(f"attribute[{item.code}]", _("반드시 적어야 하는 속성입니다."))
    return values
