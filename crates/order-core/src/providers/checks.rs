//! Checks on vendor values the UI will put into attributes or CSS: only values that
//! cannot carry script or markup survive.

/// `raw` if it is an absolute `http:`/`https:` URL with a host and no whitespace,
/// control or quoting characters; `None` otherwise (`javascript:`, `data:`, relative, …).
pub fn http_url(raw: Option<String>) -> Option<String> {
    let url = raw?.trim().to_owned();
    let lower = url.get(..8).unwrap_or(&url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        url.get(8..)?
    } else if lower.starts_with("http://") {
        url.get(7..)?
    } else {
        return None;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let forbidden = |c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '\\' | '"' | '\'' | '<' | '>' | '`')
    };
    if host.is_empty() || url.chars().any(forbidden) {
        return None;
    }
    Some(url)
}

/// `raw` trimmed if it is a `#rgb` or `#rrggbb` colour; `None` otherwise.
pub fn hex_color(raw: Option<String>) -> Option<String> {
    let color = raw?.trim().to_owned();
    let digits = color.strip_prefix('#')?;
    let valid = matches!(digits.len(), 3 | 6) && digits.bytes().all(|b| b.is_ascii_hexdigit());
    valid.then_some(color)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(raw: &str) -> Option<String> {
        http_url(Some(raw.to_owned()))
    }

    #[test]
    fn only_absolute_http_urls_survive() {
        assert_eq!(
            url("https://redeem.example.com/abc").as_deref(),
            Some("https://redeem.example.com/abc")
        );
        assert_eq!(
            url(" HTTP://x.example?q=1 ").as_deref(),
            Some("HTTP://x.example?q=1")
        );
        for bad in [
            "javascript:alert(1)",
            "JavaScript://%0aalert(1)",
            "data:text/html,<script>",
            "/relative/path",
            "//example.com/x",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example.com/\u{7}",
            "https://example.com/\"onmouseover=",
            "ftp://example.com",
            "",
        ] {
            assert_eq!(url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn only_hex_colours_survive() {
        let color = |raw: &str| hex_color(Some(raw.to_owned()));
        assert_eq!(color("#fff").as_deref(), Some("#fff"));
        assert_eq!(color("#12AbEf").as_deref(), Some("#12AbEf"));
        for bad in [
            "fff",
            "#ffff",
            "#ggg",
            "red",
            "#fff;background:url(x)",
            "",
            "#",
        ] {
            assert_eq!(color(bad), None, "{bad:?}");
        }
    }
}
