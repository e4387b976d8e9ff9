"""docs/benchmarks.md and docs/benchmarks.png from one run's figures."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import attrs
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

OURS = "access-requests"
NOTES = [
    "## Notes",
    "",
    "- What each codec does is the same on purpose: the timestamp form, the nanosecond"
    " duration, the ttl attribute and a validated Request on the way back. Most of the"
    " floor's own time is that shared work; the rest of ours is cattrs' generated"
    " structuring with per-attribute error reporting (a corrupt item names its attribute).",
    "- Profiled with cProfile: the structure hooks were lambdas around the real hooks;"
    " registering the hooks themselves removed a Python call per attribute (about 5% of"
    " decoding). With updated_at in Go's trimmed form, every Go-form timestamp went"
    " through a regular expression's groups and a datetime built by hand (about 9% of"
    " decoding); one shape check and then `datetime.fromisoformat` reads every form.",
    "- `list_pending` starts with a Query of `limit` items and, once it has seen how many"
    " the filter keeps, asks for as many more as it predicts it needs (with a quarter to"
    " spare): with half the pending requests expired, a page of 100 takes two Queries."
    " `expire_overdue` reads the whole pending index each call (benchmark 6: a sweep"
    " until 0 reads the live ones twice), so a service runs it every few minutes, not"
    " on every request.",
    "- The in-memory store keeps its indexes in sorted lists: a listing bisects to its"
    " start and walks `limit` entries, whatever the size. A create appends to the end"
    " of each index when the request is the newest, as `Request.new` makes it; an old"
    " request inserted in the middle costs a memmove of the list (tens of microseconds at"
    " 100,000).",
    "- `list_pending` in memory walks only the requests live at its `now`: the pending"
    " index keeps every pending request by expires_at, and the live ones by created_at;"
    " a listing at a later `now` than the last one first takes out what expired in"
    " between (each request once), and never walks them again. They stay `pending` to"
    " `get` and `list_by_status` until `expire_overdue` moves them.",
    "- Client CPU is the benchmark process's own (`time.process_time`); the moto server"
    " runs in another process, so its work is not counted. At these ratios the boto3"
    " client's own request building, signing and parsing dominate every contender.",
    "",
]
PACKAGES = ("access-requests", "attrs", "cattrs", "boto3", "botocore", "moto", "pynamodb")


@attrs.frozen
class Goal:
    """One goal of the benchmark issue, with the figure measured against it."""

    name: str
    figure: float
    limit: float
    unit: str = "x"
    strictly_below: bool = False

    @property
    def met(self) -> bool:
        return self.figure < self.limit if self.strictly_below else self.figure <= self.limit

    def row(self) -> str:
        verdict = "met" if self.met else "**not met**"
        digits = 0 if self.unit == " calls" else 2
        figure = f"{self.figure:.{digits}f}{self.unit}"
        limit = f"{'<' if self.strictly_below else '<='} {self.limit:g}{self.unit}"
        return f"| {self.name} | {figure} | {limit} | {verdict} |"


@attrs.frozen
class Results:
    """Everything one run measured."""

    codec: dict[str, float]
    round_trips: dict[str, Any]
    memory: dict[int, dict[str, float]]
    client: dict[str, dict[str, float]]
    pending: dict[int, dict[str, float]]


def goals(results: Results) -> list[Goal]:
    """Each goal of the issue, with this run's figure."""
    codec = results.codec
    ours = codec["access-requests (cattrs)"]
    client = results.client
    raw, pynamo, mine = client["raw boto3 client (floor)"], client["PynamoDB"], client[OURS]
    return [
        Goal("codec: ours / boto3 TypeSerializer", ours / codec["boto3 TypeSerializer"], 0.6),
        Goal("codec: ours / PynamoDB Model", ours / codec["PynamoDB Model"], 0.3),
        Goal("codec: ours / hand-written floor", ours / codec["hand-written dict (floor)"], 4),
        *[
            # DynamoDB returns no old item when none exists: one read tells it apart.
            Goal(
                f"round trips: {path}", calls, 2 if path == "update, not found" else 1, " calls"
            )
            for path, calls in results.round_trips["paths"].items()
        ],
        *_scaling_goals(results.memory),
        *[
            Goal(
                f"client CPU: ours / raw client, {operation}",
                mine[operation] / raw[operation],
                1.10,
            )
            for operation in mine
        ],
        *[
            Goal(
                f"client CPU: ours / PynamoDB, {operation}",
                mine[operation] / pynamo[operation],
                1,
                strictly_below=True,
            )
            for operation in mine
        ],
        pending_goal(results.pending),
    ]


