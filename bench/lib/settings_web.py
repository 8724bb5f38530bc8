"""The portal's production settings, for the web benchmark's server.

One difference: the collected static files go to a directory of the benchmark's own, and
source-map comments are left alone when they are. The vendored Chart.js ends with
`//# sourceMappingURL=chart.umd.min.js.map`, a file that is not vendored, and Django's
manifest storage refuses to collect it ("could not be found"). Everything else — hashed
names, compression, whitenoise, every middleware — is production's.
"""

import os
from pathlib import Path

from whitenoise.storage import CompressedManifestStaticFilesStorage

from yeoncheon_portal.settings import *  # noqa: F403
from yeoncheon_portal.settings import STORAGES


class StaticWithoutSourceMaps(CompressedManifestStaticFilesStorage):
    """Production's static storage, except that source-map references are not followed."""

    patterns = (
        (
            "*.css",
            (
                r"""(?P<matched>url\(['"]{0,1}\s*(?P<url>.*?)["']{0,1}\))""",
                (
                    r"""(?P<matched>@import\s*["']\s*(?P<url>.*?)["'])""",
                    """@import url("%(url)s")""",
                ),
            ),
        ),
    )


STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/bench-web-static"))  # noqa: S108
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "bench.lib.settings_web.StaticWithoutSourceMaps"},
}
