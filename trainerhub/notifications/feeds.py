"""The private calendar feeds `/calendar/<token>.ics` (trainer's, or one client's)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from trainerhub.notifications import ics, selectors


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = selectors.feed_get(token)
    trainer = feed.trainer
    if feed.client_id:
        name = f"{trainer.display_name}: your sessions"
    else:
        name = f"{trainer.display_name} bookings"
    cal = ics.calendar_for(
        selectors.feed_bookings(feed=feed), name=name, for_client=bool(feed.client_id)
    )
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="trainerhub.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
