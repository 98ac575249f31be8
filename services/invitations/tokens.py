"""Link tokens and typed codes: how they are made, normalised and hashed."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

# 16 random bytes (128 bits) encode to 22 URL-safe characters, well inside the 64 characters of
# [A-Za-z0-9_-] that Telegram passes on from a /start deep link.
TOKEN_BYTES = 16

# No 0/O, 1/I/L: a code read off paper or dictated over the phone must not be ambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# Dashes a phone keyboard or a Chinese input method may produce instead of "-".
_DASHES = "-‐‑‒–—―－"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def printed_code(code: str) -> str:
    """ABCD-EFGH: easier to read aloud and to copy; the dash is ignored on entry."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise_code(typed: str) -> str | None:
    """The code as issued, or None when the text cannot be a code.

    NFKC folds full-width letters and digits from Chinese input methods into ASCII; spaces
    (U+3000 included) and dashes anywhere are dropped; case does not matter.
    """
    text = unicodedata.normalize("NFKC", typed)
    text = "".join(ch for ch in text if not ch.isspace() and ch not in _DASHES).upper()
    if len(text) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in text):
        return None
    return text


def digest(secret: str) -> str:
    """SHA-256 hex; tokens and codes are stored only this way."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
