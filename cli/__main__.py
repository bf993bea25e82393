"""`python -m cli` is the same as `finsight`."""

import sys

from cli.main import main

sys.exit(main())
