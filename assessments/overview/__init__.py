"""The regional overview: countries side by side (tables, heatmap, charts) and the open data built on it.

`staff` reads live items for logged-in staff; `published` reads only frozen `Edition.snapshot` JSON for the
public and the open data. Both produce the same shapes (`grid`), which `charts` turns into SVG geometry and
`opendata` into CSV and JSON.
"""
