"""Benchmarks behind `python -m bot bench`. Each prints a table of labelled figures."""
