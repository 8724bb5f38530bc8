"""Every public POST and tracking lookup is rate-limited per address (Korean 429)."""

import pytest
from django.conf import settings as django_settings

pytestmark = pytest.mark.django_db


def _limit(setting: str) -> int:
    return int(getattr(django_settings, setting).split("/")[0])


ENDPOINTS = [
    ("filing", "/complaints/new/t-road/", "PUBLIC_POST_RATE"),
    ("tracking", "/complaints/track/", "TRACKING_RATE"),
    ("consultation", "/consult/", "PUBLIC_POST_RATE"),
    ("board post", "/board/new/", "PUBLIC_POST_RATE"),
    ("board unlock", "/board/{post}/unlock/", "PUBLIC_POST_RATE"),
    ("praise", "/praise/", "PUBLIC_POST_RATE"),
    ("survey answer", "/surveys/not-a-token/", "PUBLIC_POST_RATE"),
    ("campaign", "/surveys/campaign/no-such-campaign/", "PUBLIC_POST_RATE"),
    ("open311 request", "/open311/v2/requests.json", "OPEN311_KEY_RATE"),
]


@pytest.mark.parametrize(("name", "url", "setting"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_public_post_is_rate_limited_per_address(
    name, url, setting, client, settings, road_type, board_post, api_key
):
    """Open311 filings need a key and are limited per key; the rest per address."""
    settings.RATELIMIT_ENABLE = True
    url = url.format(post=board_post.pk)
    data = {"title": "x"}
    if url.startswith("/open311/"):
        data["api_key"] = api_key[1]
    limit = _limit(setting)
    for _ in range(limit):
        response = client.post(url, data, REMOTE_ADDR="192.0.2.10")
        assert response.status_code != 429, name
    blocked = client.post(url, data, REMOTE_ADDR="192.0.2.10")
    assert blocked.status_code == 429, name
    if not url.startswith("/open311/"):
        # Another address is not affected.
        other = client.post(url, data, REMOTE_ADDR="192.0.2.11")
        assert other.status_code != 429, name
