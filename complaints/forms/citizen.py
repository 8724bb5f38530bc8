"""The citizen's filing and tracking forms (C1 C3 K3 K4 V6)."""

from __future__ import annotations

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from complaints.attachments import MAX_FILES
from complaints.exclusions import AGENCY_FILERS, CONTRACTOR_FILER
from complaints.forms.fields import MultipleFileField
from complaints.intake import Intake
from complaints.models import Channel, FilerType, PriorityReason
from complaints.services import MAX_ADDRESS, MAX_CONTENT, MAX_LOCATION, MAX_NAME, MAX_TITLE
from notifications.forms import PhoneNumberField, require_mobile_for_sms

YES_NO = [("yes", _("예")), ("no", _("아니요"))]
MULTI_INPUTS = (forms.RadioSelect, forms.CheckboxSelectMultiple)
RECEIPT_NUMBER = re.compile(r"^(\d{4})-?(\d{1,6})$")


def _required(message):
    return {"required": message}


class ErrorSummaryMixin:
    def error_summary(self) -> list[dict]:
        """Each error with the id of the field it belongs to, for the list at the top."""
        items = []
        for name, errors in self.errors.items():
            if name == "__all__":
                items.extend({"anchor": "", "label": "", "message": e} for e in errors)
                continue
            bound = self[name]
            anchor = bound.auto_id
            if isinstance(bound.field.widget, MULTI_INPUTS):
                anchor = f"{anchor}_0"
            items.extend({"anchor": anchor, "label": bound.label, "message": e} for e in errors)
        return items


