"""Entry point of the PyInstaller build: the same `main()` as the `tracker` command."""

import sys

from tracker.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
