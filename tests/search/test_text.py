"""Folding, tokens and query analysis (search.chinese): the ground the backends stand on."""

import pytest

from search.chinese import analyse, document_number_key, fold, index_tokens


def test_folding_keeps_length_and_maps_traditional_fullwidth_and_case():
    text = "個體工商戶營業執照ＡＩ５Ｇ　Hello"
    assert fold(text) == "个体工商户营业执照ai5g hello"
    assert len(fold(text)) == len(text)


def test_index_tokens_are_bigrams_with_a_trailing_unigram_and_words():
    assert index_tokens("社保缴费，5G网络") == "社保 保缴 缴费 费 5g 网络 络"
    assert index_tokens("税") == "税"


@pytest.mark.parametrize(
    "typed", ["江府发〔2025〕8号", "江府发[2025]8号", "江府发（2025）8号", "江府发 ［2025］ 8号"]
)
def test_document_numbers_have_one_spelling(typed):
    assert document_number_key(typed) == "江府发〔2025〕8号"


def test_a_query_requires_a_cover_of_bigrams_and_ranks_the_phrase():
    (term,) = analyse("营业执照").terms
    (alternative,) = term.alternatives
    assert alternative.pieces == ("营业", "执照")
    assert alternative.phrase == ("营业", "业执", "执照")
    assert not alternative.open_ended
    assert analyse("市政发〔2025〕8号").terms[0].alternatives[0].open_ended
