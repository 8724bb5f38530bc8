"""Forms parse input; services change state. No CSS classes here (crispy renders them)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.forms.citizen import ErrorSummaryMixin
from notifications.forms import PhoneNumberField, require_mobile_for_sms
from staff_directory.models import Department, StaffMember

from .models import CallbackState, MemoKind
from .uploads import validate_upload

UNKNOWN_DEPARTMENT = "unknown"
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def staff_choices() -> list:
    """Active staff grouped by department, for a select with <optgroup>s (one query)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    members = StaffMember.objects.filter(is_active=True).select_related("department")
    for member in members.order_by("department__order", "department__name", "name"):
        label = f"{member.display_name} ({member.display_title})"
        groups.setdefault(member.department.display_name, []).append((str(member.pk), label))
    return [("", _("직원을 골라 주세요")), *groups.items()]


def department_choices(unknown_label) -> list:
    departments = Department.objects.order_by("order", "name")
    return [
        (UNKNOWN_DEPARTMENT, unknown_label),
        *((str(d.pk), d.display_name) for d in departments),
    ]


def _is_id(value: str) -> bool:
    """A primary key the database can hold (a longer number is not on any list)."""
    return value.isdigit() and len(value) <= 18


class StaffChoiceField(forms.ChoiceField):
    """A staff member chosen from the directory; `cleaned_data` holds the StaffMember."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        if not _is_id(value):
            raise forms.ValidationError(_("목록에서 직원을 골라 주세요."), code="invalid")
        try:
            return StaffMember.objects.select_related("department").get(
                pk=int(value), is_active=True
            )
        except (ValueError, StaffMember.DoesNotExist) as exc:
            raise forms.ValidationError(_("목록에서 직원을 골라 주세요."), code="invalid") from exc

    def valid_value(self, value) -> bool:
        # Checked in clean() against the database: the list may change between requests.
        return True


class DepartmentChoiceField(forms.ChoiceField):
    """A department or "don't know" (None)."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values or value == UNKNOWN_DEPARTMENT:
            return None
        if not _is_id(value):
            raise forms.ValidationError(_("목록에서 부서를 골라 주세요."), code="invalid")
        try:
            return Department.objects.get(pk=int(value))
        except (ValueError, Department.DoesNotExist) as exc:
            raise forms.ValidationError(_("목록에서 부서를 골라 주세요."), code="invalid") from exc

    def valid_value(self, value) -> bool:
        return True


def _textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- Staff: memos and call backs ------------------------------------------------------------
class MemoForm(forms.Form):
    """The standard's memo fields (P3) and the read-back confirmation (P6)."""

    kind = forms.ChoiceField(
        label=_("메모 종류"),
        choices=MemoKind.choices,
        initial=MemoKind.PHONE,
        widget=forms.RadioSelect,
    )
    owner = StaffChoiceField(label=_("담당자 (부재 중인 직원)"))
    caller_name = forms.CharField(label=_("건 사람 이름"), max_length=30)
    purpose = forms.CharField(label=_("용건"), max_length=500, widget=_textarea(3))
    contacted_at = forms.DateTimeField(
        label=_("일시"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    callback_needed = forms.BooleanField(
        label=_("회신 전화가 필요합니다"), required=False, initial=True
    )
    phone = PhoneNumberField(label=_("전화번호"))
    number_read_back = forms.BooleanField(
        label=_("전화번호를 건 사람에게 다시 불러 드려 확인했습니다"),
        error_messages={"required": _("전화번호를 한 번 더 불러 드려 확인한 뒤 체크해 주세요.")},
    )

    def __init__(self, *args, now=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = staff_choices()
        now = timezone.localtime(now or timezone.now())
        self.fields["contacted_at"].initial = now.replace(second=0, microsecond=0)


class CallbackForm(forms.Form):
    state = forms.ChoiceField(
        label=_("회신 결과"),
        choices=[
            (CallbackState.DONE, _("회신 완료")),
            (CallbackState.NOT_NEEDED, _("회신 불필요")),
        ],
        initial=CallbackState.DONE,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("회신 메모"), max_length=300, required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("답변"), max_length=4000, widget=_textarea(8))


# --- Citizens ------------------------------------------------------------------------------
class ConsultationForm(ErrorSummaryMixin, forms.Form):
    name = forms.CharField(label=_("이름"), max_length=30)
    phone = PhoneNumberField(label=_("전화번호"), help_text=_("담당자가 이 번호로 전화드립니다."))
    description = forms.CharField(
        label=_("상담하실 내용"),
        max_length=1000,
        widget=_textarea(5),
        help_text=_("1,000자 이내로 간단히 적어 주세요."),
    )
    department = DepartmentChoiceField(label=_("담당부서"), initial=UNKNOWN_DEPARTMENT)
    sms_consent = forms.BooleanField(
        label=_("접수 확인 문자를 받겠습니다 (전화번호를 문자 발송에 쓰는 데 동의합니다)"),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = department_choices(_("잘 모르겠어요"))

    def clean(self):
        cleaned = super().clean()
        require_mobile_for_sms(self)
        return cleaned


class BoardPostForm(ErrorSummaryMixin, forms.Form):
    title = forms.CharField(label=_("제목"), max_length=100)
    body = forms.CharField(label=_("내용"), max_length=4000, widget=_textarea(8))
    department = DepartmentChoiceField(
        label=_("관련 부서"), initial=UNKNOWN_DEPARTMENT, required=False
    )
    attachment = forms.FileField(
        label=_("첨부 파일"),
        required=False,
        validators=[validate_upload],
        help_text=_("PDF, JPG, PNG 파일 한 개, 10MB 이하"),
    )
    author_name = forms.CharField(label=_("이름"), max_length=30)
    phone = PhoneNumberField(
        label=_("휴대전화 번호"),
        mobile_only=True,
        required=False,
        help_text=_("답변이 등록되면 문자로 알려 드립니다."),
    )
    email = forms.EmailField(
        label=_("이메일"),
        required=False,
        max_length=254,
        help_text=_("휴대전화 번호가 없으면 이메일로 알려 드립니다."),
    )
    visibility = forms.ChoiceField(
        label=_("공개 여부"),
        choices=[("public", _("공개")), ("private", _("비공개 (작성자와 담당 직원만 봅니다)"))],
        initial="public",
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("비밀번호"),
        required=False,
        min_length=8,
        max_length=64,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("비공개 글을 다시 볼 때 씁니다. 8자 이상."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = department_choices(_("잘 모르겠어요"))

    def clean(self):
        data = super().clean()
        if data.get("visibility") == "private" and not data.get("password"):
            self.add_error("password", _("비공개 글에는 비밀번호를 정해 주세요."))
        return data


class UnlockForm(forms.Form):
    password = forms.CharField(
        label=_("비밀번호"),
        max_length=64,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CommendationForm(ErrorSummaryMixin, forms.Form):
    staff = StaffChoiceField(label=_("추천할 직원"))
    story = forms.CharField(
        label=_("칭찬 사연"),
        min_length=10,
        max_length=2000,
        widget=_textarea(6),
        help_text=_("어떤 도움을 받으셨는지 10자 이상 적어 주세요."),
    )
    nominator_name = forms.CharField(label=_("추천하시는 분 이름"), max_length=30)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = staff_choices()
