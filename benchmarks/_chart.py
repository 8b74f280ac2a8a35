"""The PNG chart of the main table (``benchmarks/run.py --chart PATH``): requests/s per endpoint and contender."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchmarks._suite import SuiteReport

__all__ = ("ChartUnavailableError", "render_chart")

# One colour per contender, the same in every chart.
_COLOURS = {"fasterapi": "#1b7f5f", "fasterapi-pydantic": "#58b48f", "fastapi": "#d9822b", "raw": "#6b6f76"}


class ChartUnavailableError(RuntimeError):
    """matplotlib is not installed."""


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ChartUnavailableError(
            "--chart needs matplotlib: pip install matplotlib (the bench hatch environment has it)"
        ) from None
    matplotlib.use("Agg")  # files only, no screen
    import matplotlib.pyplot as pyplot

    return pyplot


def render_chart(report: SuiteReport, path: Path) -> None:
    """Draw the endpoint table of ``report`` as grouped bars (requests/s) and save it as a PNG at ``path``.

    Each FasterAPI bar is labelled with its ratio to FastAPI and to raw ASGI.

    Raises:
        ChartUnavailableError: matplotlib is not installed.
    """
    from benchmarks._suite import FASTAPI, FRAMEWORKS, LABELS, OURS, RAW, environment

    pyplot = _pyplot()
    present = [name for name in FRAMEWORKS if name in report.frameworks]
    entries = report.endpoints
    figure, axes = pyplot.subplots(figsize=(11, 5.8), layout="constrained")
    width = 0.8 / max(1, len(present))
    # The labels go above the tallest bar of each group, so that they never cover a neighbour.
    tallest = [max(result["req_per_s"] for result in entry["results"].values()) / 1000 for entry in entries]
    for index, name in enumerate(present):
        positions = [slot + (index - (len(present) - 1) / 2) * width for slot in range(len(entries))]
        rates = [entry["results"].get(name, {}).get("req_per_s", 0.0) / 1000 for entry in entries]
        bars = axes.bar(positions, rates, width, label=LABELS[name], color=_COLOURS.get(name))
        if name != OURS:
            continue
        for bar, entry, top in zip(bars, entries, tallest, strict=True):
            notes = []
            if entry.get("ratio_vs_fastapi"):
                notes.append(f"{entry['ratio_vs_fastapi']:.1f}x {LABELS[FASTAPI]}")
            if entry.get("ratio_vs_raw"):
                notes.append(f"{entry['ratio_vs_raw']:.2f}x {LABELS[RAW]}")
            axes.annotate(
                "\n".join(notes),
                (bar.get_x(), top),
                xytext=(0, 3),
                textcoords="offset points",
                ha="left",
                va="bottom",
                fontsize=7,
            )
    axes.set_xticks(range(len(entries)), [_wrap(entry["title"]) for entry in entries], fontsize=8)
    axes.set_ylabel("thousand requests/s (higher is better)")
    meta = environment(report.loop)
    axes.set_title(
        f"In-process ASGI benchmark: Python {meta['python']}, {report.loop} loop, {meta['cpu_count']} CPUs, "
        f"{report.settings.statistic} of {report.settings.rounds} interleaved rounds",
        fontsize=10,
    )
    axes.legend(loc="upper right", fontsize=8)
    axes.margins(y=0.15)
    axes.grid(axis="y", alpha=0.3)
    figure.savefig(path, dpi=110)
    pyplot.close(figure)


def _wrap(title: str) -> str:
    # "POST /orders (deps, yield dep, ...)" -> the route on one line, the explanation under it.
    route, _, rest = title.partition(" (")
    return f"{route}\n({rest}" if rest else route
