"""Forms of the staff screens: the clerk intake (C3 H1 H4 M1 V6) and the queue actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.attachments import MAX_FILES
from complaints.forms.fields import MultipleFileField
from complaints.intake import Intake
from complaints.models import Agency, ComplaintType, FilerType, PriorityReason
from complaints.models.complaint import CLERK_CHANNELS
from complaints.services import MAX_ADDRESS, MAX_CONTENT, MAX_LOCATION, MAX_NAME, MAX_TITLE
from notifications.forms import PhoneNumberField, require_mobile_for_sms
from staff_directory.models import Department, StaffMember

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class IntakeForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("접수 경로"), choices=[(c.value, c.label) for c in CLERK_CHANNELS]
    )
    complaint_type = forms.ModelChoiceField(
        label=_("민원 종류"),
        queryset=ComplaintType.objects.filter(is_active=True).order_by("order", "name"),
    )
    arrived_at = forms.DateTimeField(
        label=_("도달 시각"),
        input_formats=DATETIME_FORMATS,
        widget=LocalDateTimeInput(),
        help_text=_("민원인이 오거나 우편·FAX가 도착한 시각"),
    )
    received_at = forms.DateTimeField(
        label=_("접수 시각"),
        input_formats=DATETIME_FORMATS,
        widget=LocalDateTimeInput(),
        help_text=_("접수 처리한 시각(처리기한이 이 시각부터 계산됩니다)"),
    )
    filer_type = forms.ChoiceField(
        label=_("신청인 구분"), choices=FilerType.choices, initial=FilerType.INDIVIDUAL
    )
    acts_as_private_party = forms.BooleanField(
        label=_("행정기관·공공단체가 사인(私人)의 지위에서 하는 신청"), required=False
    )
    about_contract = forms.BooleanField(label=_("군과 맺은 계약에 관한 요구"), required=False)
    name = forms.CharField(label=_("민원인 이름"), max_length=MAX_NAME, required=False)
    phone = PhoneNumberField(label=_("휴대전화"), required=False)
    email = forms.EmailField(label=_("이메일"), required=False, max_length=254)
    address = forms.CharField(label=_("주소"), max_length=MAX_ADDRESS, required=False)
    lives_in_county = forms.BooleanField(label=_("연천군 거주"), required=False)
    priority_reasons = forms.MultipleChoiceField(
        label=_("우선 처리 사유"),
        choices=PriorityReason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visit_count = forms.IntegerField(label=_("방문 횟수"), min_value=1, max_value=99, initial=1)
    title = forms.CharField(label=_("제목"), max_length=MAX_TITLE)
    content = forms.CharField(label=_("내용"), max_length=MAX_CONTENT, widget=forms.Textarea)
    location_text = forms.CharField(label=_("발생 장소"), max_length=MAX_LOCATION, required=False)
    sms_consent = forms.BooleanField(label=_("문자 알림 동의"), required=False)
    assisted = forms.BooleanField(label=_("직원이 민원인을 대신하여 작성함"), required=False)
    citizen_confirmed = forms.BooleanField(label=_("민원인에게 읽어 주고 확인받음"), required=False)
    owner = forms.ModelChoiceField(
        label=_("담당자"),
        queryset=StaffMember.objects.filter(is_active=True)
        .select_related("department")
        .order_by("department__order", "department__name", "name"),
        required=False,
        help_text=_("비워 두면 민원 종류의 처리부서로 보냅니다."),
    )
    attachments = MultipleFileField(
        label=_("첨부파일"),
        required=False,
        help_text=_("PDF, JPG, PNG, HWP, HWPX, DOCX, XLSX 파일, %(max)d개까지, 하나에 10MB 이하")
        % {"max": MAX_FILES},
    )

    def clean(self):
        cleaned = super().clean()
        arrived, received = cleaned.get("arrived_at"), cleaned.get("received_at")
        if arrived and received and received < arrived:
            self.add_error("received_at", _("접수 시각은 도달 시각보다 빠를 수 없습니다."))
        if cleaned.get("assisted") and not cleaned.get("citizen_confirmed"):
            self.add_error(
                "citizen_confirmed",
                _("대신 작성한 내용은 민원인에게 읽어 주고 확인을 받아야 합니다."),
            )
        if cleaned.get("sms_consent") and not cleaned.get("phone"):
            self.add_error("phone", _("문자 알림을 받으려면 휴대전화 번호를 적어 주세요."))
        require_mobile_for_sms(self)
        return cleaned

    def to_intake(self, user) -> Intake:
        data = self.cleaned_data
        return Intake(
            channel=data["channel"],
            complaint_type=data["complaint_type"],
            title=data["title"],
            content=data["content"],
            name=data["name"],
            phone=data["phone"] or "",
            email=data["email"],
            address=data["address"],
            lives_in_county=data["lives_in_county"],
            filer_type=data["filer_type"],
            acts_as_private_party=data["acts_as_private_party"],
            about_contract=data["about_contract"],
            priority_reasons=tuple(data["priority_reasons"]),
            visit_count=data["visit_count"],
            location_text=data["location_text"],
            sms_consent=data["sms_consent"],
            arrived_at=data["arrived_at"],
            received_at=data["received_at"],
            assisted_by=user if data["assisted"] else None,
            citizen_confirmed=data["citizen_confirmed"],
            owner=data["owner"],
            attachments=tuple(data["attachments"]),
        )


class HoldForm(forms.Form):
    reason = forms.CharField(
        label=_("보완할 내용"),
        max_length=500,
        widget=forms.Textarea,
        help_text=_("민원인에게 무엇이 필요한지 그대로 보냅니다."),
    )
    answer_by = forms.DateField(
        label=_("보완 기한"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("보완에 필요한 상당한 기간을 정해 주세요. 그동안 처리기간은 멈춥니다."),
    )


class ResultForm(forms.Form):
    result_text = forms.CharField(label=_("처리 결과"), max_length=4000, widget=forms.Textarea)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("메모"), max_length=500, required=False)


class ExtendForm(forms.Form):
    days = forms.IntegerField(
        label=_("연장할 기간(근무일)"),
        min_value=1,
        max_value=365,
        help_text=_("근무일 수로 적습니다. 하루는 8근무시간입니다."),
    )
    reason = forms.CharField(label=_("연장 사유"), max_length=500, widget=forms.Textarea)
    consent = forms.BooleanField(
        label=_("민원인이 다시 연장하는 데 동의함"),
        required=False,
        help_text=_(
            "연장은 두 번까지, 한 번에 원래 처리기간까지 할 수 있고, 두 번째 연장에는 "
            "민원인의 동의가 필요합니다(시행령 제21조)."
        ),
    )


class TransferForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("이송할 부서"), queryset=Department.objects.order_by("order", "name")
    )
    reason = forms.CharField(label=_("이송 사유"), max_length=500, widget=forms.Textarea)


class AgencyTransferForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("이송할 기관"), queryset=Agency.objects.filter(is_active=True)
    )
    reason = forms.CharField(label=_("이송 사유"), max_length=500, widget=forms.Textarea)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("반려 사유"), max_length=4000, widget=forms.Textarea)


class AssignForm(forms.Form):
    """Assign to a colleague of the filing's department (the desk limits the choices)."""

    owner = forms.ModelChoiceField(label=_("맡길 직원"), queryset=StaffMember.objects.none())

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = StaffMember.objects.filter(  # type: ignore[attr-defined]
            department=department, is_active=True
        ).order_by("name")