class FilingForm(ErrorSummaryMixin, forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    filer_type = forms.ChoiceField(
        label=_("누가 신청하나요?"),
        choices=FilerType.choices,
        initial=FilerType.INDIVIDUAL,
        widget=forms.RadioSelect,
        error_messages=_required(_("누가 신청하는지 골라 주세요.")),
    )
    acts_as_private_party = forms.ChoiceField(
        label=_("기관의 업무가 아니라 일반 개인과 같은 처지에서 신청하시나요?"),
        help_text=_(
            "행정기관·공공단체에서 신청하시는 분만 답해 주세요. "
            "예: 기관이 군의 시설을 빌려 쓰는 임차인으로서 묻는 경우"
        ),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    about_contract = forms.ChoiceField(
        label=_("이 신청이 군과 맺은 계약에 관한 것인가요?"),
        help_text=_("연천군과 계약을 맺은 분만 답해 주세요."),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label=_("이름"),
        max_length=MAX_NAME,
        error_messages=_required(_("이름을 적어 주세요.")),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = PhoneNumberField(
        label=_("휴대전화 번호"),
        help_text=_("예: 010-1234-5678. 처리 상황을 조회할 때 필요합니다."),
        error_messages=_required(_("휴대전화 번호를 적어 주세요.")),
    )
    email = forms.EmailField(
        label=_("이메일 (적지 않아도 됩니다)"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("메일 주소 형식이 올바르지 않습니다. 예: hong@example.com")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label=_("주소"),
        max_length=MAX_ADDRESS,
        help_text=_("결과를 알려 드릴 주소입니다."),
        error_messages=_required(_("주소를 적어 주세요.")),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    lives_in_county = forms.BooleanField(label=_("연천군에 살고 있습니다"), required=False)
    priority_reasons = forms.MultipleChoiceField(
        label=_("먼저 도와드릴 분은 골라 주세요 (해당하는 것 모두)"),
        choices=PriorityReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visit_count = forms.IntegerField(
        label=_("같은 일로 군청에 오신 횟수"),
        help_text=_("공무원의 잘못으로 다시 오신 경우에만 적어 주세요."),
        min_value=1,
        max_value=99,
        required=False,
        error_messages={"invalid": _("방문 횟수는 숫자로 적어 주세요.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    title = forms.CharField(
        label=_("제목"),
        max_length=MAX_TITLE,
        error_messages=_required(_("제목을 적어 주세요.")),
    )
    content = forms.CharField(
        label=_("내용"),
        max_length=MAX_CONTENT,
        help_text=_("무엇이, 언제, 어떻게 불편했는지 적어 주세요. %(max)d자까지 쓸 수 있습니다.")
        % {"max": MAX_CONTENT},
        error_messages=_required(_("내용을 적어 주세요.")),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    location_text = forms.CharField(
        label=_("장소 (적지 않아도 됩니다)"),
        help_text=_("예: 연천읍 차탄리 123 앞 도로"),
        max_length=MAX_LOCATION,
        required=False,
    )
    attachments = MultipleFileField(
        label=_("첨부파일 (없어도 됩니다)"),
        required=False,
        help_text=_("PDF, JPG, PNG, HWP, HWPX, DOCX, XLSX 파일, %(max)d개까지, 하나에 10MB 이하")
        % {"max": MAX_FILES},
    )
    sms_consent = forms.BooleanField(
        label=_("접수와 담당자 배정도 문자 메시지로 받겠습니다"),
        help_text=_(
            "처리기간이 5일 이상인 민원은 접수와 담당자 배정을 문자로 알려 드립니다. "
            "처리기간 연장, 보완 요청, 이송, 진행 상황, 처리 결과처럼 법에 따라 알려 드려야 "
            "하는 통지는 이 동의와 관계없이 적어 주신 휴대전화 번호(와 메일)로 보냅니다: "
            "광고가 아니므로 수신 동의가 필요하지 않습니다."
        ),
        required=False,
    )

    def __init__(self, *args, complaint_type, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.complaint_type = complaint_type
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("token"),
            Fieldset(_("신청하는 분"), "filer_type", "acts_as_private_party", "about_contract"),
            Fieldset(_("연락처"), "name", "phone", "email", "address", "lives_in_county"),
            Fieldset(_("먼저 도와드릴 분"), "priority_reasons", "visit_count"),
            Fieldset(_("신청 내용"), "title", "content", "location_text", "attachments"),
            Fieldset(_("알림"), "sms_consent"),
        )

    def clean(self):
        cleaned = super().clean()
        require_mobile_for_sms(self)
        filer = cleaned.get("filer_type")
        if filer in AGENCY_FILERS and not cleaned.get("acts_as_private_party"):
            self.add_error(
                "acts_as_private_party",
                _("행정기관·공공단체에서 신청하시면 이 질문에 답해 주세요."),
            )
        if filer == CONTRACTOR_FILER and not cleaned.get("about_contract"):
            self.add_error("about_contract", _("군과 계약을 맺은 분은 이 질문에 답해 주세요."))
        reasons = cleaned.get("priority_reasons") or []
        visits = cleaned.get("visit_count")
        if PriorityReason.OFFICIAL_ERROR in reasons and (visits or 1) < 2:
            self.add_error(
                "visit_count",
                _("공무원의 잘못으로 다시 오셨다면 방문 횟수를 2 이상으로 적어 주세요."),
            )
        return cleaned

    def ask_to_choose_files_again(self) -> None:
        """A page shown again cannot keep the files the citizen chose (browsers never
        refill a file box), so the field says plainly which ones to choose again."""
        names = [upload.name for upload in self.files.getlist("attachments")]
        if names and "attachments" not in self.errors:
            self.add_error(
                "attachments",
                ngettext(
                    "고르신 파일(%(names)s)은 아직 보내지지 않았습니다. "
                    "다른 칸을 고친 뒤 파일을 다시 골라 주세요.",
                    "고르신 파일(%(names)s)은 아직 보내지지 않았습니다. "
                    "다른 칸을 고친 뒤 파일을 다시 골라 주세요.",
                    len(names),
                )
                % {"names": ", ".join(names)},
            )

    def to_intake(self, now) -> Intake:
        data = self.cleaned_data
        filer = data["filer_type"]
        return Intake(
            channel=Channel.WEB,
            complaint_type=self.complaint_type,
            title=data["title"],
            content=data["content"],
            name=data["name"],
            phone=data["phone"] or "",
            email=data["email"],
            address=data["address"],
            lives_in_county=data["lives_in_county"],
            filer_type=filer,
            acts_as_private_party=filer in AGENCY_FILERS and data["acts_as_private_party"] == "yes",
            about_contract=filer == CONTRACTOR_FILER and data["about_contract"] == "yes",
            priority_reasons=tuple(data["priority_reasons"]),
            visit_count=data["visit_count"] or 1,
            location_text=data["location_text"],
            sms_consent=data["sms_consent"],
            arrived_at=now,
            attachments=tuple(data["attachments"]),
            language=translation.get_language() or "ko",
        )


class TrackingForm(ErrorSummaryMixin, forms.Form):
    receipt_number = forms.CharField(
        label=_("접수번호"),
        max_length=20,
        help_text=_("접수증이나 문자에 있는 번호입니다. 예: 2026-000123"),
        error_messages=_required(_("접수번호를 적어 주세요.")),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = PhoneNumberField(
        label=_("신청할 때 적은 휴대전화 번호"),
        help_text=_("예: 010-1234-5678"),
        error_messages=_required(_("휴대전화 번호를 적어 주세요.")),
    )

    def clean_receipt_number(self) -> str:
        text = "".join((self.cleaned_data.get("receipt_number") or "").split())
        match = RECEIPT_NUMBER.match(text)
        if not match:
            raise forms.ValidationError(
                _("접수번호 형식이 올바르지 않습니다. 예: 2026-000123"), code="invalid"
            )
        year, seq = match.groups()
        return f"{year}-{int(seq):06d}"


class HoldAnswerForm(ErrorSummaryMixin, forms.Form):
    """The citizen's answer to a 보완 request, on the tracking page (L2)."""

    note = forms.CharField(
        label=_("보내는 내용"),
        max_length=MAX_CONTENT,
        required=False,
        help_text=_("요청받은 내용을 적어 주세요. %(max)d자까지 쓸 수 있습니다.")
        % {"max": MAX_CONTENT},
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    files = MultipleFileField(
        label=_("보내는 파일"),
        required=False,
        help_text=_("PDF, JPG, PNG, HWP, HWPX, DOCX, XLSX 파일, %(max)d개까지, 하나에 10MB 이하")
        % {"max": MAX_FILES},
    )
