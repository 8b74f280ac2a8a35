from __future__ import annotations

import pytest

from fasterapi_security import compare_secrets


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("s3cr3t", "s3cr3t", True),
        ("s3cr3t", b"s3cr3t", True),
        (b"\x00\xff", b"\x00\xff", True),
        ("pässwörd", "pässwörd".encode(), True),
        ("", "", True),
        ("s3cr3t", "s3cr3T", False),
        ("s3cr3t", "s3cr3t ", False),
        ("s3cr3t", "", False),
        ("pässwörd", "pässwörd".encode("latin-1"), False),
    ],
)
def test_compare_secrets(a: str | bytes, b: str | bytes, expected: bool) -> None:
    assert compare_secrets(a, b) is expected
    assert compare_secrets(b, a) is expected


def test_compare_secrets_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        compare_secrets("a", 1)  # type: ignore[arg-type]
