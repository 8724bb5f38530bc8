"""Admin for the calendar: the closures and worked holidays that managers enter.

A change takes effect for every process at once (complaints/calendar.py); the national
holidays come from the `holidays` package and need no entry here.
"""

from django import forms
from django.contrib import admin
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Closure

WEEKDAYS = (
    pgettext_lazy("weekday", "월"),
    pgettext_lazy("weekday", "화"),
    pgettext_lazy("weekday", "수"),
    pgettext_lazy("weekday", "목"),
    pgettext_lazy("weekday", "금"),
    pgettext_lazy("weekday", "토"),
    pgettext_lazy("weekday", "일"),
)


class YearFilter(admin.SimpleListFilter):
    title = _("연도")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            Closure.objects.annotate(year=ExtractYear("date"))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["date", "name", "kind", "is_worked"]

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("date")
        if day and cleaned.get("is_worked") and day.weekday() >= 5:
            # The law never counts Saturdays (민원처리법 제19조), so the override cannot.
            raise forms.ValidationError(
                _("토요일과 일요일은 근무일로 지정할 수 없습니다: 처리기간에 산입되지 않습니다.")
            )
        return cleaned


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    form = ClosureForm
    list_display = ["date", "weekday", "name", "kind", "is_worked"]
    list_filter = [YearFilter, "kind", "is_worked"]
    search_fields = ["name"]
    ordering = ["-date"]
    show_full_result_count = False

    @admin.display(description=_("요일"), ordering="date")
    def weekday(self, obj: Closure) -> str:
        return str(WEEKDAYS[obj.date.weekday()])
