//! Which unit a relative time reads best in ("in 5 days", not "in 432,000 seconds"): pure,
//! shared by the browser's `Intl` formatting and the server's English stand-in.

/// The value and `Intl.RelativeTimeFormat` unit that read naturally for `delta_ms`.
pub fn relative_unit(delta_ms: f64) -> (f64, &'static str) {
    const SECOND: f64 = 1000.0;
    const MINUTE: f64 = 60.0 * SECOND;
    const HOUR: f64 = 60.0 * MINUTE;
    const DAY: f64 = 24.0 * HOUR;
    let size = delta_ms.abs();
    let (unit_ms, unit) = if size < MINUTE {
        (SECOND, "second")
    } else if size < HOUR {
        (MINUTE, "minute")
    } else if size < DAY {
        (HOUR, "hour")
    } else if size < 60.0 * DAY {
        (DAY, "day")
    } else if size < 730.0 * DAY {
        (30.436_875 * DAY, "month")
    } else {
        (365.2425 * DAY, "year")
    };
    // `+ 0.0` turns a rounded -0 into 0, which Intl would print as "0 seconds ago".
    ((delta_ms / unit_ms).round() + 0.0, unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: f64 = 60_000.0;
    const DAY: f64 = 24.0 * 60.0 * MINUTE;

    #[test]
    fn picks_a_natural_unit() {
        assert_eq!(relative_unit(0.0), (0.0, "second"));
        assert_eq!(relative_unit(-400.0), (0.0, "second"));
        assert_eq!(relative_unit(30_000.0), (30.0, "second"));
        assert_eq!(relative_unit(-5.0 * MINUTE), (-5.0, "minute"));
        assert_eq!(relative_unit(90.0 * MINUTE), (2.0, "hour"));
        assert_eq!(relative_unit(DAY), (1.0, "day"));
        assert_eq!(relative_unit(5.4 * DAY), (5.0, "day"));
        assert_eq!(relative_unit(-3.0 * DAY), (-3.0, "day"));
        assert_eq!(relative_unit(90.0 * DAY), (3.0, "month"));
        assert_eq!(relative_unit(3.0 * 365.0 * DAY), (3.0, "year"));
    }
}
