"""Run a command once; print wall seconds and the child's peak RSS in MiB as JSON."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

# Measure an installed tool: bytecode caches present, as after `pip install` (which compiles them).
env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"wall": wall, "rss_mib": rss, "rc": r.returncode}))
