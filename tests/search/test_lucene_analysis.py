"""The analysis our Elasticsearch index declares, run by real Lucene (issue 14).

index_body() declares char filters, a tokenizer and token filters by their Elasticsearch names;
tests/search/lucene/Analyse.java builds the same chain from the Lucene classes Elasticsearch
uses and prints the tokens. For tricky text these tests check that what the query side
(search.chinese.analyse) asks for is in the index — each piece a token of the field it is looked
for in, each phrase at consecutive positions — and that Lucene's tokens are the embedded
engine's, except for the differences written down in DIFFERENCES, each with its reason.
"""

from typing import NamedTuple

import pytest

from search.backends.elasticsearch_index import index_body, mapping_rule
from search.chinese import analyse, fold, index_tokens, is_single_han, run_tokens, runs, t2s_pairs

from . import lucene

LONG_WORD = "x" * 300

CORPUS = [
    "PM2.5",
    "3.5万元",
    "12,345人",
    "数字政府2.0",
    "www.gov.cn",
    "〔2025〕8号",
    "江发改〔2025〕3号",
    "國辦發〔2024〕12號",
    "營業執照",
    "醫療保險繳費",
    "ＰＭ２．５",
    "ＡＢＣ１２３",
    "😀社保",
    "社保😀缴费",
    "5G网络",
    "Wi-Fi6覆盖全市",
    "user_name",
    "O'Brien",
    "1.2.3",
    "Ⅳ",
    "〇",
    "二〇二五年",
    "人々",
    "AI赋能政务服务",
    "个人所得税",
    "税",
    "关于“税”字的说明",
    "社保 缴费",
    "社保\u3000缴费",
    "社保\t缴费\n基数",
    "  前后空格  ",
    LONG_WORD,
    "，。！？……——",
    "咨询电话：0571-12345",
    "e-mail：help@example.gov.cn",
    "2025年3月1日",
    "东京の天気",
    "ひらがな",
    "カタカナ",
    "ｶﾀｶﾅ",
    "한국어",
    "Москва",
    "①②③",
    "①社保",
    "⑴申请材料",
    "面积100m²",
    "𠀀𠀁",
]


class Difference(NamedTuple):
    why: str
    lucene: list  # Lucene's jiyue_text tokens of the text
    found: bool = True  # does a search for the text find it on Elasticsearch?


# Where Lucene's jiyue_text tokens differ from the embedded engine's (index_tokens less the
# trailing unigram of each Han run, which Elasticsearch keeps in `.chars`). The query's pieces
# and phrases are analysed by the same chain (multi_match, match_phrase), so they usually become
# the same tokens and the search still finds the text — `found` says where it does not.
LOWERCASE = "LowerCaseFilter lowercases every script; the embedded fold only A–Z"
OTHER_NUMBER = (
    "①, ⑴, ² are \\p{N} (kept by jiyue_separators) but no word characters to UAX#29: "
    "StandardTokenizer drops them, so a piece made of them analyses to nothing and the "
    "search finds nothing; the embedded engine keeps them as a word"
)
DIFFERENCES = {
    "Ⅳ": Difference(LOWERCASE, ["ⅳ"]),
    "Москва": Difference(LOWERCASE, ["москва"]),
    LONG_WORD: Difference("StandardTokenizer splits words at 255", ["x" * 255, "x" * 45]),
    "ひらがな": Difference("UAX#29 splits hiragana per character", ["ひ", "ら", "が", "な"]),
    "ｶﾀｶﾅ": Difference("cjk_width folds half-width katakana; fold does not", ["カタカナ"]),
    "①②③": Difference(OTHER_NUMBER, [], found=False),
    "①社保": Difference(OTHER_NUMBER, ["社保"], found=False),
    "⑴申请材料": Difference(OTHER_NUMBER, ["申请", "请材", "材料"], found=False),
    "面积100m²": Difference(OTHER_NUMBER + " (here: 100m², found through 100m)", ["面积", "100m"]),
}


def without_inner_unigrams(text):
    """The embedded engine's tokens less each Han run's trailing unigram: what jiyue_text holds."""
    return [token for run in runs(fold(text)) for token in run_tokens(run, final=True)]


def queries(text):
    """Every (alternative, piece) the query side builds from `text`."""
    plan = analyse(text)
    return [(a, piece) for term in plan.terms for a in term.alternatives for piece in a.pieces]


def field_analyzer(piece):
    """The analyzer of the field a piece is looked for in (elasticsearch.py piece_query)."""
    return "jiyue_chars" if is_single_han(piece) else "jiyue_text"


def terms(tokens):
    return [token.term for token in tokens]


@pytest.fixture(scope="module", autouse=True)
def lucene_available():
    lucene.require()


@pytest.fixture(scope="module")
def analysis():
    return index_body("cjk")["settings"]["analysis"]


@pytest.fixture(scope="module")
def analysed(analysis):
    """Lucene's tokens of every corpus text, piece and phrase, by analyzer: one JVM each."""
    texts = {"jiyue_text": set(CORPUS), "jiyue_chars": set(CORPUS)}
    for text in CORPUS:
        for alternative, piece in queries(text):
            texts[field_analyzer(piece)].add(piece)
            texts["jiyue_text"].add(alternative.text)
    result = {}
    for analyzer, wanted in texts.items():
        wanted = sorted(wanted)
        for text, tokens in zip(wanted, lucene.tokens(analysis, analyzer, wanted), strict=True):
            result[analyzer, text] = tokens
    return result


def test_the_corpus_is_tricky_enough():
    assert len(CORPUS) >= 30
    assert set(DIFFERENCES) <= set(CORPUS)


