"""The OpenAPI document and its browsable docs, served without reaching the internet."""

import re

import pytest


@pytest.mark.django_db
def test_the_schema_is_served_as_openapi(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "TrainerHub API"
    for path in ("/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/me"):
        assert path in schema["paths"]
    assert schema["components"]["securitySchemes"]["jwtAuth"]["scheme"] == "bearer"


@pytest.mark.django_db
def test_the_docs_page_uses_only_local_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger" in page.lower()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page)
    assert any(u.startswith("/static/drf_spectacular_sidecar/") for u in urls), urls
    assert not [u for u in urls if u.startswith(("http:", "https:", "//"))]
    # Swagger UI's settings are a script file of its own (the CSP allows no inline script).
    (script_url,) = [u for u in urls if "script" in u and u.startswith("/api/docs/")]
    script = client.get(script_url.replace("&amp;", "&")).content.decode()
    assert '"validatorUrl": null' in script  # no schema sent to validator.swagger.io
    assert "<script>" not in page
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost|testserver)[\w.-]+/", page)