def _scaling_goals(memory: dict[int, dict[str, float]]) -> list[Goal]:
    small, large = memory[min(memory)], memory[max(memory)]
    return [
        Goal(
            f"in memory: {name} at {max(memory):,} / at {min(memory):,}",
            large[name] / small[name],
            2,
        )
        for name in small
        if name.startswith("list")
    ]


def pending_goal(pending: dict[int, dict[str, float]]) -> Goal:
    """The goal of benchmark 5: expired pending requests cost list_pending at most 2x."""
    return Goal(
        "in memory: list_pending with 100,000 expired pending / with none",
        pending[100_000]["list_pending"] / pending[0]["list_pending"],
        2,
    )


def _pending_section(pending: dict[int, dict[str, float]]) -> list[str]:
    none = pending[0]["list_pending"]
    lines = [
        "",
        "## 5. InMemoryRequestStore: list_pending among expired pending requests",
        "",
        "1,000 live pending requests spread among the expired ones, which nothing has swept."
        " `list_pending` is the median of 300 single 100-item pages; the first listing after"
        " they expired takes them out of the live index, once; `expire_overdue` is one sweep"
        " of 1,000, per request.",
        "",
        "| expired pending | list_pending | / with none | first listing | expire_overdue,"
        " per request |",
        "|---|---|---|---|---|",
    ]
    for expired, figures in sorted(pending.items()):
        sweep = figures.get("expire_overdue per request")
        lines.append(
            f"| {expired:,} | {figures['list_pending'] * 1e6:.1f} us"
            f" | {figures['list_pending'] / none:.2f} | {figures['first listing'] * 1e3:.1f} ms"
            f" | {'-' if sweep is None else f'{sweep * 1e6:.1f} us'} |"
        )
    return lines


