"""Constant-time comparison of secrets (API keys, passwords, password hashes)."""

from __future__ import annotations

import hmac

__all__ = ("compare_secrets",)


def compare_secrets(a: str | bytes, b: str | bytes) -> bool:
    """Compare two secrets in time that does not depend on where they differ.

    A plain ``==`` stops at the first differing character, so response times tell an attacker how much of a
    guessed key is right. Strings are compared as their UTF-8 bytes, so a ``str`` and the ``bytes`` it
    encodes to are equal. Only the length may leak, as with :func:`hmac.compare_digest`.

    Args:
        a: One secret, for example the API key the client sent.
        b: The other secret, for example the key the server expects.

    Returns:
        True when both hold the same bytes.

    Example:
        >>> compare_secrets("s3cr3t-key", "s3cr3t-key")
        True
        >>> compare_secrets("s3cr3t-key", b"other")
        False
    """
    left = a.encode("utf-8") if isinstance(a, str) else a
    right = b.encode("utf-8") if isinstance(b, str) else b
    return hmac.compare_digest(left, right)
