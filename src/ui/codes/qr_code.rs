//! A revealed code as a QR code, for a cashier's scanner: encoded by `qrcodegen`, drawn
//! here as one SVG path (no image, no inline style, so it works under a strict CSP), dark
//! modules on a light square whatever the page's colour scheme, with the four-module
//! quiet zone the standard asks for. It exists only while its code is shown.

use yew::prelude::*;

use qrcodegen::{QrCode as Encoded, QrCodeEcc};

/// The light margin around the symbol, in modules (ISO/IEC 18004 asks for 4).
const QUIET_ZONE: i32 = 4;

/// A QR code ready to draw: the side of the square in modules, quiet zone included, and
/// the dark modules as an SVG path in those units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drawing {
    pub side: i32,
    pub path: String,
}

/// `text` as a QR code (error correction M, or better where it costs no extra size);
/// `None` for text too long for any QR code.
pub fn draw(text: &str) -> Option<Drawing> {
    let code = Encoded::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let mut path = String::new();
    // One rectangle per horizontal run of dark modules.
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !code.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < size && code.get_module(x, y) {
                x += 1;
            }
            let (left, top, run) = (start + QUIET_ZONE, y + QUIET_ZONE, x - start);
            path.push_str(&format!("M{left} {top}h{run}v1h-{run}z"));
        }
    }
    Some(Drawing {
        side: size + 2 * QUIET_ZONE,
        path,
    })
}

#[derive(Properties, PartialEq, Clone)]
pub struct QrCodeProps {
    /// What the QR code holds: the revealed code.
    pub text: AttrValue,
    /// Its accessible name, which must not hold the code.
    pub label: AttrValue,
}

#[component]
pub fn QrCode(props: &QrCodeProps) -> Html {
    let drawing = use_memo(props.text.clone(), |text| draw(text));
    let Some(Drawing { side, path }) = (*drawing).clone() else {
        return html! {};
    };
    let side = side.to_string();
    html! {
        <svg
            class="ow-qr"
            part="qr"
            role="img"
            aria-label={props.label.clone()}
            xmlns="http://www.w3.org/2000/svg"
            viewBox={format!("0 0 {side} {side}")}
            shape-rendering="crispEdges"
        >
            <rect width={side.clone()} height={side} fill="#ffffff" />
            <path d={path} fill="#000000" />
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark modules the path draws, read back from its `M x y h n v1 h-n z` runs.
    fn modules(drawing: &Drawing) -> Vec<Vec<bool>> {
        let side = drawing.side as usize;
        let mut grid = vec![vec![false; side]; side];
        for run in drawing.path.split('M').filter(|run| !run.is_empty()) {
            let (position, rest) = run.split_once('h').unwrap();
            let (x, y) = position.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let length: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            for cell in &mut grid[y][x..x + length] {
                *cell = true;
            }
        }
        grid
    }

    #[test]
    fn the_drawing_decodes_to_the_text() {
        for text in ["PICKUP-20250001-0001-1234", "483920", "GIFT CARD ÄÖÜ 1234"] {
            let drawing = draw(text).unwrap();
            let grid = modules(&drawing);
            // Each module 4 px, so the decoder sees a clean picture.
            let scale = 4;
            let pixels = drawing.side as usize * scale;
            let mut image = rqrr::PreparedImage::prepare_from_greyscale(pixels, pixels, |x, y| {
                if grid[y / scale][x / scale] {
                    0
                } else {
                    255
                }
            });
            let grids = image.detect_grids();
            assert_eq!(grids.len(), 1, "{text}");
            let (_, content) = grids[0].decode().unwrap();
            assert_eq!(content, text);
        }
    }

    #[test]
    fn the_quiet_zone_is_light() {
        let drawing = draw("QUIET-ZONE-0001").unwrap();
        let grid = modules(&drawing);
        let side = drawing.side as usize;
        let zone = QUIET_ZONE as usize;
        for (y, row) in grid.iter().enumerate() {
            for (x, &dark) in row.iter().enumerate() {
                let inside = (zone..side - zone).contains(&x) && (zone..side - zone).contains(&y);
                assert!(inside || !dark, "dark module at {x},{y} in the quiet zone");
            }
        }
        assert!(grid[zone][zone], "the finder pattern's corner");
    }

    #[test]
    fn text_too_long_for_a_qr_code_draws_nothing() {
        assert_eq!(draw(&"x".repeat(5000)), None);
    }
}
