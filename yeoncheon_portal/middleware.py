"""Request guards that apply to every view."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


class RejectNullCharactersMiddleware:
    """Answer 400 to a path or query string holding a NUL character.

    PostgreSQL cannot store or compare text with NUL, so such a value reaching a query
    would end in a server error. Form fields already refuse NUL with a message on the
    field (Django's ProhibitNullCharactersValidator); this guards what forms do not see:
    the path and the query string. The Open311 API answers in its own error format.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = _("주소에 쓸 수 없는 문자가 들어 있습니다. 주소를 다시 확인해 주세요.")
            if request.path.startswith("/open311/"):
                return JsonResponse([{"code": 400, "description": message}], status=400, safe=False)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)
