"""Smoke test of the Python package, run by tools/packaging/smoke.ts in a venv outside the repo.

shop.py is the README's Python example, verbatim; importing it synthesizes both apps. Argument 1:
a file holding the message the TypeScript library gives for the same anti-pattern.
"""
import re
import sys
from pathlib import Path

import shop

manifests = Path("dist/shop.k8s.yaml").read_text()
if not re.search(r"^kind: StatefulSet$", manifests, re.M):
    sys.exit("python: dist/shop.k8s.yaml has no StatefulSet")
expected = Path(sys.argv[1]).read_text()
if shop.message != expected:
    sys.exit(f"python: the guards' message differs from TypeScript's.\n--- python\n{shop.message}\n--- typescript\n{expected}")
print("python: StatefulSet synthesized; guards message identical to TypeScript")
