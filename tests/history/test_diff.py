"""Word-level diffs: inline <del>/<ins>, whitespace kept, user HTML never survives."""

from hypothesis import given
from hypothesis import strategies as st

from assessments.history.diff import diff_counts, tokens, word_diff_html


def test_marks_inserted_and_deleted_words():
    html = word_diff_html("The State is strong.", "The State is fairly weak.")
    assert html == ('The State is <del class="diff-del">strong</del><ins class="diff-ins">fairly weak</ins>.')
    assert diff_counts("The State is strong.", "The State is fairly weak.") == (1, 2)


def test_whitespace_and_paragraphs_are_preserved():
    html = word_diff_html("One.\n\nTwo.", "One.\n\nTwo and three.")
    assert html == 'One.\n\nTwo<ins class="diff-ins"> and three</ins>.'


def test_user_html_is_escaped_not_rendered():
    html = word_diff_html("Safe <b>text</b>", 'Safe <script>alert("x")</script><img src=x onerror=alert(1)>')
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "script" in html and "&lt;/script&gt;" in html and "&lt;img" in html


def test_identical_texts_have_no_marks():
    assert word_diff_html("Same [@hrw-2022, p. 4].", "Same [@hrw-2022, p. 4].") == "Same [@hrw-2022, p. 4]."


def test_empty_sides():
    assert word_diff_html("", "New text") == '<ins class="diff-ins">New text</ins>'
    assert word_diff_html("Old text", "") == '<del class="diff-del">Old text</del>'


@given(st.text(), st.text())
def test_tokens_rebuild_the_text_and_unmarked_diff_is_the_new_text(old, new):
    assert "".join(tokens(new)) == new
    html = str(word_diff_html(old, new))
    assert "<" not in html.replace('<del class="diff-del">', "").replace("</del>", "").replace(
        '<ins class="diff-ins">', ""
    ).replace("</ins>", "")
