"""eih-schedule command line (work in progress)."""
from __future__ import annotations


def main(argv=None) -> int:
    raise NotImplementedError
