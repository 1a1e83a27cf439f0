//! `GET /api/orders/{id}/view`: the server-rendered first paint, over loopback from the
//! mock vendors: the status, items and masked codes are in it, no code or PIN is (also with
//! `--codes inline`), another order's token is refused as the order's GET refuses it; the
//! demo's order page rendered with its token and first paint.

mod common;

use common::*;
use order_proxy::codes::Codes;
use order_proxy::Server;

/// `GET /api/orders/{id}/view{query}` with an optional `X-Order-Token`.
async fn get_view(
    server: &Server,
    id: &str,
    query: &str,
    token: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let mut request = client().get(format!("{}/api/orders/{id}/view{query}", server.url()));
    if let Some(token) = token {
        request = request.header("X-Order-Token", token);
    }
    let response = request.send().await.expect("the proxy answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("a body"))
}

/// Every code and PIN of order `id`, as the reveal endpoint answers them.
async fn secrets_of(server: &Server, id: &str) -> Vec<String> {
    let response = post_reveal(&client(), &server.url(), id, None, Some(&token_for(id))).await;
    let (status, _, all) = answer(response).await;
    assert_eq!(status, 200, "{id}: {all}");
    let secrets: Vec<String> = all["codes"]
        .as_array()
        .expect("codes")
        .iter()
        .flat_map(|revealed| [&revealed["code"], &revealed["pin"]])
        .filter_map(|secret| secret.as_str().map(str::to_owned))
        .collect();
    assert!(!secrets.is_empty(), "{id} has codes");
    secrets
}

fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

#[tokio::test]
async fn the_view_shows_status_items_and_masked_codes_and_no_secret() {
    for codes in [Codes::Redacted, Codes::Inline] {
        let mut config = mock_config();
        config.codes = codes;
        let server = start(config).await;
        // Code + PIN (voucher-api) and two items, codes per item (bdvoucher).
        for id in ["1001", "20250001"] {
            let token = token_for(id);
            let (status, headers, html) =
                get_view(&server, id, &format!("?token={token}"), None).await;
            assert_eq!(status, 200, "{id}: {html}");
            assert_eq!(
                header(&headers, "content-type"),
                Some("text/html; charset=utf-8")
            );
            assert_eq!(header(&headers, "cache-control"), Some("no-store"));
            assert_eq!(headers.get_all("cache-control").iter().count(), 1);
            assert!(
                html.starts_with(r#"<template shadowrootmode="open"><link rel="stylesheet" href="/www/pkg/order-widget"#),
                "{id}: {html}"
            );
            assert!(html.ends_with("</template>"), "{id}");
            assert!(html.contains(r#"data-status="delivered""#), "{id}: {html}");
            assert!(
                html.contains(">Delivered</span>"),
                "{id}: the status's name"
            );
            assert!(html.contains(r#"class="ow-item""#), "{id}: the items");
            assert!(
                html.contains(r#"class="ow-code-mask">•"#),
                "{id}: masked codes"
            );
            assert!(html.contains("<button disabled "), "{id}: inert buttons");
            assert!(!html.contains("<button type"), "{id}: every button inert");
            for secret in secrets_of(&server, id).await {
                assert!(
                    !html.contains(&secret),
                    "{id} ({codes:?}): a code or PIN is in the HTML"
                );
            }
        }
        server.shutdown().await.expect("the proxy stops");
    }
}

#[tokio::test]
async fn the_view_takes_the_token_from_the_header_and_the_locale_from_the_query() {
    let server = start(mock_config()).await;
    let (status, _, html) =
        get_view(&server, "1001", "?locale=bn-BD", Some(&token_for("1001"))).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(r#"lang="bn-BD""#), "{html}");

    let (status, _, body) = get_view(
        &server,
        "1001",
        "?locale=%3Cscript%3E",
        Some(&token_for("1001")),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("invalid_locale"), "{body}");
    server.shutdown().await.expect("the proxy stops");
}

#[tokio::test]
async fn another_orders_token_or_none_is_refused_as_the_order_get_refuses_it() {
    let server = start(mock_config()).await;
    let other = token_for("1003");
    for (query, token) in [
        (format!("?token={other}"), None),
        (String::new(), Some(other.as_str())),
    ] {
        let (status, _, body) = get_view(&server, "1001", &query, token).await;
        let order_get = get_order(&server, "1001", Some(&other))
            .await
            .status()
            .as_u16();
        assert_eq!(status, order_get, "{body}");
        assert_eq!(status, 403, "{body}");
        assert!(!body.contains("<template"), "{body}");
    }
    let (status, _, body) = get_view(&server, "1001", "", None).await;
    assert_eq!(status, 401, "{body}");
    server.shutdown().await.expect("the proxy stops");
}

#[tokio::test]
async fn the_demo_order_page_is_server_rendered_with_its_token_unless_asked_not_to() {
    let server = start(mock_config()).await;
    let page = |query: &'static str| {
        let url = format!("{}/?order=1001&provider=voucher-api{query}", server.url());
        async move {
            let response = client().get(url).send().await.expect("the proxy answers");
            let headers = response.headers().clone();
            (headers, response.text().await.expect("a body"))
        }
    };
    let (headers, html) = page("").await;
    assert_eq!(header(&headers, "cache-control"), Some("no-store"));
    let element = html
        .split_once("<order-widget ")
        .map(|(_, rest)| rest)
        .expect("the widget's element in the page");
    assert!(element.contains(r#"order-id="1001""#), "{element}");
    assert!(
        element.contains(r#" token="v2."#),
        "a token minted into the page"
    );
    assert!(
        element.contains(r#"item-labels="{&quot;22402&quot;:"#),
        "attributes escaped: {element}"
    );
    assert!(
        element.contains(r#"><template shadowrootmode="open">"#),
        "{element}"
    );
    assert!(
        html.contains(r#"id="thank-you">"#),
        "the order's section shown"
    );
    for secret in secrets_of(&server, "1001").await {
        assert!(!html.contains(&secret), "a code or PIN is in the page");
    }

    let (_, client_only) = page("&first-paint=0").await;
    assert!(
        !client_only.contains("<order-widget "),
        "the client-only page"
    );
    assert!(client_only.contains(r#"id="thank-you" hidden"#));
    server.shutdown().await.expect("the proxy stops");
}
