"""Command-line groups, one typer app per feature; bot.__main__ puts them together."""
