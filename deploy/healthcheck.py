"""Exit 0 when TrainerHub's /healthz answers 200 on this machine, 1 otherwise (with why).

The Docker image's HEALTHCHECK runs it inside the container, where neither curl nor wget is
installed: `python deploy/healthcheck.py`. It asks gunicorn directly (PORT, default 8000) by the
first of ALLOWED_HOSTS, since Django refuses any other Host; /healthz is exempt from the HTTPS
redirect, so plain HTTP is enough. Standard library only.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def host_header() -> str:
    first = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    # ".example.com" allows every subdomain; "*" allows anything.
    if first.startswith("."):
        return "www" + first
    return "localhost" if first in {"", "*"} else first


def check(port: str, timeout: float = 4.0) -> tuple[bool, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": host_header()}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - a fixed http://127.0.0.1 URL
            return response.status == 200, response.read(500).decode(errors="replace")
    except urllib.error.HTTPError as exc:
        return False, f"{exc.code} {exc.read(500).decode(errors='replace')}"
    except OSError as exc:
        return False, str(exc)


def main() -> int:
    healthy, detail = check(os.environ.get("PORT", "8000"))
    if not healthy:
        print(f"unhealthy: {detail}", file=sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
