"""The one parser for request parameters: ASCII digits, ranges, no control
characters, capped lengths, NFC (issue 13, finding 3)."""

import unicodedata

import pytest
from django.test import RequestFactory

from marketplace.core import request_params
from marketplace.core.request_params import BadParameter


@pytest.mark.parametrize(
    "raw",
    [
        "²",  # str.isdigit() says yes; int() raises
        "¹²",
        "٣",  # Arabic-Indic three: int() says 3
        "１２",  # full-width
        "𝟙",
        "-1",
        "+1",
        " 1",
        "1 ",
        "1.0",
        "1e3",
        "0x10",
        "",
        "1\x00",
        "99999999999999999999",  # past OpenSearch's long and PostgreSQL's integer
        "9" * 5000,  # past Python's int() digit limit
        None,
    ],
)
def test_an_integer_is_ascii_digits_within_range_or_nothing(raw):
    assert request_params.integer(raw) is None


def test_an_integer_in_range_is_parsed_and_bounds_are_inclusive():
    assert request_params.integer("5", low=1, high=5) == 5
    assert request_params.integer("007", low=1, high=10) == 7
    assert request_params.integer("6", low=1, high=5) is None
    assert request_params.integer("0", low=1) is None
    assert request_params.integer(str(request_params.INT_MAX)) == request_params.INT_MAX
    assert request_params.integer(str(request_params.INT_MAX + 1)) is None


@pytest.mark.parametrize("raw", ["a\x00b", "a\x01b", "a\x1fb", "a\x7fb", "a\x85b", "a\x9fb"])
def test_text_with_a_control_character_is_refused(raw):
    assert request_params.text(raw, max_length=50) is None
    assert request_params.text(raw, max_length=50, clip=True) is None


def test_text_is_nfc_single_spaced_and_capped():
    decomposed = unicodedata.normalize("NFD", "Bát  Tràng\t")
    assert request_params.text(decomposed, max_length=50) == "Bát Tràng"
    assert request_params.text("x" * 10_000, max_length=100) is None
    assert request_params.text("x" * 10_000, max_length=100, clip=True) == "x" * 100
    assert request_params.text("dòng 1\r\ndòng 2", max_length=50, multiline=True) == (
        "dòng 1\r\ndòng 2"
    )


def test_a_token_is_ascii_letters_digits_dash_and_underscore():
    assert request_params.token("pi_3Mt0aB-x") == "pi_3Mt0aB-x"
    for raw in ["pi_\x00", "pi 1", "pi_ü", "x" * 300, "", None, 42]:
        assert request_params.token(raw) is None


def test_id_lists_keep_well_formed_ids_once_and_are_capped():
    raws = ["3", "²", "3", "7", "0", "99999999999", "x", *[str(n) for n in range(100, 200)]]
    assert request_params.integers(raws, limit=5) == [3, 7, 100, 101, 102]


def test_choices_and_flags_take_only_what_is_offered():
    assert request_params.choice("price_asc", ("price_asc", "newest")) == "price_asc"
    assert request_params.choice("PRICE_ASC", ("price_asc",)) is None
    assert request_params.choices(["a", "b", "a", "z"], {"a", "b"}) == ["a", "b"]
    assert request_params.flag("1") and request_params.flag("on")
    assert not request_params.flag("¹") and not request_params.flag(None)


def test_a_page_number_that_is_not_one_is_the_first_page():
    assert request_params.page_number("3") == 3
    for raw in ["²", "٣", "0", "-2", "99999999999999999999", None]:
        assert request_params.page_number(raw) == 1


def test_a_next_url_must_stay_on_this_site():
    request = RequestFactory().get("/", HTTP_HOST="cho-ocop.vn")
    assert request_params.local_url("/dashboard/producers/?q=a", request=request) == (
        "/dashboard/producers/?q=a"
    )
    for raw in ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/a\x00"]:
        assert request_params.local_url(raw, request=request) is None


def test_a_required_value_that_is_missing_is_a_400_not_a_500():
    assert request_params.required(5, "page") == 5
    with pytest.raises(BadParameter):
        request_params.required(request_params.integer("²"), "page")
