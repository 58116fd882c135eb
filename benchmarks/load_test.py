"""16 concurrent clients running every stored query against a real Oxigraph server, without and
then with a writer replacing the dataset every 2 s; prints p50/p99 latency and throughput.

Run from the checkout:  .venv/bin/python benchmarks/load_test.py --seconds 60 --clients 16

The script starts its own ``oxigraph serve`` (the PyPI binary beside the interpreter) on a free
loopback port with its data in a temporary folder, and stops it at the end. The load generation
is tests/load_support.py, which tests/integration/test_slow_load.py runs too. Exit status 1
when a request failed, an answer differed or a count was neither the old nor the new dataset's.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from load_support import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
