"""The production recipe, served for real: Debian's nginx with deploy/nginx/trainerhub.conf in
front of gunicorn (deploy/gunicorn.conf.py) and the worker, checked through nginx as a browser
reaches it: over HTTPS, by the site's name.

What would break in production breaks here: a hashed static file served without its cache
headers (or by the app instead of nginx), an upload limit that does not match MAX_UPLOAD_MB,
X-Forwarded-Proto not passed on (the app would redirect HTTPS requests to HTTPS forever).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import ssl
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.deploy.stack import HOSTNAME, ROOT, SITE, TRAINER_EMAIL, Stack, running_stack
from trainerhub.accounts.tests.factories import PASSWORD

MB = 1024 * 1024
ORIGIN = f"https://{HOSTNAME}"
# nginx's limit is the app's MAX_UPLOAD_MB + 1 (the site explains why); the app runs with its
# default limit, so a site whose limit drifts from it fails the upload tests below.
NGINX_LIMIT_MB = int(re.search(r"^\s*client_max_body_size (\d+)m;", SITE.read_text(), re.M)[1])
APP_LIMIT_MB = NGINX_LIMIT_MB - 1


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("nginx")) as stack:
        yield stack


def browser(stack: Stack, address: str = "127.0.0.1") -> httpx.Client:
    """A client that reaches nginx over HTTPS as https://trainerhub.example.com/ would, from
    one loopback address (any of 127.0.0.0/8 is this machine: a second visitor is another)."""
    tls = ssl.create_default_context(cafile=str(stack.cert))
    return httpx.Client(
        base_url=f"https://127.0.0.1:{stack.https_port}",
        headers={"Host": HOSTNAME},
        transport=httpx.HTTPTransport(verify=tls, local_address=address),
        timeout=30,
    )


def csrf_token(page: httpx.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


@contextmanager
def signed_in(stack: Stack) -> Iterator[httpx.Client]:
    with browser(stack) as client:
        page = client.get("/accounts/login/")
        token = csrf_token(page)
        response = client.post(
            "/accounts/login/",
            data={"email": TRAINER_EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{ORIGIN}/accounts/login/"},
        )
        assert (response.status_code, response.headers.get("location")) == (302, "/"), stack.logs()
        yield client


def pdf(size: int) -> bytes:
    return b"%PDF-1.4\n" + os.urandom(size - 9)  # a PDF by its first bytes, as the app checks


def upload(stack: Stack, client: httpx.Client, body: bytes) -> httpx.Response:
    return client.post(
        f"/clients/{stack.client_pk}/files/",
        data={"kind": "attachment", "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        files={"file": ("plan.pdf", body, "application/pdf")},
        headers={"Referer": f"{ORIGIN}/clients/{stack.client_pk}/"},
    )


def stored_files(stack: Stack) -> dict[str, str]:
    """Every uploaded file by its path under MEDIA_ROOT, with the SHA-256 of its bytes."""
    return {
        str(path.relative_to(stack.media_root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in stack.media_root.rglob("*")
        if path.is_file()
    }


def test_a_page_comes_through_nginx_as_html(stack: Stack) -> None:
    with browser(stack) as client:
        response = client.get("/accounts/login/")
    assert response.status_code == 200, stack.logs()
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert 'name="csrfmiddlewaretoken"' in response.text


def test_a_hashed_static_file_is_served_by_nginx_for_a_year(stack: Stack) -> None:
    manifest = json.loads((stack.static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/app.css"]
    with browser(stack) as client:
        response = client.get(f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, stack.logs()
    # WhiteNoise would answer "max-age=315360000, public, immutable": this exact value is
    # nginx's, so the file came from disk, not through gunicorn.
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-type"] == "text/css"
    assert response.headers["content-encoding"] == "gzip"  # WhiteNoise's .gz, via gzip_static
    assert response.content == (stack.static_root / hashed).read_bytes()


def test_a_static_file_without_a_hash_is_revalidated(stack: Stack) -> None:
    with browser(stack) as client:
        response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


def test_plain_http_is_redirected_to_https_by_nginx(stack: Stack) -> None:
    # Even a client claiming HTTPS in the header gets the redirect: nginx answers port 80 itself.
    response = httpx.get(
        f"http://127.0.0.1:{stack.http_port}/accounts/login/?next=/clients/",
        headers={"Host": HOSTNAME, "X-Forwarded-Proto": "https"},
    )
    assert response.status_code == 301
    assert response.headers["location"] == f"{ORIGIN}/accounts/login/?next=/clients/"


def test_the_app_knows_the_request_came_over_https(stack: Stack) -> None:
    # Straight to gunicorn, without the proxy's header, the app wants HTTPS (SECURE_SSL_REDIRECT)...
    direct = httpx.get(
        f"http://127.0.0.1:{stack.app_port}/accounts/login/", headers={"Host": HOSTNAME}
    )
    assert (direct.status_code, direct.headers["location"]) == (301, f"{ORIGIN}/accounts/login/")
    # ...and through nginx it sees X-Forwarded-Proto: https, so it serves the page with HSTS,
    # which Django sends only on a request it believes is secure.
    with browser(stack) as client:
        response = client.get("/accounts/login/")
    assert response.status_code == 200
    # Preload is the operator's choice (HSTS_PRELOAD), off by default.
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_signing_in_sets_a_secure_session_cookie(stack: Stack) -> None:
    with signed_in(stack) as client:
        dashboard = client.get("/")
        cookie = next(c for c in client.cookies.jar if c.name == "sessionid")
    assert dashboard.status_code == 200
    assert cookie.secure is True


def ask_for_a_password_reset(client: httpx.Client, claims: dict[str, str] | None = None) -> int:
    page = client.get("/accounts/password/reset/")
    response = client.post(
        "/accounts/password/reset/",
        data={"email": "nobody@example.com", "csrfmiddlewaretoken": csrf_token(page)},
        headers={"Referer": f"{ORIGIN}/accounts/password/reset/", **(claims or {})},
    )
    return response.status_code


def test_rate_limits_count_each_visitor_not_nginxs_own_address(stack: Stack) -> None:
    # The password-reset form takes 10 requests an hour from one address. Every request reaches
    # gunicorn from nginx's address; the limit must still count the visitor's (X-Real-IP),
    # which nginx sets itself, whatever address the visitor claims in the headers.
    with browser(stack, "127.0.0.2") as hammering, browser(stack, "127.0.0.3") as someone_else:
        statuses = [
            ask_for_a_password_reset(
                hammering, {"X-Real-IP": f"10.0.0.{n}", "X-Forwarded-For": f"10.0.0.{n}"}
            )
            for n in range(11)
        ]
        assert statuses == [302] * 10 + [429], stack.logs()
        assert ask_for_a_password_reset(someone_else) == 302


def test_an_upload_under_the_limit_reaches_the_app(stack: Stack) -> None:
    body = pdf(APP_LIMIT_MB * MB)
    with signed_in(stack) as client:
        response = upload(stack, client, body)
        detail = client.get(f"/clients/{stack.client_pk}/")
    assert (response.status_code, response.headers["location"]) == (
        302,
        f"/clients/{stack.client_pk}/",
    ), stack.logs()
    assert "plan.pdf uploaded." in detail.text
    assert hashlib.sha256(body).hexdigest() in stored_files(stack).values()


def test_a_file_just_over_the_apps_limit_gets_the_apps_message(stack: Stack) -> None:
    # Between MAX_UPLOAD_MB and nginx's limit the request reaches the app, which says why.
    before = stored_files(stack)
    with signed_in(stack) as client:
        response = upload(stack, client, pdf(APP_LIMIT_MB * MB + 64 * 1024))
        detail = client.get(f"/clients/{stack.client_pk}/")
    assert response.status_code == 302
    assert f"The file is too large: the limit is {APP_LIMIT_MB} MB." in detail.text
    assert stored_files(stack) == before


def test_an_upload_over_nginxs_limit_is_refused_by_nginx(stack: Stack) -> None:
    before = stored_files(stack)
    with signed_in(stack) as client:
        response = upload(stack, client, pdf(NGINX_LIMIT_MB * MB))
    assert response.status_code == 413
    assert "413 Request Entity Too Large" in response.text  # nginx's page, not the app's
    assert stored_files(stack) == before


def test_healthz_answers_through_nginx(stack: Stack) -> None:
    with browser(stack) as client:
        response = client.get("/healthz")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ok"


def test_the_images_healthcheck_passes_against_gunicorn_over_plain_http(stack: Stack) -> None:
    # Docker's HEALTHCHECK asks gunicorn directly, without nginx's header: /healthz must not be
    # redirected to HTTPS even with HTTPS=true, and the Host must be an allowed one.
    done = subprocess.run(
        [sys.executable, "deploy/healthcheck.py"],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_an_uploaded_file_is_not_served_from_disk_by_nginx(stack: Stack) -> None:
    # No /media/ location: client files are only ever served by the app, to their trainer.
    before = set(stored_files(stack))
    with signed_in(stack) as client:
        assert upload(stack, client, pdf(4096)).status_code == 302
    (stored,) = set(stored_files(stack)) - before
    with browser(stack) as client:
        response = client.get(f"/media/{stored}")
    assert response.status_code == 404
