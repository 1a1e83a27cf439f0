//! Order tokens against proxies on loopback in front of the mock vendors: bound to the
//! vendor (or the configured audience), refused past the maximum lifetime or in another
//! spelling of their expiry, and v1 tokens until their expiry unless refused.

mod common;

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::*;
use hmac::{Hmac, Mac};
use order_core::model::Vendor;
use order_proxy::auth::order_token;
use order_proxy::mock::{self, Credentials, MockHandle};
use order_proxy::secret::Secret;
use order_proxy::{Config, Server, UpstreamConfig};
use sha2::Sha256;

const DAY: u64 = 24 * 3600;

async fn mock_vendors() -> MockHandle {
    let credentials = Credentials {
        api_key: Secret::new(API_KEY),
        api_secret: Some(Secret::new(API_SECRET)),
    };
    mock::start(credentials, None, 1)
        .await
        .expect("the mock vendors start")
}

/// A real-mode proxy for `vendor`, its upstream that vendor's mock.
async fn proxy_for(mocks: &MockHandle, vendor: Vendor, tweak: impl FnOnce(&mut Config)) -> Server {
    let target = mocks
        .targets()
        .into_iter()
        .find(|target| target.vendor == vendor)
        .expect("a mock of every vendor");
    let mut config = config(UpstreamConfig::Vendor {
        vendor,
        base_url: target.base_url,
    });
    tweak(&mut config);
    start(config).await
}

/// Status and error kind of `GET /api/orders/{id}` with `token`.
async fn try_token(server: &Server, id: &str, token: &str) -> (u16, Option<String>) {
    let (status, _, body) = answer(get_order(server, id, Some(token)).await).await;
    (status, body["error"].as_str().map(str::to_owned))
}

fn token_until(audience: &str, id: &str, expires_at: u64) -> String {
    let claims = order_token::Claims {
        audience,
        order_id: id,
    };
    order_token::mint_until(TOKEN_SECRET.as_bytes(), claims, expires_at)
}

