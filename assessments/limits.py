"""The sizes r2p accepts from its users, in one place (documented in README.md, "Security").

Every limit is enforced where the text enters: the forms (a clear message next to the field), the model's
validation (`full_clean()`, which every write service calls, so imports and scripts are held to the same sizes)
and the file readers (a row error or a file error in the import preview). Sizes count characters, not bytes.
"""

from django.core.validators import MaxLengthValidator

# Text people type.
NOTES_MAX_CHARS = 60_000  # an indicator's notes (the longest in the reference annex are ~6,000)
COMMENT_MAX_CHARS = 10_000  # a review comment
SOURCE_NOTE_MAX_CHARS = 10_000  # a source's free note
ERRATA_MAX_CHARS = 20_000  # what an edition corrects
INTRODUCTION_MAX_CHARS = 60_000  # a cycle's introduction
REASON_MAX_CHARS = 500  # reasons for reopening, trend overrides...

# Uploaded files (the byte limits of uploads are R2P_IMPORT_MAX_BYTES and the source form's MAX_BYTES).
IMPORT_MAX_ROWS = 20_000  # data rows of one CSV, XLSX or JSON file (the archive is 4,320 indicator rows)
IMPORT_MAX_COLUMNS = 50  # columns (the indicator files have 7)
IMPORT_MAX_CELLS = 500_000  # cells, counted as read, including the empty ones between filled cells
JSON_MAX_DEPTH = 20  # nesting of arrays and objects in an uploaded JSON file (rows need 2)
CELL_MAX_CHARS = NOTES_MAX_CHARS  # the text of one cell

# The history diff: word level while the changed middle of two texts is small enough, else a coarser fallback.
DIFF_MAX_WORK = 300_000  # (changed tokens before) × (changed tokens after) compared word by word

# Link checking.
LINK_MAX_REDIRECTS = 5
LINK_MAX_BYTES = 64 * 1024  # read from a response, at most
LINK_TIMEOUT_SECONDS = 10.0

# Password reset mail.
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60
PASSWORD_RESET_PER_ADDRESS = 3  # mails asked for one e-mail address per window
PASSWORD_RESET_PER_CLIENT = 10  # requests from one client address per window


def max_chars(limit: int) -> MaxLengthValidator:
    """A validator with a message that says both the limit and how long the text is."""
    return MaxLengthValidator(
        limit,
        message=f"This text is too long: at most {limit:,} characters are accepted (it has %(show_value)s).",
    )
