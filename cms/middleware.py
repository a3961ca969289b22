from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase


class SiteCSPMiddleware(CSPMiddleware):
    """CONTENT_SECURITY_POLICY everywhere, ADMIN_CONTENT_SECURITY_POLICY under the Wagtail admin.

    The public pages allow no inline script or style at all; Wagtail's admin needs a little more (see the
    setting), and only there.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith("/admin/"):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


class OutOfRangeIdMiddleware:
    """An id beyond what the database can hold is an id that does not exist: 404, not 500.

    The database driver refuses to send an integer of 2**63 or more (OverflowError) before the database could
    say "no such row". Bangban's own URLs bound their ids (cms.converters); this catches the same in the URLs of
    Wagtail and other apps, which take any number of digits.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, OverflowError):
            raise Http404("No such object.") from exception
