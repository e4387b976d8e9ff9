"""Run every benchmark and write docs/benchmarks.md and docs/benchmarks.png."""

from __future__ import annotations

import logging
from pathlib import Path

from access_requests.local import local_dynamodb

from . import (
    async_throughput,
    client_overhead,
    codec,
    events,
    expiry_costs,
    memory_pending,
    memory_scaling,
    report,
    round_trips,
    sweep_scaling,
    wire,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    print("1/6 codec ...", flush=True)
    codec_figures = codec.run()
    print("2/6 round trips, and what listings and the sweep read ...", flush=True)
    with local_dynamodb() as emulator:
        trips = round_trips.run(emulator.endpoint_url)
        expiry = expiry_costs.run(emulator.endpoint_url)
    print("3/6 in-memory scaling ...", flush=True)
    memory = memory_scaling.run()
    print("4/6 client CPU against a moto server process ...", flush=True)
    client = client_overhead.run()
    print("5/6 in-memory list_pending among expired pending requests ...", flush=True)
    pending = memory_pending.run()
    print("6/6 64 concurrent gets and updates against a moto server process ...", flush=True)
    concurrent = async_throughput.run()
    print("+ client CPU per call on each wire, against a moto server process ...", flush=True)
    wires = wire.run()
    print("+ events from a stream batch, and what on_event costs a create ...", flush=True)
    costs = events.on_event_cost()
    event_figures = {**events.run(), **{f"on_event_{k}": v for k, v in costs.items()}}
    print("+ the in-memory sweep at 100,000 and 1,000,000 pending ...", flush=True)
    sweeps = sweep_scaling.run()
    sweep_ratio = sweeps[max(sweeps)] / sweeps[min(sweeps)]
    results = report.Results(codec_figures, trips, memory, client, pending)
    DOCS.mkdir(exist_ok=True)
    section = "\n".join(
        expiry_costs.markdown(expiry)
        + async_throughput.markdown(concurrent)
        + ["## 8. Client CPU per call on each wire (moto server in another process)", ""]
        + wire.markdown(wires)
        + ["", *events.markdown(event_figures)]
        + ["## The in-memory sweep's cost per request moved", ""]
        + [f"- {line}" for line in sweep_scaling.rows(sweeps)]
    )
    (DOCS / "benchmarks.md").write_text(report.markdown(results) + "\n" + section)
    report.chart(results, DOCS / "benchmarks.png")
    for goal in report.goals(results):
        print(
            ("  met      " if goal.met else "  NOT MET  ")
            + f"{goal.name}: {goal.figure:.3f}{goal.unit}"
        )
    for name, met in expiry_costs.goals(expiry) + async_throughput.goals(concurrent):
        print(("  met      " if met else "  NOT MET  ") + name)
    for name, figure, most in wire.goals(wires):
        print(("  met      " if figure <= most else "  NOT MET  ") + f"{name}: {figure:.2f}")
    on_event = event_figures["on_event_dynamodb"]
    print(("  met      " if on_event <= 1.05 else "  NOT MET  ") + f"on_event: {on_event:.3f}x")
    print(("  met      " if sweep_ratio <= 2 else "  NOT MET  ") + f"sweep: {sweep_ratio:.2f}x")
    print(f"wrote {DOCS / 'benchmarks.md'} and {DOCS / 'benchmarks.png'}")


main()
