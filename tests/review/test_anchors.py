"""Comments follow their passage through edits, and say so when it changed or disappeared."""

from assessments.review.anchors import CHANGED, FOUND, REMOVED, anchor_in, locate

TEXT = (
    "The State has ratified the Rome Statute. Civil society is active and free.\n\n"
    "Civil society is active and free. Elections are held regularly and are broadly fair."
)


def test_anchor_keeps_quote_and_context():
    anchor = anchor_in(TEXT, "Rome Statute")
    assert anchor.quote == "Rome Statute"
    assert anchor.prefix.endswith("ratified the ") and anchor.suffix.startswith(". Civil")
    assert anchor_in(TEXT, "not in the text") is None


def test_the_prefix_hint_picks_the_right_occurrence():
    second = anchor_in(TEXT, "Civil society is active", prefix_hint="\n\n")
    assert second.prefix.endswith("free.\n\n")
    assert locate(second, TEXT).start == TEXT.rindex("Civil society is active")


def test_found_exactly_after_edits_elsewhere():
    anchor = anchor_in(TEXT, "Rome Statute")
    later = "New opening sentence. " + TEXT.replace("broadly fair", "free and fair")
    located = locate(anchor, later)
    assert located.state == FOUND and later[located.start : located.end] == "Rome Statute"


def test_changed_passage_is_found_by_its_context():
    anchor = anchor_in(TEXT, "are held regularly")
    later = TEXT.replace("are held regularly", "take place every four years")
    located = locate(anchor, later)
    assert located.state == CHANGED
    assert located.text == "take place every four years"
    assert located.label == "passage changed"


def test_changed_passage_without_context_is_found_by_its_longest_part():
    anchor = anchor_in(TEXT, "Elections are held regularly and are broadly fair.")
    later = "Elections are held regularly and are mostly fair."
    located = locate(anchor, later)
    assert located.state == CHANGED and located.text.startswith("Elections are held regularly")


def test_removed_passage_is_marked_not_lost():
    anchor = anchor_in(TEXT, "Elections are held regularly and are broadly fair.")
    located = locate(anchor, "The State has ratified the Rome Statute.")
    assert located.state == REMOVED and located.label == "passage removed"


def test_a_passage_selected_in_the_preview_is_found_despite_emphasis_and_spacing():
    notes = "The State has *ratified* the\nRome Statute."
    anchor = anchor_in(notes, "has ratified the Rome Statute")
    assert anchor.quote == "has *ratified* the\nRome Statute"
    assert locate(anchor, notes).state == FOUND


def test_a_rewritten_passage_at_the_end_of_a_paragraph_is_changed_not_removed():
    notes = "Hate speech rose, but the State has not adopted a comprehensive anti-discrimination law.\n\nNext."
    anchor = anchor_in(notes, "not adopted a comprehensive anti-discrimination law")
    later = notes.replace("not adopted a comprehensive anti-discrimination law", "still not passed a general law")
    located = locate(anchor, later)
    assert (located.state, located.text) == (CHANGED, "still not passed a general law")


def test_a_rewritten_passage_at_the_start_of_a_paragraph_is_changed_not_removed():
    notes = "Intro.\n\nElections are held regularly and are broadly fair, say observers from the region."
    anchor = anchor_in(notes, "Elections are held regularly and are broadly fair")
    later = notes.replace("Elections are held regularly and are broadly fair", "Votes happen")
    located = locate(anchor, later)
    assert (located.state, located.text) == (CHANGED, "Votes happen")
