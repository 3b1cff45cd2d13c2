"""`make run`'s demo fairs, events and craft villages."""

import pytest
from django.utils import timezone
from wagtail.models import Page

from cms.models import CraftVillagePage, EventPage, FairPage
from marketplace.demo.services import demo_pages_ensure

pytestmark = pytest.mark.django_db


def test_demo_pages_link_villages_to_their_producers_and_run_again_safely(demo_site):
    # given the demo site (which already ran demo_pages_ensure once)
    villages = CraftVillagePage.objects.live()
    assert demo_site.pages_created == 11
    assert sorted(villages.values_list("slug", flat=True)) == [
        "bat-trang",
        "chuyen-my",
        "ha-thai",
        "phu-vinh",
        "van-phuc",
    ]
    # then each village lists demo producers from its own place
    for village in villages:
        producers = village.producers.all()
        assert producers, village.title
        assert {p.province for p in producers} == {village.province} == {"Hà Nội"}
    bat_trang = villages.get(slug="bat-trang")
    assert bat_trang.producers.filter(name="HTX Gốm sứ Bát Tràng").exists()
    assert not bat_trang.producers.filter(name__contains="Vạn Phúc").exists()
    # and the 2020 fairs and events are past, the sample fair upcoming
    assert FairPage.objects.live().count() == 3
    assert EventPage.objects.live().count() == 3
    upcoming = FairPage.objects.upcoming()
    assert [fair.slug for fair in upcoming] == ["hoi-cho-ocop-ha-noi-du-lieu-mau"]
    assert "dữ liệu mẫu" in upcoming[0].title
    assert upcoming[0].start_at > timezone.now()
    assert all(e.start_at.year == 2020 for e in EventPage.objects.all())
    # when it runs again
    counts = (Page.objects.count(), CraftVillagePage.producers.through.objects.count())
    assert demo_pages_ensure() == 0
    # then nothing is duplicated
    assert (Page.objects.count(), CraftVillagePage.producers.through.objects.count()) == counts
