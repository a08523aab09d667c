use crate::support::{PUBLIC_PAGES, TestApp};

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::new().await;
    for path in PUBLIC_PAGES
        .iter()
        .chain(&["/nowhere", "/healthz", "/static/site.css"])
    {
        let page = app.get(path).await;
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(page.headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(page.headers["referrer-policy"], "same-origin", "{path}");
        assert!(page.headers.contains_key("x-request-id"), "{path}");
        assert!(
            !page.headers.contains_key("strict-transport-security"),
            "HSTS only over TLS"
        );
    }
}

#[tokio::test]
async fn no_page_asks_the_browser_for_anything_from_another_site() {
    let app = TestApp::new().await;
    for path in PUBLIC_PAGES.iter().chain(&["/nowhere"]) {
        let body = app.get(path).await.body;
        for attr in ["src=\"", "href=\"", "action=\""] {
            for (i, _) in body.match_indices(attr) {
                let value = &body[i + attr.len()..];
                let ok =
                    value.starts_with('/') || value.starts_with('#') || value.starts_with("tel:");
                assert!(ok, "{path}: {attr}{}", &value[..value.len().min(60)]);
            }
        }
        assert!(
            !body.contains("<script"),
            "{path}: pages work without JavaScript"
        );
        assert!(
            !body.contains("style=\""),
            "{path}: inline styles break the CSP"
        );
    }
    let css = app.get("/static/site.css").await.body;
    assert!(
        !css.contains("url(") && !css.contains("@import"),
        "the stylesheet loads nothing"
    );
}

#[tokio::test]
async fn form_cookies_are_http_only_and_never_sent_cross_site() {
    let app = TestApp::new().await;
    let page = app.get("/refer").await;
    let cookie = page.headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

#[tokio::test]
async fn a_clients_own_request_id_is_replaced() {
    let app = TestApp::new().await;
    let page = app
        .get_with("/", &[("x-request-id", "Jane Doe, 612-555-0100")])
        .await;
    let id = page.headers["x-request-id"].to_str().unwrap();
    assert_ne!(id, "Jane Doe, 612-555-0100");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
}
