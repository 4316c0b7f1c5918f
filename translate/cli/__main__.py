"""``python -m translate.cli``: the ``hindi-brief`` command."""

import sys

from . import main

sys.exit(main())
