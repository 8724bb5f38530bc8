"""Forms: the directory search, the presence form and the photo form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import images
from .models import Presence, StaffMember


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("누가 담당하나요?"),
        max_length=50,
        required=False,
        help_text=_("업무나 이름을 입력하세요. 예: 도로, 쓰레기, 여권"),
    )


class PresenceForm(forms.Form):
    presence = forms.ChoiceField(label=_("근무 상태"), choices=Presence.choices)
    until = forms.DateTimeField(
        label=_("복귀 예정"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("자리를 비울 때만 적습니다."),
    )
    note = forms.CharField(label=_("상태 메모"), max_length=100, required=False)
    substitute = forms.ModelChoiceField(
        label=_("대리 근무자"),
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label=_("없음"),
        help_text=_("자리를 비운 동안 민원인을 맞을 같은 부서 직원입니다."),
    )

    def __init__(self, *args, member: StaffMember, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        # Only colleagues of the same department can be chosen: another department's
        # id in the POST is refused as an invalid choice.
        self.fields["substitute"].queryset = (
            StaffMember.objects.filter(department_id=member.department_id, is_active=True)
            .exclude(pk=member.pk)
            .order_by("name")
        )
        self.fields["substitute"].label_from_instance = lambda m: (
            f"{m.display_name} ({m.display_title})"
        )

    def clean(self):
        data = super().clean()
        away = data.get("presence") not in (None, "", Presence.IN_OFFICE)
        # V4: someone answers for an absent clerk, when the department has anyone else.
        if away and not data.get("substitute") and self.fields["substitute"].queryset.exists():
            self.add_error("substitute", _("자리를 비울 때는 대리 근무자를 정해 주세요."))
        until = data.get("until")
        if away and until is not None and until <= timezone.now():
            self.add_error("until", _("복귀 예정 시각은 지금보다 뒤여야 합니다."))
        return data


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("사진"),
        help_text=_("JPEG, PNG 또는 WEBP, 5MB 이하. 240×300 크기로 맞춰 저장합니다."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_photo(self):
        return images.card_photo(self.cleaned_data["photo"])


class StaffMemberAdminForm(forms.ModelForm):
    """The admin's form: the same photo check as the staff page."""

    photo = forms.FileField(
        label=_("사진"),
        required=False,
        help_text=PhotoForm.base_fields["photo"].help_text,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    class Meta:
        model = StaffMember
        fields = "__all__"  # noqa: DJ007 - the admin chooses fields with fieldsets

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        # An unchanged or cleared photo is a stored file name, not a new upload.
        if photo and hasattr(photo, "content_type"):
            return images.card_photo(photo)
        return photo
