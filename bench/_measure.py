"""Run a command once; print wall seconds and the child's peak RSS in MiB as JSON."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"wall": wall, "rss_mib": rss, "rc": r.returncode}))
