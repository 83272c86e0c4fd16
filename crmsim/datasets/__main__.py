"""``python -m crmsim.datasets [OUT_DIR]``: regenerate the bundled data files."""

import sys

from crmsim.datasets.generate import main

sys.exit(main())
