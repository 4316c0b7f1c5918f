"""Sub-commands of ``hindi-brief``; each module has ``register(subparsers)``. Shared argparse helpers here."""

from __future__ import annotations

import argparse


def at_least(minimum: int):
    """An argparse ``type`` for integers >= ``minimum``."""

    def parse(value: str) -> int:
        number = int(value)
        if number < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return number

    parse.__name__ = "integer"  # argparse names the type in its error message
    return parse
