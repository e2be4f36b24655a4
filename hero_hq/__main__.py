"""`python -m hero_hq serve`: the same front door as the `hero-hq` console script."""

import sys

from hero_hq.serve import main

sys.exit(main())
