"""The survey form, built from a survey's questions (S1)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.forms.citizen import ErrorSummaryMixin
from staff_directory.models import Department

from .models import SCALE_MAX, SCALE_MIN, Question, QuestionKind

SCALE_LABELS = {
    1: _("1 매우 불만족"),
    2: _("2 불만족"),
    3: _("3 보통"),
    4: _("4 만족"),
    5: _("5 매우 만족"),
}
COMMENT_MAX = 1000


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class AnswerForm(ErrorSummaryMixin, forms.Form):
    """One radio group (1–5) per scale question, a text box per comment question, and
    for a campaign the department the citizen dealt with."""

    def __init__(self, *args, questions: list[Question], with_department: bool = False, **kw):
        super().__init__(*args, **kw)
        self.questions = questions
        if with_department:
            self.fields["department"] = forms.ModelChoiceField(
                queryset=Department.objects.order_by("order", "name"),
                required=False,
                label=_("이용하신 부서(선택)"),
                empty_label=_("고르지 않음"),
            )
        for question in questions:
            if question.kind == QuestionKind.SCALE:
                field = forms.TypedChoiceField(
                    label=question.display_text,
                    choices=[(n, SCALE_LABELS[n]) for n in range(SCALE_MIN, SCALE_MAX + 1)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=question.required,
                    error_messages={
                        "required": _("이 문항에 답해 주세요."),
                        "invalid_choice": _("점수는 1부터 5 사이에서 골라 주세요."),
                    },
                )
            else:
                field = forms.CharField(
                    label=question.display_text,
                    required=False,
                    max_length=COMMENT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={"max_length": _("의견은 1000자 이내로 적어 주세요.")},
                )
            self.fields[field_name(question)] = field

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}
