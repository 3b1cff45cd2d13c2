"""Vietnamese text helpers: the one folding, and the address parser's
length-keeping one."""

import unicodedata

import pytest

from marketplace.ocop.text import (
    VIETNAMESE_MARKED_LETTERS,
    fold,
    fold_keeping_length,
    nfc,
    plain_letter_groups,
)


def test_fold_drops_every_mark_and_d_bar_and_joins_spaces():
    assert fold("  Gốm sứ   Bát Tràng ") == "gom su bat trang"
    assert fold("ĐẶC SẢN Đồng Tháp") == "dac san dong thap"
    assert fold(None) == ""


def test_fold_reads_decomposed_text_as_composed():
    decomposed = unicodedata.normalize("NFD", "Lụa Vạn Phúc")
    assert decomposed != "Lụa Vạn Phúc"
    assert fold(decomposed) == fold("Lụa Vạn Phúc") == "lua van phuc"


def test_nfc_composes_and_single_spaces():
    assert nfc(unicodedata.normalize("NFD", "Hà  Nội ")) == "Hà Nội"
    assert nfc(None) == ""


SPACED = [("thành phố  Huế", "hue"), ("Tp.  Hồ Chí Minh", "minh"), ("  Đắk Lắk", "lak")]


@pytest.mark.parametrize(("text", "word"), SPACED)
def test_fold_keeping_length_keeps_every_index(text, word):
    folded = fold_keeping_length(text)
    assert len(folded) == len(text)
    assert folded.isascii()
    # a word found in the folded text is cut from the original at the same index
    start = folded.index(word)
    assert fold(text[start : start + len(word)]) == word
    # which `fold` would not allow: it joins the spaces before it
    assert fold(text).index(word) != start


def test_fold_keeping_length_folds_letters_as_fold_does():
    text = "Thành phố Đà Nẵng"
    assert fold_keeping_length(text) == "thanh pho da nang" == fold(text)


def test_every_marked_letter_folds_to_one_plain_letter():
    groups = plain_letter_groups()
    assert set(groups) == set("aeiouyd")
    assert sorted("".join(groups.values())) == sorted(VIETNAMESE_MARKED_LETTERS)
