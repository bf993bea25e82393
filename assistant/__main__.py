"""`python -m assistant` is the same as `finsight`."""

import sys

from assistant.cli import main

sys.exit(main())
