"""The query string read by a written dependency chain: the last value of each query parameter it reads.

PERF: ``query_last_values`` written out for the common query string (no escapes): no frame of its own. A chain that
reads a few names (the common case: a page, a filter, a flag) puts each one's last value in a local, comparing each
part's key with those names, instead of filling a dict of every key and probing it per parameter (~500 instructions
less for two names). The last value wins, as in the dict, and an empty part is skipped as there. A query string with
escapes (``%`` or ``+``) is still parsed by ``query_last_values``; past ``SCANNED_QUERIES`` names the dict is made.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ("SCANNED_QUERIES", "query_scan_lines")

#: Up to this many query parameter names, the written handler compares each key of the query string with them.
SCANNED_QUERIES = 4

_DECODED = [
    'query_text = scope.get("query_string", b"")',
    "if query_text:",
    "    try:",
    "        query_text = query_text.decode()",
    "    except UnicodeDecodeError:",
    '        query_text = query_text.decode("latin-1")',
    '    if "%" in query_text or "+" in query_text:',
    "        last = _query_last_values(scope)",
]


def query_scan_lines(keys: Sequence[str]) -> tuple[list[str], list[str]]:
    """Source lines that read the query parameters whose names are the globals ``keys`` (distinct names), and the
    local holding each one's last value (``_MISSING`` when not given); no locals past ``SCANNED_QUERIES`` names,
    where the lines fill the dict ``last`` of every key's last value instead."""
    if len(keys) > SCANNED_QUERIES:
        lines = [
            "last = {}",
            *_DECODED,
            "    else:",
            '        for query_part in query_text.split("&"):',
            "            if query_part:",
            '                query_key, _, query_value = query_part.partition("=")',
            "                last[query_key] = query_value",
        ]
        return lines, []
    names = [f"q{number}" for number in range(len(keys))]
    lines = [
        f"{' = '.join(names)} = _MISSING",
        *_DECODED,
        *(f"        {name} = last.get({key}, _MISSING)" for name, key in zip(names, keys, strict=True)),
        "    else:",
        '        for query_part in query_text.split("&"):',
        "            if query_part:",
        '                query_key, _, query_value = query_part.partition("=")',
    ]
    for number, (name, key) in enumerate(zip(names, keys, strict=True)):
        condition = "elif" if number else "if"
        lines += [f"                {condition} query_key == {key}:", f"                    {name} = query_value"]
    return lines, names
