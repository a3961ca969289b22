"""Demo channels (data in channels.json), created by ``seed_demo``; a channel already there is left as it is."""

import json
from pathlib import Path

CHANNELS_FILE = Path(__file__).with_name("channels.json")


def seed_channels() -> int:
    """Create the demo channels that are missing; returns how many were created."""
    from publishing.models import Channel

    created = 0
    for row in json.loads(CHANNELS_FILE.read_text(encoding="utf-8")):
        values = dict(row)
        slug = values.pop("slug")
        _channel, made = Channel.objects.get_or_create(slug=slug, defaults=values)
        created += made
    return created
