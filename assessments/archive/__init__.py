"""Bringing in the archive: importing published annexes (plain text, DOCX, PDF) into r2p."""
