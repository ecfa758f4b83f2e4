"""The three-way paragraph merge: one-sided changes taken, shared text never duplicated, conflicts keep both."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from assessments.review.merge import merge, paragraphs

BASE = "Intro.\n\nMiddle.\n\nEnd."


def test_changes_on_different_paragraphs_merge_cleanly():
    result = merge(BASE, "Intro, mine.\n\nMiddle.\n\nEnd.", "Intro.\n\nMiddle.\n\nEnd, theirs.")
    assert result.is_clean
    assert result.text() == "Intro, mine.\n\nMiddle.\n\nEnd, theirs."


def test_shared_paragraphs_are_not_duplicated():
    mine = BASE + "\n\nMy new paragraph."
    theirs = "Intro.\n\nMiddle, edited.\n\nEnd."
    text = merge(BASE, mine, theirs).text()
    assert text == "Intro.\n\nMiddle, edited.\n\nEnd.\n\nMy new paragraph."
    assert all(count == 1 for count in Counter(paragraphs(text)).values())


def test_same_change_on_both_sides_is_kept_once():
    both = "Intro.\n\nMiddle, fixed.\n\nEnd."
    result = merge(BASE, both, both)
    assert result.is_clean and result.text() == both


def test_conflicting_paragraphs_keep_both_versions():
    result = merge(BASE, "Intro.\n\nMiddle by me.\n\nEnd.", "Intro.\n\nMiddle by them.\n\nEnd.")
    [conflict] = result.conflicts
    assert conflict.base == ["Middle."]
    assert conflict.mine == ["Middle by me."] and conflict.theirs == ["Middle by them."]
    assert result.text() == "Intro.\n\nMiddle by me.\n\nEnd."  # mine by default
    assert result.text({0: conflict.theirs_text}) == "Intro.\n\nMiddle by them.\n\nEnd."
    assert result.text({0: conflict.both_text}) == "Intro.\n\nMiddle by me.\n\nMiddle by them.\n\nEnd."


def test_both_appending_different_paragraphs_is_a_conflict_without_duplicates():
    result = merge(BASE, BASE + "\n\nShared.\n\nMine.", BASE + "\n\nShared.\n\nTheirs.")
    [conflict] = result.conflicts
    assert conflict.mine == ["Mine."] and conflict.theirs == ["Theirs."]
    assert result.text({0: conflict.both_text}) == BASE + "\n\nShared.\n\nMine.\n\nTheirs."


def test_deleted_on_one_side_unchanged_on_the_other_is_deleted():
    result = merge(BASE, "Intro.\n\nEnd.", BASE)
    assert result.is_clean and result.text() == "Intro.\n\nEnd."


def test_deleted_on_one_side_edited_on_the_other_conflicts():
    result = merge(BASE, "Intro.\n\nEnd.", "Intro.\n\nMiddle, edited.\n\nEnd.")
    [conflict] = result.conflicts
    assert conflict.mine == [] and conflict.theirs == ["Middle, edited."]


def test_empty_base():
    result = merge("", "Mine.", "")
    assert result.is_clean and result.text() == "Mine."


words = st.sampled_from(["Alpha.", "Beta.", "Gamma.", "Delta.", "Epsilon.", "Zeta."])
texts = st.lists(words, max_size=6, unique=True).map("\n\n".join)


@given(texts, texts, texts)
def test_merge_properties(base, mine, theirs):
    result = merge(base, mine, theirs)
    merged = paragraphs(result.text())
    # Nothing appears more often than on the side that has it most (no duplicated paragraph)...
    most = Counter(paragraphs(mine)) | Counter(paragraphs(theirs))
    assert all(count <= most[p] for p, count in Counter(merged).items())
    # ...one side unchanged means the other side wins, and equal sides merge to themselves.
    if mine == base:
        assert result.is_clean and merged == paragraphs(theirs)
    if theirs == base:
        assert result.is_clean and merged == paragraphs(mine)
    if mine == theirs:
        assert result.is_clean and merged == paragraphs(mine)
    # Every paragraph of either side is in the text, or offered in a conflict.
    offered = set(merged) | {p for c in result.conflicts for p in c.theirs}
    added_mine = set(paragraphs(mine)) - set(paragraphs(base))
    added_theirs = set(paragraphs(theirs)) - set(paragraphs(base))
    assert added_mine | added_theirs <= offered


def test_adjacent_paragraphs_edited_in_place_merge_one_by_one():
    result = merge(BASE, "Intro.\n\nMiddle by me.\n\nEnd, mine.", "Intro, theirs.\n\nMiddle by them.\n\nEnd.")
    [conflict] = result.conflicts
    assert conflict.base == ["Middle."]
    assert result.text() == "Intro, theirs.\n\nMiddle by me.\n\nEnd, mine."