/// A v1 token as order-proxy minted them before v2, computed here from the old format.
fn v1_token(id: &str, expires_at: u64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(TOKEN_SECRET.as_bytes()).expect("any key");
    mac.update(format!("v1.{id}.{expires_at}").as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("v1.{expires_at}.{signature}")
}

fn invalid() -> (u16, Option<String>) {
    (403, Some("token_invalid".to_owned()))
}

#[tokio::test]
async fn a_token_for_one_vendor_is_refused_by_a_proxy_for_another_with_the_same_secret() {
    let mocks = mock_vendors().await;
    let bdvoucher = proxy_for(&mocks, Vendor::Bdvoucher, |_| {}).await;
    let shop = proxy_for(&mocks, Vendor::Shop, |_| {}).await;
    // A valid id at both vendors; the bdvoucher mock has this order, the shop mock not.
    let id = "20250001";
    let for_bdvoucher = token_at(Vendor::Bdvoucher, id);
    assert_eq!(try_token(&bdvoucher, id, &for_bdvoucher).await.0, 200);
    assert_eq!(try_token(&shop, id, &for_bdvoucher).await, invalid());
    assert_eq!(
        mocks.hits(id),
        1,
        "the refused token never reached the vendor"
    );
    let for_shop = token_at(Vendor::Shop, id);
    assert_eq!(
        try_token(&shop, id, &for_shop).await,
        (404, Some("not_found".to_owned())),
        "the shop's own token passes (and the shop has no such order)"
    );
    assert_eq!(try_token(&bdvoucher, id, &for_shop).await, invalid());
}

#[tokio::test]
async fn a_configured_audience_replaces_the_vendor_name() {
    let mocks = mock_vendors().await;
    let server = proxy_for(&mocks, Vendor::Bdvoucher, |config| {
        config.token_audience = Some("shop.example".into());
    })
    .await;
    let id = "20250001";
    let in_an_hour = order_token::now_unix() + 3600;
    let own = token_until("shop.example", id, in_an_hour);
    assert_eq!(try_token(&server, id, &own).await.0, 200);
    let vendor_named = token_until("bdvoucher", id, in_an_hour);
    assert_eq!(try_token(&server, id, &vendor_named).await, invalid());
}

#[tokio::test]
async fn expiries_past_the_maximum_lifetime_or_not_canonical_are_refused() {
    let mocks = mock_vendors().await;
    let server = proxy_for(&mocks, Vendor::Bdvoucher, |_| {}).await;
    let id = "20250001";
    let now = order_token::now_unix();
    let within = token_until("bdvoucher", id, now + 30 * DAY - 60);
    assert_eq!(try_token(&server, id, &within).await.0, 200);
    for expires_at in [now + 30 * DAY + 60, now + 100 * 365 * DAY] {
        let too_long = token_until("bdvoucher", id, expires_at);
        assert_eq!(try_token(&server, id, &too_long).await, invalid());
    }

    // The MAC covers the number, so only the one canonical spelling may pass.
    let genuine = token_until("bdvoucher", id, now + 3600);
    assert_eq!(try_token(&server, id, &genuine).await.0, 200);
    let expiry = (now + 3600).to_string();
    for respelled in [
        format!("0{expiry}"),
        format!("+{expiry}"),
        format!("000{expiry}"),
    ] {
        let token = genuine.replacen(&expiry, &respelled, 1);
        assert_ne!(token, genuine);
        assert_eq!(
            try_token(&server, id, &token).await,
            invalid(),
            "{respelled}"
        );
    }

    let shorter = proxy_for(&mocks, Vendor::Bdvoucher, |config| {
        config.token_rules.max_ttl = Duration::from_secs(3600);
    })
    .await;
    let two_hours = token_until("bdvoucher", id, now + 7200);
    assert_eq!(try_token(&shorter, id, &two_hours).await, invalid());
    assert_eq!(try_token(&shorter, id, &genuine).await.0, 200);
}

#[tokio::test]
async fn v1_tokens_work_until_their_expiry_within_the_maximum_unless_refused() {
    let mocks = mock_vendors().await;
    let server = proxy_for(&mocks, Vendor::Bdvoucher, |_| {}).await;
    let id = "20250001";
    let now = order_token::now_unix();
    assert_eq!(
        try_token(&server, id, &v1_token(id, now + 7200)).await.0,
        200
    );
    assert_eq!(
        try_token(&server, id, &v1_token(id, now - 1)).await,
        (401, Some("token_expired".to_owned()))
    );
    assert_eq!(
        try_token(&server, id, &v1_token(id, now + 100 * 365 * DAY)).await,
        invalid()
    );
    assert_eq!(
        try_token(&server, id, &v1_token("20250002", now + 7200)).await,
        invalid()
    );

    let v2_only = proxy_for(&mocks, Vendor::Bdvoucher, |config| {
        config.token_rules.accept_v1 = false;
    })
    .await;
    assert_eq!(
        try_token(&v2_only, id, &v1_token(id, now + 7200)).await,
        invalid()
    );
    assert_eq!(
        try_token(&v2_only, id, &token_at(Vendor::Bdvoucher, id))
            .await
            .0,
        200
    );
}

/// Rotation: tokens signed with the previous secret keep working while it is configured;
/// the current one signs everything new.
#[tokio::test]
async fn the_previous_secret_is_still_accepted_after_a_rotation() {
    const ROTATED: &str = "rotated-token-secret-DO-NOT-LEAK-7c6d";
    let mocks = mock_vendors().await;
    let rotated = proxy_for(&mocks, Vendor::Bdvoucher, |config| {
        config.token_secret = Secret::new(ROTATED);
        config.token_secret_previous = Some(Secret::new(TOKEN_SECRET));
    })
    .await;
    let id = "20250001";
    let old = token_at(Vendor::Bdvoucher, id);
    let new = token_signed_with(ROTATED.as_bytes(), "bdvoucher", id);
    assert_eq!(try_token(&rotated, id, &old).await.0, 200);
    assert_eq!(try_token(&rotated, id, &new).await.0, 200);
    let other = token_signed_with(b"neither-secret-0123456789", "bdvoucher", id);
    assert_eq!(try_token(&rotated, id, &other).await, invalid());
    let expired_old = token_until("bdvoucher", id, order_token::now_unix() - 1);
    assert_eq!(
        try_token(&rotated, id, &expired_old).await,
        (401, Some("token_expired".to_owned())),
        "an old token is still told apart as expired"
    );

    let rotation_done = proxy_for(&mocks, Vendor::Bdvoucher, |config| {
        config.token_secret = Secret::new(ROTATED);
    })
    .await;
    assert_eq!(try_token(&rotation_done, id, &old).await, invalid());
    assert_eq!(try_token(&rotation_done, id, &new).await.0, 200);
}