def machine() -> list[str]:
    """Lines that say where the figures were measured."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    packages = ", ".join(f"{name} {version(name)}" for name in PACKAGES)
    return [
        f"- measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.platform()}",
        f"- CPU: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}",
        f"- packages: {packages}",
        "- a shared, noisy machine: compare the ratios, measured side by side in this run,"
        " not the absolute times",
    ]


def markdown(results: Results) -> str:
    """The whole report."""
    lines = ["# Benchmarks", "", "Written by `make bench` (`python -m benchmarks`).", ""]
    lines += machine()
    lines += ["", "## Goals", "", "| goal | this run | goal | |", "|---|---|---|---|"]
    lines += [goal.row() for goal in goals(results)]
    missed = [goal for goal in goals(results) if not goal.met]
    lines += [
        "",
        f"{len(missed)} goal(s) not met." if missed else "Every goal is met in this run.",
    ]

    lines += ["", "## 1. Codec: Request to item to Request, per item", ""]
    lines += [
        "Every contender makes the same item, with the same timestamp, duration and ttl",
        "conversions, and builds the same validated Request back; medians of 41 interleaved",
        "rounds of 100 varied requests.",
        "",
        "| codec | median per round trip | ours / it |",
        "|---|---|---|",
    ]
    ours = results.codec["access-requests (cattrs)"]
    for name, seconds in results.codec.items():
        lines.append(f"| {name} | {seconds * 1e6:.1f} us | {ours / seconds:.2f} |")

    lines += ["", "## 2. Round trips: API calls per operation and path", ""]
    lines += ["| operation, path | calls |", "|---|---|"]
    lines += [f"| {path} | {calls} |" for path, calls in results.round_trips["paths"].items()]
    per_page = results.round_trips["pending_queries_per_page"]
    sizes = results.round_trips["pending_page_sizes"]
    lines += [
        "",
        "`list_pending`, limit 100, over 1,000 pending requests of which every other one has"
        " expired:",
        "",
        "| page | requests on it | Query calls |",
        "|---|---|---|",
    ]
    lines += [
        f"| {number} | {size} | {calls} |"
        for number, (size, calls) in enumerate(zip(sizes, per_page, strict=True), start=1)
    ]

    lines += ["", "## 3. InMemoryRequestStore as it grows", ""]
    sizes_measured = sorted(results.memory)
    lines += [
        "Median of 300 single calls; listings are 100-item pages.",
        "",
        "| operation | "
        + " | ".join(f"{size:,}" for size in sizes_measured)
        + " | largest / smallest |",
        "|---|" + "---|" * (len(sizes_measured) + 1),
    ]
    for name in results.memory[sizes_measured[0]]:
        figures = [results.memory[size][name] for size in sizes_measured]
        lines.append(
            f"| {name} | "
            + " | ".join(f"{figure * 1e6:.1f} us" for figure in figures)
            + f" | {figures[-1] / figures[0]:.2f} |"
        )

    lines += [
        "",
        "## 4. Client CPU per operation, against a moto server in another process",
        "",
    ]
    contenders = list(results.client)
    lines += [
        "Median client-process CPU (`time.process_time`) of 250 calls each, the contenders"
        " taking turns; `list 100` reads one 100-item page from the requester index.",
        "",
        "| operation | " + " | ".join(contenders) + " | ours / raw | ours / PynamoDB |",
        "|---|" + "---|" * (len(contenders) + 2),
    ]
    for operation in results.client[OURS]:
        figures = [results.client[name][operation] for name in contenders]
        mine = results.client[OURS][operation]
        raw = results.client["raw boto3 client (floor)"][operation]
        pynamo = results.client["PynamoDB"][operation]
        lines.append(
            f"| {operation} | "
            + " | ".join(f"{figure * 1e3:.2f} ms" for figure in figures)
            + f" | {mine / raw:.3f} | {mine / pynamo:.3f} |"
        )
    lines += _pending_section(results.pending)
    lines += ["", "![the figures of this run](benchmarks.png)", ""]
    lines += NOTES
    return "\n".join(lines)


def chart(results: Results, path: Path) -> None:
    """Draw the four benchmarks side by side into a PNG."""
    figure, ((codec, trips), (memory, client)) = plt.subplots(2, 2, figsize=(14, 9))
    names = list(results.codec)
    codec.barh(names, [results.codec[name] * 1e6 for name in names], color="#4477aa")
    codec.set_xlabel("microseconds per round trip (lower is better)")
    codec.set_title("1. Codec: Request to item to Request")

    paths = list(results.round_trips["paths"])
    trips.barh(paths, [results.round_trips["paths"][p] for p in paths], color="#228833")
    trips.axvline(1, color="black", linestyle="--", linewidth=1)
    trips.set_xlabel("API calls (goal: 1)")
    trips.set_title("2. Round trips per operation and path")

    sizes = sorted(results.memory)
    for name in results.memory[sizes[0]]:
        memory.plot(
            sizes, [results.memory[size][name] * 1e6 for size in sizes], marker="o", label=name
        )
    memory.set_xscale("log")
    memory.set_xlabel("requests stored")
    memory.set_ylabel("microseconds per call")
    memory.set_title("3. InMemoryRequestStore as it grows")
    memory.legend(fontsize=8)

    operations = list(results.client[OURS])
    width = 0.8 / len(results.client)
    for number, (name, figures) in enumerate(results.client.items()):
        client.bar(
            [index + number * width for index in range(len(operations))],
            [figures[operation] * 1e3 for operation in operations],
            width,
            label=name,
        )
    client.set_xticks([index + width for index in range(len(operations))], operations)
    client.set_ylabel("client CPU milliseconds per call")
    client.set_title("4. Client CPU against a moto server")
    client.legend(fontsize=8)

    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
