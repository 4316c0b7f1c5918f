"""The web page: `python app.py [options]` is `hindi-brief serve [options]` (see `--help`)."""

import sys

from translate.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
