"""The OpenAPI schema and the interactive docs, served without any CDN."""


def test_schema_lists_relais_endpoints(client_for, users):
    response = client_for(users.lecteur).get(
        "/api/v1/schema/", headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    schema = response.json() if response["Content-Type"].startswith("application/json") else None
    text = response.content.decode()
    assert "/api/v1/me/" in text
    assert "jetonBearer" in text
    if schema is not None:
        assert schema["info"]["title"] == "API Relais"


def test_interactive_docs_use_local_assets(client_for, users):
    response = client_for(users.lecteur).get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr" not in html and "unpkg.com" not in html
    # The page's script is served apart (Content-Security-Policy: no inline script).
    script = client_for(users.lecteur).get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert "<script>" not in html and "<style" not in html
