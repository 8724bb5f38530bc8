"""Staff forms of the compensation app: propose a payout, reject one, edit a rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint
from notifications.forms import PhoneNumberField

from . import services
from .models import RULE_TERMS_FIELDS, CompensationRule, PayoutKind, RuleCode
from .rules import MAX_AMOUNT, AmountError

# What a clerk confirms for each rule whose facts the system does not hold.
REPORTED_FACT = {
    RuleCode.R1: "inconvenience",
    RuleCode.R2: "record_error",
    RuleCode.R3: None,  # visits and their cause are on the complaint
    RuleCode.R4: "facility_barrier",
    RuleCode.R5: "service_failure",
}


class ProposePayoutForm(forms.Form):
    receipt_number = forms.CharField(label=_("접수번호"), max_length=11)
    rule = forms.ChoiceField(label=_("보상기준"), choices=RuleCode.choices)
    confirmed = forms.BooleanField(
        label=_("보상기준에 해당하는 사실을 확인했습니다"),
        required=False,
        help_text=_("R1 불편, R2 기재 착오, R4 시설 이용 불편, R5 서비스 미이행의 사실 확인"),
    )
    board_post_missed = forms.BooleanField(
        label=_("게시판 글이 점검에서 빠졌습니다(M2)"), required=False
    )
    amount = forms.IntegerField(
        label=_("금액(원, R1만)"),
        required=False,
        min_value=1,
        max_value=MAX_AMOUNT,
        error_messages={
            "min_value": _("금액은 0원보다 커야 합니다."),
            "max_value": _("금액은 1,000,000원을 넘을 수 없습니다."),
        },
    )
    kind = forms.ChoiceField(
        label=_("지급 방식(R1만)"),
        required=False,
        choices=[
            ("", "—"),
            (PayoutKind.GOODS, PayoutKind.GOODS.label),
            (PayoutKind.TRANSFER, PayoutKind.TRANSFER.label),
        ],
    )
    recipient_name = forms.CharField(label=_("받는 분"), max_length=50, required=False)
    recipient_phone = PhoneNumberField(
        label=_("받는 분 휴대전화"), mobile_only=True, required=False
    )
    bank_name = forms.CharField(label=_("은행"), max_length=30, required=False)
    bank_account = forms.CharField(label=_("계좌번호"), max_length=30, required=False)
    bank_holder = forms.CharField(label=_("예금주"), max_length=50, required=False)
    note = forms.CharField(label=_("사유·조치 내용"), widget=forms.Textarea, required=False)

    def clean_receipt_number(self):
        number = self.cleaned_data["receipt_number"].strip()
        complaint = (
            Complaint.objects.select_related("department").filter(receipt_number=number).first()
        )
        if complaint is None:
            raise forms.ValidationError(_("이 접수번호의 민원이 없습니다."))
        self.complaint = complaint
        return number

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("rule")
        if code and code != RuleCode.R1 and cleaned.get("amount") is not None:
            self.add_error("amount", _("금액은 R1에서만 정합니다. 다른 기준은 규정 금액입니다."))
        if code == RuleCode.R1 and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("R1은 실제 비용을 금액으로 입력해 주세요."))
        return cleaned

    def reported_facts(self) -> dict:
        code = self.cleaned_data["rule"]
        facts = {}
        name = REPORTED_FACT.get(RuleCode(code))
        if name and self.cleaned_data.get("confirmed"):
            facts[name] = True
        if code == RuleCode.R5 and self.cleaned_data.get("board_post_missed"):
            facts["board_post_missed"] = True
        return facts


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("반려 사유"), widget=forms.Textarea, max_length=1000)


class CompensationRuleForm(forms.ModelForm):
    note = forms.CharField(label=_("변경 사유"), max_length=300, required=False)

    class Meta:
        model = CompensationRule
        fields = list(RULE_TERMS_FIELDS)

    def clean(self):
        cleaned = super().clean()
        candidate = CompensationRule(code=self.instance.code)
        for name in RULE_TERMS_FIELDS:
            setattr(candidate, name, cleaned.get(name, getattr(self.instance, name)))
        try:
            services.check_rule_terms(candidate)
        except (AmountError, services.CompensationError) as exc:
            raise forms.ValidationError(str(exc)) from exc
        return cleaned
