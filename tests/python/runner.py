"""The tiny runner the Python tests share: runs every test_* function of a module and prints one
PASS/FAIL line each (scripts/test counts them), with the traceback of each failure; exits 1 if any failed."""
import sys
import traceback


def run(namespace, label):
    tests = [(name, fn) for name, fn in namespace.items() if name.startswith("test_") and callable(fn)]
    failed = 0
    for name, fn in tests:
        try:
            fn()
            print(f"PASS {label} {name}")
        except Exception:  # noqa: BLE001 - report every failure and go on
            failed += 1
            print(f"FAIL {label} {name}")
            traceback.print_exc(file=sys.stdout)
    sys.exit(1 if failed else 0)
