# pytest: make tests/tp_testing.py (the helpers every Python test folder shares) importable
# from tests/<feature>/test_*.py.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
