"""The dashboard's filter: a period and (for managers) a department."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.periods import DEFAULT_PERIOD, MAX_RANGE_DAYS, PERIOD_CHOICES

MAX_PAGE = 500


class FilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("기간"),
        choices=PERIOD_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("기간을 목록에서 골라 주세요.")},
    )
    start = forms.DateField(
        label=_("시작일"),
        required=False,
        help_text=_("‘기간 지정’을 고를 때만 씁니다."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("시작일을 2026-03-01처럼 적어 주세요.")},
    )
    end = forms.DateField(
        label=_("종료일"),
        required=False,
        help_text=_("‘기간 지정’을 고를 때만 씁니다."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("종료일을 2026-03-31처럼 적어 주세요.")},
    )
    department = forms.ChoiceField(
        label=_("부서"),
        required=False,
        error_messages={"invalid_choice": _("부서를 목록에서 골라 주세요.")},
    )
    page = forms.IntegerField(
        label=_("기한 경과 목록 쪽"),
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("쪽 번호는 숫자로 적어 주세요."),
            "min_value": _("쪽 번호는 1 이상이어야 합니다."),
            "max_value": _("쪽 번호가 너무 큽니다."),
        },
    )

    def __init__(self, *args, departments=(), all_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(pk), name) for pk, name in departments]
        if all_label is not None:
            choices.insert(0, ("", all_label))
        self.fields["department"].choices = choices

    def clean(self):
        data = super().clean()
        kind = data.get("period") or DEFAULT_PERIOD
        start, end = data.get("start"), data.get("end")
        if kind == "custom" and not self.has_error("start") and not self.has_error("end"):
            if start is None or end is None:
                raise forms.ValidationError(_("기간 지정에는 시작일과 종료일을 모두 적어 주세요."))
            if start > end:
                raise forms.ValidationError(_("시작일이 종료일보다 늦습니다."))
            if (end - start).days + 1 > MAX_RANGE_DAYS:
                raise forms.ValidationError(_("기간은 2년 이내로 지정해 주세요."))
        data["period"] = kind
        return data
