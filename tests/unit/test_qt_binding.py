"""The installed Qt binding must not lose references to None (PySide6 6.12.0 did: the
window aborted with "deallocating None" after a few thousand Qt calls)."""

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QObject
o = QObject()
before = sys.getrefcount(None)
for _ in range(20000):
    o.setObjectName("x")
print(sys.getrefcount(None) - before)
"""


def test_void_qt_calls_keep_none_alive() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-500:]
    assert abs(int(done.stdout.strip())) < 100
