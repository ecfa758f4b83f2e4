"""Reading what people type into the same query for both engines."""

from assessments.search.query import fts5_expression, parse, tsquery_expression


def test_words_must_all_match_and_stopwords_are_dropped():
    query = parse("the Kigali  Principles")
    assert query.words == ["kigali", "principles"]
    assert fts5_expression(query) == '"kigali" AND "principles"'
    assert tsquery_expression(query) == "(('kigali')) & (('principles'))"


def test_phrase_negation_and_or():
    query = parse('"rome statute" -north hrw or amnesty')
    assert fts5_expression(query) == '("rome statute" AND ("hrw" OR "amnesty")) NOT ("north")'
    assert tsquery_expression(query) == "(('rome' <-> 'statute')) & (('hrw') | ('amnesty')) & !('north')"


def test_punctuation_splits_words_as_the_engines_do_and_quotes_cannot_escape():
    assert fts5_expression(parse("hrw-2022")) == '"hrw 2022"'
    assert fts5_expression(parse('say "it\'s" NEAR(a b) *')) == '"say" AND "it s" AND "near a" AND "b"'
    assert parse('""  -  or').is_empty


def test_prefix_for_type_ahead():
    assert fts5_expression(parse("human righ"), prefix=True) == '"human" AND "righ"*'
    assert tsquery_expression(parse("human righ"), prefix=True) == "(('human')) & (('righ':*))"
