"""Let ``python -m ictkg`` run the command line exactly as the ``ictkg`` script does."""

import sys

from ictkg.cli import main

if __name__ == "__main__":
    sys.exit(main())