@pytest.mark.parametrize("text", CORPUS)
def test_lucene_tokens_are_the_embedded_tokens(analysed, text):
    lucene_terms = terms(analysed["jiyue_text", text])
    embedded = without_inner_unigrams(text)
    if text in DIFFERENCES:
        difference = DIFFERENCES[text]
        assert lucene_terms == difference.lucene, difference.why
        assert lucene_terms != embedded, f"no longer a difference, remove it: {difference.why}"
    else:
        assert lucene_terms == embedded, index_tokens(text)


@pytest.mark.parametrize("text", CORPUS)
def test_every_query_piece_is_an_index_token(analysed, text):
    found = []
    for _alternative, piece in queries(text):
        analyzer = field_analyzer(piece)
        indexed = terms(analysed[analyzer, text])
        wanted = terms(analysed[analyzer, piece])  # what multi_match (operator and) looks for
        found.append(bool(wanted) and set(wanted) <= set(indexed))
        if text not in DIFFERENCES:
            assert piece in indexed, (piece, analyzer, indexed)
    if text in DIFFERENCES and not DIFFERENCES[text].found:
        assert not all(found), f"found after all, update DIFFERENCES: {DIFFERENCES[text].why}"
    else:
        assert all(found), list(zip(queries(text), found, strict=True))


def occurs_as_phrase(phrase, tokens):
    at = {}
    for token in tokens:
        at.setdefault(token.position, set()).add(token.term)
    return any(all(term in at.get(start + i, ()) for i, term in enumerate(phrase)) for start in at)


def is_subsequence(short, long):
    rest = iter(long)
    return all(item in rest for item in short)


@pytest.mark.parametrize("text", CORPUS)
def test_every_query_phrase_matches_as_a_phrase(analysed, text):
    for alternative, _piece in queries(text):
        phrase = terms(analysed["jiyue_text", alternative.text])  # what match_phrase looks for
        if text not in DIFFERENCES:
            # alternative.phrase less the inner unigrams (kept in `.chars` on Elasticsearch)
            assert phrase == without_inner_unigrams(alternative.text)
            assert is_subsequence(phrase, alternative.phrase), alternative.phrase
            assert len(alternative.phrase) - len(phrase) == sum(
                is_single_han(t) for t in alternative.phrase if t not in phrase
            )
        if phrase or text not in DIFFERENCES:
            assert occurs_as_phrase(phrase, analysed["jiyue_text", text]), (phrase, text)


# --- the jiyue_t2s rules, parsed as Elasticsearch parses them -----------------------------------


def char_filter_only(rules):
    """An analysis with jiyue_t2s made of `rules` and a keyword tokenizer: shows the folding."""
    return {
        "char_filter": {"jiyue_t2s": {"type": "mapping", "mappings": rules}},
        "analyzer": {"probe": {"char_filter": ["jiyue_t2s"], "tokenizer": "keyword"}},
    }


def test_every_t2s_rule_parses_to_its_pair(analysis):
    rules = analysis["char_filter"]["jiyue_t2s"]["mappings"]
    pairs = t2s_pairs()
    assert len(rules) == len(pairs) > 4000
    folded = lucene.tokens(char_filter_only(rules), "probe", [old for old, _new in pairs])
    assert [terms(tokens) for tokens in folded] == [[new] for _old, new in pairs]


def test_a_bad_rule_is_refused():
    with pytest.raises(lucene.LuceneError, match=r"Invalid escaped char in \[\\\]"):
        lucene.tokens(char_filter_only(["＼ => \\"]), "probe", ["＼"])


@pytest.mark.parametrize(("old", "new"), [("＼", "\\"), ("＂", '"'), ("甲", "\\n")])
def test_mapping_rule_escapes_what_the_parser_reads(old, new):
    (tokens,) = lucene.tokens(char_filter_only([mapping_rule(old, new)]), "probe", [old])
    assert terms(tokens) == [new]


@pytest.mark.parametrize(
    ("declared", "error"),
    [
        ({"type": "cjk_widht"}, "unknown token filter type cjk_widht"),
        ({"type": "cjk_bigram", "ignore_scripts": ["hangul"]}, "unknown setting ignore_scripts"),
    ],
)
def test_unknown_names_are_errors(analysis, declared, error):
    broken = {**analysis, "filter": {**analysis["filter"], "jiyue_bigram": declared}}
    with pytest.raises(lucene.LuceneError, match=error):
        lucene.tokens(broken, "jiyue_text", ["社保"])


# --- smartcn --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def smartcn():
    return index_body("smartcn")["settings"]["analysis"]


def test_smartcn_matches_with_the_same_fields_as_cjk(analysis, smartcn):
    """The pieces are looked for in jiyue_text and jiyue_chars, the same in both flavours, so the
    corpus tests above hold for smartcn too: `.words` is not needed to match."""
    for name in ("jiyue_text", "jiyue_chars"):
        assert smartcn["analyzer"][name] == analysis["analyzer"][name]
    assert "jiyue_words" not in analysis["analyzer"]


def test_smartcn_segments_words(smartcn):
    texts = ["营业执照办理", "營業執照辦理"]
    for tokens in lucene.tokens(smartcn, "jiyue_words", texts):
        assert terms(tokens) == ["营业执照", "办理"]


def test_smartcn_drops_punctuation(smartcn):
    (tokens,) = lucene.tokens(smartcn, "jiyue_words", ["关于“社保”缴费，请咨询：12345。……！"])
    assert terms(tokens) and all(any(c.isalnum() for c in t) for t in terms(tokens)), terms(tokens)
