"""The README's install steps, read from README.md itself, so the install check follows them.

    python readme.py apps        the apps of step 2, one per line
    python readme.py urls        the package's line of step 3's urls.py block
    python readme.py block TEXT  the first ```python block after the line that starts with TEXT

README is the path of README.md (the environment variable README).
"""

import os
import re
import sys
import textwrap
from pathlib import Path

README = Path(os.environ["README"]).read_text()


def block(anchor):
    """The first fenced Python block after the first line starting with ``anchor``."""
    found = re.search(rf"^\s*{re.escape(anchor)}", README, re.MULTILINE)
    if found is None:
        sys.exit(f"README.md has no line starting with {anchor!r}")
    start = README.index("```python\n", found.end()) + len("```python\n")
    return textwrap.dedent(README[start : README.index("```", start)])


def main(what, *args):
    if what == "apps":
        code = block("2. Add the package")
        apps = re.findall(r'^\s*"([\w.]+)",', code, re.MULTILINE)
        assert apps, "step 2 names no apps"
        print("\n".join(apps))
    elif what == "urls":
        code = block("3. In `urls.py`")
        (line,) = [line for line in code.splitlines() if "sluss_wagtail.urls" in line]
        print(line.strip())
    elif what == "block":
        print(block(" ".join(args)), end="")
    else:
        sys.exit(f"unknown: {what}")


if __name__ == "__main__":
    main(*sys.argv[1:])
