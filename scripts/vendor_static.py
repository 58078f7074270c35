"""Copy the front-end packages we serve from node_modules into trainerhub/static/vendor.

The packages come from the npm registry through package-lock.json; nothing is loaded from a
CDN at run time. The vendor folder is ignored by git and rebuilt by `make run`/`make test`.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "trainerhub" / "static" / "vendor"

FILES = {
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "@fullcalendar/core/index.global.min.js": "fullcalendar/core.min.js",
    "@fullcalendar/daygrid/index.global.min.js": "fullcalendar/daygrid.min.js",
    "@fullcalendar/timegrid/index.global.min.js": "fullcalendar/timegrid.min.js",
    "@fullcalendar/list/index.global.min.js": "fullcalendar/list.min.js",
    "@fullcalendar/interaction/index.global.min.js": "fullcalendar/interaction.min.js",
    "@fullcalendar/luxon3/index.global.min.js": "fullcalendar/luxon3.min.js",
    # Day-month-year titles and Monday weeks: the app writes dates the en-GB way.
    "@fullcalendar/core/locales/en-gb.global.min.js": "fullcalendar/en-gb.min.js",
    "luxon/build/global/luxon.min.js": "luxon.min.js",
    "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
    # Referenced by the file above; collectstatic's manifest refuses a missing reference.
    "chart.js/dist/chart.umd.min.js.map": "chart.umd.min.js.map",
    # Contracts: signing by drawing (mouse, finger, pen).
    "signature_pad/dist/signature_pad.umd.min.js": "signature_pad.umd.min.js",
    "signature_pad/dist/signature_pad.umd.min.js.map": "signature_pad.umd.min.js.map",
    # Drag to reorder (program builder).
    "sortablejs/Sortable.min.js": "Sortable.min.js",
}


def main() -> int:
    missing = [src for src in FILES if not (NODE / src).exists()]
    if missing:
        print("Missing front-end files (run `npm ci`):", *missing, sep="\n  ", file=sys.stderr)
        return 1
    for src, dest in FILES.items():
        target = VENDOR / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE / src, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
