use axum::http::StatusCode;

use crate::support::{PUBLIC_PAGES, TestApp};

#[tokio::test]
async fn the_language_comes_from_the_browser_then_the_visitors_choice() {
    let app = TestApp::new().await;
    let english = app.get("/").await;
    assert!(english.body.contains("<html lang=\"en\">"));
    for (accept, lang) in [
        ("so", "so"),
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("hmn", "hmn"),
        ("fr-FR", "en"),
    ] {
        let page = app.get_with("/", &[("accept-language", accept)]).await;
        assert!(
            page.body.contains(&format!("<html lang=\"{lang}\">")),
            "{accept}"
        );
    }
    // A remembered choice beats the browser.
    let page = app
        .get_with("/", &[("accept-language", "es"), ("cookie", "lang=hmn")])
        .await;
    assert!(page.body.contains("<html lang=\"hmn\">"));
}

#[tokio::test]
async fn the_switch_remembers_the_language_and_returns_to_the_page() {
    let app = TestApp::new().await;
    let page = app.get("/language/so?next=/refer").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/refer");
    let cookie = page.set_cookie().unwrap();
    assert_eq!(cookie, "lang=so");
    let refer = app.get_with("/refer", &[("cookie", &cookie)]).await;
    assert!(refer.body.contains("<html lang=\"so\">"));

    for next in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
        let page = app.get(&format!("/language/es?next={next}")).await;
        assert_eq!(page.location(), "/", "open redirect to {next}");
    }
    assert_eq!(app.get("/language/xx").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_public_page_exists_in_every_language_with_a_switch() {
    let app = TestApp::new().await;
    for lang in ["en", "es", "so", "hmn"] {
        let cookie = format!("lang={lang}");
        for path in PUBLIC_PAGES {
            let page = app.get_with(path, &[("cookie", &cookie)]).await;
            assert_eq!(page.status, StatusCode::OK, "{lang} {path}");
            assert!(
                page.body.contains(&format!("<html lang=\"{lang}\">")),
                "{lang} {path}"
            );
            for target in ["en", "es", "so", "hmn"] {
                assert!(
                    page.body
                        .contains(&format!("href=\"/language/{target}?next={path}\"")),
                    "{lang} {path} → {target}"
                );
            }
            assert!(
                page.body.contains("911"),
                "{lang} {path}: the emergency notice is missing"
            );
        }
    }
}

#[tokio::test]
async fn the_self_check_answers_without_blocking_a_referral() {
    let app = TestApp::new().await;
    let page = app.get("/fits?age=no&place=yes&need=yes").await;
    assert!(
        page.body
            .contains("LEAD works with adults. You can still send a referral")
    );
    assert!(page.body.contains("value=\"no\" checked"));
    assert!(page.body.contains("href=\"/refer\""));
    let fits = app.get("/fits?age=yes&place=yes&need=yes").await;
    assert!(
        fits.body
            .contains("This sounds like the kind of situation LEAD is for")
    );
    let garbage = app.get("/fits?age=%FF&place[]=1").await;
    assert_eq!(garbage.status, StatusCode::OK);
}

#[tokio::test]
async fn error_pages_speak_the_visitors_language() {
    let app = TestApp::new().await;
    let en = app.get("/no-such-page").await;
    assert_eq!(en.status, StatusCode::NOT_FOUND);
    assert!(en.body.contains("Page not found"));
    let es = app
        .get_with("/no-such-page", &[("cookie", "lang=es")])
        .await;
    assert_eq!(es.status, StatusCode::NOT_FOUND);
    assert!(es.body.contains("<html lang=\"es\">"));
    assert!(!es.body.contains("Page not found"));
}

#[tokio::test]
async fn unreadable_paths_and_queries_get_the_sites_own_pages() {
    let app = TestApp::new().await;
    let page = app.get("/language/es?next=/a&next=/b").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/");
    for path in ["/static/%FF", "/language/%FF"] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("Page not found"), "{path}");
    }
}
