//! A referral acknowledged to the referrer survives the server being killed at once: the
//! acknowledgement is sent only after the commit. (That the commit reaches the disk itself is
//! SQLite's `synchronous=FULL`, checked in `health.rs`; a process kill cannot test it.)

use leadhub_store::{Actor, Db};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{MINIMAL, TestDb, code_from, encode, spawn_server};

/// One HTTP/1.1 exchange over a fresh connection; returns the raw response head and body.
async fn http(port: u16, request: String) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    String::from_utf8_lossy(&response).into_owned()
}

fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    response
        .lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim())
        })
}

#[tokio::test]
async fn an_acknowledged_referral_survives_kill_9() {
    let test_db = TestDb::new().await;
    let (mut server, port) =
        spawn_server(&test_db.url, &[("LEADHUB_FORMS__MIN_FILL_SECONDS", "0")]).await;

    let form = http(
        port,
        "GET /refer HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".into(),
    )
    .await;
    let cookie = header(&form, "set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let token_at =
        form.find("name=\"form_token\" value=\"").unwrap() + "name=\"form_token\" value=\"".len();
    let token = &form[token_at..token_at + form[token_at..].find('"').unwrap()];
    let mut fields = vec![("form_token", token)];
    fields.extend_from_slice(MINIMAL);
    let body = encode(&fields);
    let post = format!(
        "POST /refer HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let response = http(port, post).await;
    // The acknowledgement is in hand: kill the server without letting it shut down.
    server.start_kill().unwrap();
    server.wait().await.unwrap();
    assert!(response.starts_with("HTTP/1.1 303"), "{response}");
    let code = code_from(header(&response, "location").unwrap());

    test_db.db.close().await;
    let reopened = Db::connect(&test_db.url).await.unwrap();
    let stored = reopened.read_referral(&code, &Actor::System).await.unwrap();
    assert!(stored.is_some(), "the acknowledged referral was lost");
}
