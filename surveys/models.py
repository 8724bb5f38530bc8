"""Satisfaction surveys (S1): campaigns, after-closure invitations, answers, follow-up."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from notifications.i18n import localized

SCALE_MIN, SCALE_MAX = 1, 5
# The standing survey sent after each closed filing (seeded by a data migration).
AFTER_CLOSURE_SLUG = "after-closure"


class SurveyKind(models.TextChoices):
    CAMPAIGN = "campaign", _("정기 조사")
    AFTER_CLOSURE = "after_closure", _("처리 완료 후 조사")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("5점 척도")
    COMMENT = "comment", _("의견")


class Topic(models.TextChoices):
    """What a question asks about; after-closure answers join a campaign's results
    through the topic."""

    NONE = "", _("(기타)")
    RESULT = "result", _("처리 결과")
    KINDNESS = "kindness", _("친절")
    SPEED = "speed", _("신속성")
    COMMENT = "comment", _("의견")


class Survey(models.Model):
    kind = models.CharField(
        _("종류"), max_length=14, choices=SurveyKind.choices, default=SurveyKind.CAMPAIGN
    )
    title = models.CharField(_("제목"), max_length=150)
    title_en = models.CharField(_("영문 제목"), max_length=200, blank=True)
    slug = models.SlugField(_("주소용 이름"), max_length=60, unique=True)
    intro = models.TextField(_("안내문"), blank=True)
    intro_en = models.TextField(_("영문 안내문"), blank=True)
    starts_on = models.DateField(_("시작일"), null=True, blank=True)
    ends_on = models.DateField(_("종료일"), null=True, blank=True)
    threshold = models.DecimalField(
        _("후속 조치 기준 점수"),
        max_digits=3,
        decimal_places=2,
        default=3,
        help_text=_("평균이 이 점수보다 낮은 문항은 부서별 후속 조치(사후관리) 대상입니다."),
    )
    is_active = models.BooleanField(_("사용"), default=True)
    created_at = models.DateTimeField(_("등록 시각"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("만족도 조사")
        verbose_name_plural = _("만족도 조사")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(starts_on__lte=models.F("ends_on")),
                name="survey_period_in_order",
                violation_error_message=_("종료일은 시작일보다 빠를 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(threshold__gte=SCALE_MIN, threshold__lte=SCALE_MAX),
                name="survey_threshold_on_scale",
                violation_error_message=_("기준 점수는 1점에서 5점 사이여야 합니다."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return localized(self.title, self.title_en)

    @property
    def display_intro(self) -> str:
        return localized(self.intro, self.intro_en)

    def is_open_on(self, day) -> bool:
        if not self.is_active:
            return False
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or day <= self.ends_on
        )


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("조사"), on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("순서"), default=1)
    text = models.CharField(_("문항"), max_length=300)
    text_en = models.CharField(_("영문 문항"), max_length=400, blank=True)
    kind = models.CharField(
        _("형식"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SCALE
    )
    topic = models.CharField(_("주제"), max_length=10, choices=Topic.choices, blank=True)
    required = models.BooleanField(_("필수"), default=True)

    class Meta:
        ordering = ["survey", "order", "id"]
        verbose_name = _("문항")
        verbose_name_plural = _("문항")

    def __str__(self) -> str:
        return f"{self.order}. {self.display_text}"

    @property
    def display_text(self) -> str:
        return localized(self.text, self.text_en)


class SurveyInvitation(models.Model):
    """The one-time link sent after a filing closes. The link's token is an HMAC of
    ``nonce`` under the site's secret key; only its SHA-256 is stored for lookup, so the
    database alone cannot open a survey."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        verbose_name=_("민원"),
        on_delete=models.CASCADE,
        related_name="survey_invitation",
    )
    survey = models.ForeignKey(
        Survey, verbose_name=_("조사"), on_delete=models.PROTECT, related_name="invitations"
    )
    department = models.ForeignKey(
        "staff_directory.Department",
        verbose_name=_("부서"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    nonce = models.CharField(max_length=32, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("발송 시각"))
    expires_at = models.DateTimeField(_("만료 시각"))
    used_at = models.DateTimeField(_("응답 시각"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("설문 안내")
        verbose_name_plural = _("설문 안내")

    def __str__(self) -> str:
        return f"{self.complaint_id}"


class Response(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("조사"), on_delete=models.PROTECT, related_name="responses"
    )
    invitation = models.OneToOneField(
        SurveyInvitation,
        verbose_name=_("설문 안내"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
    )
    department = models.ForeignKey(
        "staff_directory.Department",
        verbose_name=_("부서"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("응답 시각"), db_index=True)
    language = models.CharField(_("언어"), max_length=8, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("응답")
        verbose_name_plural = _("응답")

    def __str__(self) -> str:
        return f"{self.survey_id} {self.submitted_at:%Y-%m-%d}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("응답"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("문항"), on_delete=models.PROTECT, related_name="answers"
    )
    score = models.PositiveSmallIntegerField(_("점수"), null=True, blank=True)
    text = models.TextField(_("의견"), blank=True)

    class Meta:
        verbose_name = _("답변")
        verbose_name_plural = _("답변")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=SCALE_MIN, score__lte=SCALE_MAX),
                name="answer_score_on_scale",
            ),
        ]
        indexes = [models.Index(fields=["question", "score"], name="answer_question_idx")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score if self.score is not None else self.text[:20]}"


class FollowUpState(models.TextChoices):
    OPEN = "open", _("진행 중")
    DONE = "done", _("완료")


class FollowUpAction(models.Model):
    """사후관리: a question a department scored below the threshold, with an owner and a
    due date, tracked until done."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("조사"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("문항"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    department = models.ForeignKey(
        "staff_directory.Department",
        verbose_name=_("부서"),
        on_delete=models.PROTECT,
        related_name="survey_follow_ups",
    )
    owner = models.ForeignKey(
        "staff_directory.StaffMember",
        verbose_name=_("담당자"),
        on_delete=models.PROTECT,
        related_name="survey_follow_ups",
    )
    average = models.DecimalField(_("평균 점수"), max_digits=3, decimal_places=2)
    answers = models.PositiveIntegerField(_("응답 수"))
    due_on = models.DateField(_("기한"))
    state = models.CharField(
        _("상태"), max_length=6, choices=FollowUpState.choices, default=FollowUpState.OPEN
    )
    note = models.TextField(_("조치 내용"), blank=True)
    created_at = models.DateTimeField(_("등록 시각"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("등록자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    done_at = models.DateTimeField(_("완료 시각"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("완료 처리자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["state", "due_on", "id"]
        verbose_name = _("후속 조치")
        verbose_name_plural = _("후속 조치")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "question", "department"], name="follow_up_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department_id} · {self.question_id}"

    def is_overdue(self, today) -> bool:
        return self.state == FollowUpState.OPEN and self.due_on < today
