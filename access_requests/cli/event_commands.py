"""The commands about the table's lifecycle events."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..events import read_events, table_stream_arn
from . import target
from .exit_codes import ExitStatus


def events_tail(args: argparse.Namespace, out: TextIO) -> ExitStatus:
    """Print the table's events as JSON lines (the Go system's body), one per change."""
    name = target.table_name(args)
    client = target.client(args)
    stream = table_stream_arn(client, name)
    streams = target.streams_client(args, beside=client)
    for event in read_events(streams, stream, follow=args.follow):
        print(event.to_json(), file=out, flush=True)
    return ExitStatus.OK


COMMANDS = {"events tail": events_tail}
