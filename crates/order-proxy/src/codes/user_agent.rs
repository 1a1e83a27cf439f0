//! The coarse class of a `User-Agent` the audit line records: `mobile`, `desktop`, `bot` or
//! `other`, never the header itself (it is long, fingerprinting and client-written).
//!
//! A few substrings decide; a full parser would know browsers and versions the audit does
//! not want, and the one cross-language classifier with a Rust port (woothee) has had no
//! release for years. Known limits: an iPad in desktop mode says `Macintosh` (→ desktop),
//! and headless browsers count as bots.

/// Longest prefix of the header looked at: real user agents are far shorter.
const LOOKED_AT: usize = 512;

const BOT_MARKERS: &[&str] = &[
    "bot/",
    "bot;",
    "bot)",
    "bot-",
    "spider",
    "crawl",
    "slurp",
    "headless",
    "curl/",
    "wget/",
    "python",
    "go-http-client",
    "okhttp",
    "java/",
    "libwww",
    "httpclient",
    "axios",
    "node-fetch",
    "reqwest",
    "scrapy",
    "phantomjs",
    "lighthouse",
    "facebookexternalhit",
];
const MOBILE_MARKERS: &[&str] = &[
    "mobi",
    "android",
    "iphone",
    "ipod",
    "ipad",
    "windows phone",
    "blackberry",
    "opera mini",
];
const DESKTOP_MARKERS: &[&str] = &["windows nt", "macintosh", "x11", "cros", "linux"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserAgentClass {
    Mobile,
    Desktop,
    Bot,
    Other,
}

impl UserAgentClass {
    pub fn of(user_agent: Option<&str>) -> UserAgentClass {
        let Some(user_agent) = user_agent else {
            return UserAgentClass::Other;
        };
        let text: String = user_agent
            .char_indices()
            .take_while(|(at, _)| *at < LOOKED_AT)
            .map(|(_, c)| c.to_ascii_lowercase())
            .collect();
        let has = |markers: &[&str]| markers.iter().any(|marker| text.contains(marker));
        if has(BOT_MARKERS) {
            UserAgentClass::Bot
        } else if has(MOBILE_MARKERS) {
            UserAgentClass::Mobile
        } else if has(DESKTOP_MARKERS) {
            UserAgentClass::Desktop
        } else {
            UserAgentClass::Other
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            UserAgentClass::Mobile => "mobile",
            UserAgentClass::Desktop => "desktop",
            UserAgentClass::Bot => "bot",
            UserAgentClass::Other => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_common_user_agents() {
        let cases = [
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "mobile"),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "mobile"),
            ("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "mobile"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "desktop"),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "desktop"),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "desktop"),
            ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "bot"),
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36", "bot"),
            ("curl/7.88.1", "bot"),
            ("python-requests/2.32.3", "bot"),
            ("", "other"),
            ("SomeKiosk/1.0", "other"),
        ];
        for (user_agent, class) in cases {
            assert_eq!(
                UserAgentClass::of(Some(user_agent)).as_str(),
                class,
                "{user_agent}"
            );
        }
        assert_eq!(UserAgentClass::of(None), UserAgentClass::Other);
    }

    #[test]
    fn only_the_start_of_a_long_header_is_read() {
        let long = format!("{}{}", "é".repeat(300), "Googlebot/2.1");
        assert_eq!(UserAgentClass::of(Some(&long)), UserAgentClass::Other);
    }
}
