"""Departments and the people in them: the public directory (V1 V2 V4 P2 P4)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from notifications.i18n import localized

# The seating chart is a CSS grid; positions beyond this do not fit a poster.
MAX_DESK_POSITION = 20
_DESK = [MinValueValidator(1), MaxValueValidator(MAX_DESK_POSITION)]

# Common titles, so English pages can show them translated; any other title shows as is.
KNOWN_TITLES = [
    gettext_noop("과장"),
    gettext_noop("팀장"),
    gettext_noop("주무관"),
    gettext_noop("담당관"),
    gettext_noop("실장"),
]


class Department(models.Model):
    name = models.CharField(_("부서명"), max_length=50, unique=True)
    name_en = models.CharField(_("영문 부서명"), max_length=100, blank=True)
    slug = models.SlugField(_("주소용 이름"), max_length=50, unique=True)
    location = models.CharField(_("위치"), max_length=100, blank=True)
    location_en = models.CharField(_("영문 위치"), max_length=100, blank=True)
    floor = models.CharField(_("층"), max_length=20, blank=True)
    floor_en = models.CharField(_("영문 층"), max_length=40, blank=True)
    main_phone = models.CharField(_("대표 전화"), max_length=20, blank=True)
    duties = models.TextField(_("주요 업무"), blank=True)
    duties_en = models.TextField(_("영문 주요 업무"), blank=True)
    is_lead = models.BooleanField(
        _("주관부서"),
        default=False,
        help_text=_("민원을 접수하고 조사 결과를 확인하는 부서(민원봉사과)입니다."),
    )
    order = models.PositiveSmallIntegerField(_("표시 순서"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("부서")
        verbose_name_plural = _("부서")
        constraints = [
            # At most one lead department: it receives and verifies every filing.
            models.UniqueConstraint(
                fields=["is_lead"], condition=models.Q(is_lead=True), name="one_lead_department"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def display_location(self) -> str:
        return localized(self.location, self.location_en)

    @property
    def display_floor(self) -> str:
        return localized(self.floor, self.floor_en)

    @property
    def display_duties(self) -> str:
        return localized(self.duties, self.duties_en)


class Presence(models.TextChoices):
    IN_OFFICE = "in", _("재실")
    FIELD = "field", _("외근")
    TRIP = "trip", _("출장")
    LEAVE = "leave", _("휴가")
    TRAINING = "training", _("교육")


class StaffMember(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("로그인 계정"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("부서"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("이름"), max_length=30)
    name_en = models.CharField(_("영문 이름"), max_length=60, blank=True)
    title = models.CharField(_("직위"), max_length=30)
    title_en = models.CharField(
        _("영문 직위"),
        max_length=60,
        blank=True,
        help_text=_("비워 두면 과장·팀장·주무관 같은 흔한 직위는 자동으로 번역됩니다."),
    )
    duties = models.TextField(_("담당 업무"))
    duties_en = models.TextField(_("영문 담당 업무"), blank=True)
    direct_line = models.CharField(_("직통 전화"), max_length=20, blank=True)
    email = models.EmailField(_("이메일"), blank=True)
    mobile = models.CharField(
        _("업무용 휴대전화"),
        max_length=16,
        blank=True,
        help_text=_("메모·민원 알림 문자를 받을 번호(+8210…)입니다."),
    )
    photo = models.ImageField(_("사진"), upload_to="staff/", blank=True)
    desk_row = models.PositiveSmallIntegerField(
        _("좌석 행"), default=1, validators=_DESK, help_text=_("배치도의 줄(앞에서부터 1)")
    )
    desk_column = models.PositiveSmallIntegerField(
        _("좌석 열"), default=1, validators=_DESK, help_text=_("배치도의 칸(왼쪽부터 1)")
    )
    is_head = models.BooleanField(_("부서장"), default=False)
    presence = models.CharField(
        _("근무 상태"), max_length=10, choices=Presence.choices, default=Presence.IN_OFFICE
    )
    presence_until = models.DateTimeField(_("복귀 예정"), null=True, blank=True)
    presence_note = models.CharField(_("상태 메모"), max_length=100, blank=True)
    substitute = models.ForeignKey(
        "self",
        verbose_name=_("대리 근무자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="substituting_for",
    )
    is_active = models.BooleanField(_("재직"), default=True)

    class Meta:
        ordering = ["department", "desk_row", "desk_column", "name"]
        verbose_name = _("직원")
        verbose_name_plural = _("직원")
        indexes = [models.Index(fields=["department", "is_active"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.display_title})"

    @property
    def work_email(self) -> str:
        """Where work mail reaches this member: the directory's address, else the sign-in
        account's (select_related("user") saves the query)."""
        if self.email:
            return self.email
        user = self.user if self.user_id else None
        return (user.email if user is not None else "") or ""

    def is_present(self, now=None) -> bool:
        """In the office, or back already: an absence whose until-time has passed ends."""
        if self.presence == Presence.IN_OFFICE:
            return True
        now = now or timezone.now()
        return self.presence_until is not None and self.presence_until <= now

    def clean(self) -> None:
        substitute = self.substitute if self.substitute_id is not None else None
        if substitute is not None:
            if self.pk is not None and substitute.pk == self.pk:
                raise ValidationError(
                    {"substitute": _("자기 자신을 대리 근무자로 정할 수 없습니다.")}
                )
            if substitute.department_id != self.department_id:
                raise ValidationError(
                    {"substitute": _("대리 근무자는 같은 부서 직원이어야 합니다.")}
                )

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def display_title(self) -> str:
        known = gettext(self.title) if self.title in KNOWN_TITLES else self.title
        return localized(known, self.title_en)

    @property
    def display_duties(self) -> str:
        return localized(self.duties, self.duties_en)

    @property
    def initials(self) -> str:
        """What a placeholder portrait shows: a Korean given name, or Latin initials."""
        name = self.name.strip()
        if name and name.isascii():
            return "".join(part[0] for part in name.split()[:2]).upper()
        return name[1:3] if len(name) >= 3 else name

    @property
    def greeting_line(self) -> str:
        """How this clerk answers the phone (P2): department and name."""
        return gettext("안녕하십니까, %(department)s %(name)s입니다.") % {
            "department": self.department.display_name,
            "name": self.display_name,
        }

    @property
    def transfer_sentence(self) -> str:
        """What a colleague tells a caller before transferring to this clerk (P4)."""
        values = {"name": self.display_name, "title": self.display_title, "line": self.direct_line}
        if not self.direct_line:
            return gettext("지금 %(name)s %(title)s에게 연결해 드리겠습니다.") % values
        if _takes_euro(self.direct_line):
            text = gettext(
                "지금 %(name)s %(title)s에게 연결해 드리겠습니다. "
                "통화 중 끊어지면 %(line)s으로 직접 전화해 주십시오."
            )
        else:
            text = gettext(
                "지금 %(name)s %(title)s에게 연결해 드리겠습니다. "
                "통화 중 끊어지면 %(line)s로 직접 전화해 주십시오."
            )
        return text % values


def _takes_euro(number: str) -> bool:
    """Korean 으로 after a number read aloud ending in 0 (영), 3 (삼) or 6 (육); else 로."""
    digits = [c for c in number if c.isdigit()]
    return bool(digits) and digits[-1] in "036"
