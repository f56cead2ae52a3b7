"""Runs test_cascade.py, or exits 77 (ctest: SKIP_RETURN_CODE) naming the missing module when this
interpreter lacks numpy or networkx, so ctest reports the Python tests as skipped, not failed."""
import importlib.util
import sys
import unittest

missing = [m for m in ("numpy", "networkx") if importlib.util.find_spec(m) is None]
if missing:
    print(f"SKIP: {sys.executable} lacks {', '.join(missing)} (Debian: "
          f"{' '.join('python3-' + m for m in missing)})")
    sys.exit(77)
program = unittest.main(module="test_cascade", exit=False, verbosity=2)
sys.exit(0 if program.result.wasSuccessful() else 1)
