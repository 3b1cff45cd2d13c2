"""Two-level (post-2025) and legacy three-level Vietnamese addresses parse alike."""

import pytest

from marketplace.registry.addresses import (
    PROVINCES_2025,
    PROVINCES_LEGACY,
    ParsedAddress,
    address_parse,
    province_2025,
)


def test_two_level_address_has_ward_and_province_and_is_not_legacy():
    # given an address written after the 2025-07-01 reform
    raw = "Xã Bát Tràng, Thành phố Hà Nội"
    # when it is parsed
    parsed = address_parse(raw)
    # then the ward and bare province name come out, with no district
    assert parsed == ParsedAddress(
        raw=raw, ward="Bát Tràng", district="", province="Hà Nội", is_legacy=False
    )


def test_three_level_address_keeps_its_district_and_is_legacy():
    # given an older certificate's address with hamlet, commune, district and city
    raw = "Thôn 2, Xã Bát Tràng, Huyện Gia Lâm, Thành phố Hà Nội"
    # when it is parsed
    parsed = address_parse(raw)
    # then the hamlet is ignored and all three levels are bare names
    assert (parsed.ward, parsed.district, parsed.province) == ("Bát Tràng", "Gia Lâm", "Hà Nội")
    assert parsed.is_legacy is True


def test_street_parts_before_the_ward_are_ignored():
    # given a city address with house number, street, numbered ward and district
    # when it is parsed
    parsed = address_parse("Số 12, đường Lê Lợi, Phường 12, Quận 1, Thành phố Hồ Chí Minh")
    # then only the administrative levels remain
    assert (parsed.ward, parsed.district, parsed.province) == ("12", "1", "Hồ Chí Minh")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("X. Bát Tràng, H. Gia Lâm, TP. Hà Nội", ("Bát Tràng", "Gia Lâm", "Hà Nội")),
        ("P.12, Q.1, TP.HCM", ("12", "1", "Hồ Chí Minh")),
        ("TT. Trâu Quỳ, TX Sơn Tây, Tp Hà Nội", ("Trâu Quỳ", "Sơn Tây", "Hà Nội")),
        ("Phường Thủ Dầu Một, TPHCM", ("Thủ Dầu Một", "", "Hồ Chí Minh")),
        ("Xã Tân Lập, T. Bắc Giang", ("Tân Lập", "", "Bắc Giang")),
    ],
)
def test_abbreviated_prefixes_are_understood(raw, expected):
    # given an address written with abbreviated level prefixes
    # when it is parsed
    parsed = address_parse(raw)
    # then the names come out as if the prefixes were spelled in full
    assert (parsed.ward, parsed.district, parsed.province) == expected


def test_lowercase_and_extra_spaces_are_tolerated():
    # given a carelessly typed address
    # when it is parsed
    parsed = address_parse("  xã  bát   tràng,huyện gia lâm ,  hà nội  ")
    # then the names are tidied and capitalised
    assert (parsed.ward, parsed.district, parsed.province) == ("Bát Tràng", "Gia Lâm", "Hà Nội")


def test_prefixes_without_diacritics_are_understood():
    # given an address typed without Vietnamese diacritics
    # when it is parsed
    parsed = address_parse("Xa Bat Trang, Huyen Gia Lam, Thanh pho Ha Noi, Viet Nam")
    # then the levels are found and a known province gets its proper spelling
    assert (parsed.ward, parsed.district, parsed.province) == ("Bat Trang", "Gia Lam", "Hà Nội")


def test_names_that_start_like_a_prefix_keep_their_first_word():
    # given a legacy district and commune whose names start with "Quan" (not "Quận")
    # when the address is parsed
    parsed = address_parse("Xã Quan Sơn, Huyện Quan Hóa, Tỉnh Thanh Hoá")
    # then the names are whole, and the old tone spelling maps to the canonical one
    assert (parsed.ward, parsed.district, parsed.province) == ("Quan Sơn", "Quan Hóa", "Thanh Hóa")


@pytest.mark.parametrize("raw", ["Hà Nội", "ha noi", "Thành phố Hà Nội", "HN"])
def test_ha_noi_alone_is_the_province(raw):
    # given only the capital's name, however written
    # when it is parsed
    parsed = address_parse(raw)
    # then it is the province, and nothing else is invented
    assert (parsed.ward, parsed.district, parsed.province) == ("", "", "Hà Nội")
    assert parsed.is_legacy is False


def test_unprefixed_names_are_placed_by_position():
    # given a legacy address with no level prefixes at all
    # when it is parsed
    parsed = address_parse("Bát Tràng, Gia Lâm, Hà Nội")
    # then the name next to the province is the district and the one before it the ward
    assert (parsed.ward, parsed.district, parsed.province) == ("Bát Tràng", "Gia Lâm", "Hà Nội")


def test_a_road_named_after_a_province_level_word_is_not_the_province():
    # given an address starting with a provincial road ("Tỉnh lộ")
    # when it is parsed
    parsed = address_parse("Tỉnh lộ 5, Xã Tân Lập, Tỉnh Bắc Giang")
    # then the road is street detail and the province is the last part
    assert (parsed.ward, parsed.province) == ("Tân Lập", "Bắc Giang")


@pytest.mark.parametrize("raw", ["", "   ", "???", ",,,", "abc", "12345", None, "Việt Nam"])
def test_unparseable_input_returns_empty_levels_without_raising(raw):
    # given input that is not an address
    # when it is parsed
    parsed = address_parse(raw)
    # then nothing is guessed and nothing is raised
    assert (parsed.ward, parsed.district, parsed.province) == ("", "", "")
    assert parsed.is_legacy is False


def test_partial_address_returns_what_it_can():
    # given a commune with no province
    # when it is parsed
    parsed = address_parse("Xã Bát Tràng")
    # then the commune is kept and the province left empty
    assert (parsed.ward, parsed.province) == ("Bát Tràng", "")


def test_there_are_34_distinct_provinces_after_the_2025_merger():
    # given the post-reform province list
    # then it has the 34 units of Resolution 202/2025/QH15, each once
    assert len(PROVINCES_2025) == 34
    assert len(set(PROVINCES_2025)) == 34
    # and the pre-reform list still has all 63
    assert len(set(PROVINCES_LEGACY)) == 63


@pytest.mark.parametrize("province", PROVINCES_2025)
def test_every_2025_province_parses_as_itself(province):
    # given a commune address in each current province
    # when it is parsed
    parsed = address_parse(f"Xã Tân Lập, Tỉnh {province}")
    # then the bare province name comes back unchanged
    assert parsed.province == province


@pytest.mark.parametrize(
    ("legacy", "merged"),
    [
        ("Bắc Giang", "Bắc Ninh"),
        ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
        ("Thừa Thiên Huế", "Huế"),
        ("Hà Nội", "Hà Nội"),
        ("ha giang", "Tuyên Quang"),
        ("Atlantis", ""),
    ],
)
def test_legacy_provinces_map_to_their_2025_province(legacy, merged):
    # given a province name from an older certificate
    # when we ask where it belongs now
    # then it names the merged province, or "" when it is no province at all
    assert province_2025(legacy) == merged
