"""Visits that arrive through a channel's tagged links (``?ch=<slug>``), counted per tutorial, channel and day.

Nothing about the visitor is kept or set: no cookie, no session, no address; a request that carries the tag of a
known channel adds one to the day's count in a single upsert. The tag stays in the address (no redirect to a
clean URL: one round trip less on a slow phone network, and the page's "did this step help?" forms carry the
channel in a hidden field from it). A reload therefore counts again, as any counter without cookies does. After a
feedback answer the page comes back with ``via=<slug>``, which keeps the channel for the next answers but is not
counted as a visit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from media.pipeline.social import CHANNEL_PARAM

from .models import Channel, ChannelVisit

# A later page, reached after answering, keeps the channel without counting another visit.
VIA_PARAM = "via"
_TAG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def channel_for_tag(tag: str | None) -> Channel | None:
    """The channel a link's tag names, or None for a missing, malformed or unknown tag."""
    if not tag or not _TAG.match(tag):
        return None
    return Channel.objects.filter(slug=tag).only("pk", "slug").first()


def _bump(*, tutorial_id: int, channel_id: int, column: str, day: date | None = None) -> None:
    table = connection.ops.quote_name(ChannelVisit._meta.db_table)
    column = connection.ops.quote_name(column)
    visits, helpful = (1, 0) if column == connection.ops.quote_name("visits") else (0, 1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (tutorial_id, channel_id, day, visits, helpful) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (tutorial_id, channel_id, day) DO UPDATE SET {column} = {table}.{column} + 1",
            [tutorial_id, channel_id, day or timezone.localdate(), visits, helpful],
        )


def channel_visit_record(*, tutorial_id: int, channel_id: int) -> None:
    """One more visit today to the tutorial through the channel (one upsert, safe under any concurrency)."""
    _bump(tutorial_id=tutorial_id, channel_id=channel_id, column="visits")


def channel_visit_count(*, tutorial_id: int, tag: str | None) -> Channel | None:
    """Count one visit to the tutorial through the channel the tag names; the channel, or None (nothing counted)."""
    channel = channel_for_tag(tag)
    if channel is not None:
        channel_visit_record(tutorial_id=tutorial_id, channel_id=channel.pk)
    return channel


def channel_helpful_count(*, tutorial_id: int, tag: str | None) -> Channel | None:
    """A "yes, this step helped" from a visitor who came through the channel."""
    channel = channel_for_tag(tag)
    if channel is not None:
        _bump(tutorial_id=tutorial_id, channel_id=channel.pk, column="helpful")
    return channel


@dataclass
class ChannelSeries:
    channel: Channel
    visits: list[int]
    helpful: list[int]
    total_visits: int = 0
    total_helpful: int = 0
    days: list = field(default_factory=list)


def tutorial_visits(
    *, tutorial_id: int, days: int, today: date | None = None
) -> tuple[list[date], list[ChannelSeries]]:
    """Visits and helpful answers per channel for the last ``days`` days (today included), channels with any first."""
    end = today or timezone.localdate()
    start = end - timedelta(days=days - 1)
    dates = [start + timedelta(days=n) for n in range(days)]
    index = {day: n for n, day in enumerate(dates)}
    rows = ChannelVisit.objects.filter(tutorial_id=tutorial_id, day__gte=start, day__lte=end).values(
        "channel_id", "day", "visits", "helpful"
    )
    channels = {channel.pk: channel for channel in Channel.objects.order_by("name")}
    series = {pk: ChannelSeries(channel, [0] * days, [0] * days) for pk, channel in channels.items()}
    for row in rows:
        item = series[row["channel_id"]]
        item.visits[index[row["day"]]] += row["visits"]
        item.helpful[index[row["day"]]] += row["helpful"]
    for item in series.values():
        item.total_visits, item.total_helpful = sum(item.visits), sum(item.helpful)
        item.days = list(zip(dates, item.visits, item.helpful, strict=True))
    ordered = sorted(series.values(), key=lambda s: (-s.total_visits, s.channel.name))
    return dates, ordered


def tutorial_visit_totals(*, tutorial_id: int) -> dict[str, int]:
    totals = ChannelVisit.objects.filter(tutorial_id=tutorial_id).aggregate(
        visits=Sum("visits"), helpful=Sum("helpful")
    )
    return {key: value or 0 for key, value in totals.items()}


def tutorials_by_visits():
    """One row per tutorial with channel visits: its id, title and totals, most visited first."""
    return (
        ChannelVisit.objects.values("tutorial_id", "tutorial__title")
        .annotate(visits=Sum("visits"), helpful=Sum("helpful"))
        .order_by("-visits", "tutorial__title")
    )


__all__ = ["CHANNEL_PARAM", "VIA_PARAM", "channel_for_tag", "channel_helpful_count", "channel_visit_count"]
