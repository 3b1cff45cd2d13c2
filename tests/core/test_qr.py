"""The product page's QR code is drawn once per lookup URL, not once per
view (about 5 ms each, issue 14), and still drawn with Redis down."""

import copy
import socket
import uuid

import pytest
import qrcode

from marketplace.core import qr

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawings(monkeypatch):
    """The URLs a QR code was drawn for."""
    drawn = []
    make = qrcode.make

    def spy(data, **kwargs):
        drawn.append(data)
        return make(data, **kwargs)

    monkeypatch.setattr(qrcode, "make", spy)
    return drawn


def _dead_port() -> int:
    """A local port nobody listens on: Redis there is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_qr_code_is_drawn_once_per_url_and_still_drawn_without_redis(settings, drawings):
    # given two lookup URLs no page has shown yet
    first = f"https://cho-ocop.vn/chung-nhan/?so={uuid.uuid4().hex}%2FQĐ-UBND"
    second = first.replace("QĐ", "QĐ-TTg")
    # when product pages show their codes again and again
    codes = [qr.qr_svg(first) for _ in range(3)] + [qr.qr_svg(second) for _ in range(2)]
    # then each code is drawn once and served the same afterwards
    assert drawings == [first, second]
    assert codes[0] == codes[1] == codes[2] != codes[3] == codes[4]
    assert codes[0].startswith("<svg") and "<path" in codes[0]
    # and with Redis dead, codes are drawn on every view, and the page still has one
    configured = copy.deepcopy(settings.CACHES["default"])
    settings.CACHES = {"default": {**configured, "LOCATION": f"redis://127.0.0.1:{_dead_port()}/0"}}
    assert qr.qr_svg(first) == codes[0]
    assert qr.qr_svg(first) == codes[0]
    assert drawings == [first, second, first, first]
