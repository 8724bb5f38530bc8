"""The portal's production settings, for the web benchmark's server.

One difference: the collected static files go to a directory of the benchmark's own.
Everything else — hashed names, compression, whitenoise, every middleware — is
production's.
"""

import os
from pathlib import Path

from yeoncheon_portal.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/bench-web-static"))  # noqa: S108
