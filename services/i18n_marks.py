"""Marks a string for translation without translating it.

Services must not depend on the chat framework, yet the messages they raise reach users, so they
carry English msgids marked with ``N_`` (extracted by ``make i18n``) plus ``.format()`` parameters;
the handler layer translates them in the reader's language.
"""


def N_(message: str) -> str:
    return message
