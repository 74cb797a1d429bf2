"""Segmentation and query parsing: pure Python, the same on every database."""

from govsite.search.backends import PostgresBackend, SQLiteBackend
from govsite.search.segment import index_tokens, parse_query


def test_han_runs_give_bigrams_the_last_character_and_dictionary_words() -> None:
    tokens = index_tokens("张江示范区")
    assert tokens[:4] == ["张江", "江示", "示范", "范区"]
    assert "区" in tokens and "示范区" in tokens


def test_mixed_scripts_and_hyphenated_terms() -> None:
    assert index_tokens("采用TD-LTE技术") == ["采用", "用", "td", "lte", "技术", "术"]
    query = parse_query("TD-LTE")
    assert [u.alternatives[0].tokens for u in query.units] == [("td", "lte")]


def test_full_width_and_case_are_normalized() -> None:
    assert index_tokens("ＴＤ－ＬＴＥ") == index_tokens("td-lte")


def test_queries_never_carry_syntax_into_match_expressions() -> None:
    hostile = "a\" OR 1=1 -- NEAR(x) * ^ ' ; DROP TABLE x; <script>"
    query = parse_query(hostile)
    fts = SQLiteBackend().match_expression(query)
    tsq = PostgresBackend().match_expression(query)
    for expression in (fts, tsq):
        assert "NEAR(" not in expression and "<script>" not in expression and ";" not in expression
    assert all(t.isalnum() for u in query.units for p in u.alternatives for t in p.tokens)


def test_one_han_character_is_a_prefix_query() -> None:
    (unit,) = parse_query("税").units
    assert unit.alternatives[0].prefix
    assert SQLiteBackend().match_expression(parse_query("税")) == '"税"*'
    assert PostgresBackend().match_expression(parse_query("税")) == "(('税':*))"


def test_tsvector_literal_escapes_and_weights() -> None:
    literal = PostgresBackend().vector_literal({"title": ["张江"], "body": ["it's"]})
    assert literal == "'张江':1A 'it''s':4C"


def test_empty_and_symbol_only_queries_have_no_units() -> None:
    assert not parse_query("")
    assert not parse_query("！！！ ——…")
