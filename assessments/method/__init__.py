"""Method you can defend: the codebook, coverage periods and evidence freshness, justified rating changes,
and calibration of ratings across countries (issue 19)."""
