//! QR codes of short links, for print: `GET /{code}/qr.svg`.
//!
//! The code holds the link's short URL with `?qr=1`, so a scan reaches the redirect marked as one
//! (counted as a click with channel `qr`). Error correction M or better (15% of the symbol may be
//! damaged or covered) and the standard 4-module quiet zone, so a printed code scans without a
//! margin of its own. The encoder is `qrcodegen`; the SVG (one path of dark runs) is written here.

use crate::{Error, Result};
use qrcodegen::{QrCode, QrCodeEcc};
use std::fmt::Write;

/// Query that marks an opened short link as a scan.
pub const SCAN_QUERY: &str = "qr=1";
/// Smallest rendered side in SVG user units (pixels when the file is opened as is).
const MIN_SIDE: i32 = 256;
/// The standard's light border around the symbol, in modules.
const QUIET_ZONE: i32 = 4;

/// The URL a link's QR code holds: `short_url` opened as a scan.
pub fn scan_url(short_url: &str) -> String {
    format!("{short_url}?{SCAN_QUERY}")
}

/// An SVG image of a QR code for `text`: black on white, quiet zone included, error correction M
/// (or higher when that fits in the same symbol size).
///
/// # Errors
/// `Error::Config` when `text` does not fit in a QR code, which a short URL never reaches (it
/// would take a configured origin of about 2 KB).
pub fn svg(text: &str) -> Result<String> {
    let code = QrCode::encode_binary(text.as_bytes(), QrCodeEcc::Medium).map_err(|_| Error::Config("the short URL is too long for a QR code"))?;
    let modules = code.size() + 2 * QUIET_ZONE;
    // Whole pixels per module, so every module has the same width when shown at 1:1.
    let side = modules * ((MIN_SIDE + modules - 1) / modules);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{side}\" height=\"{side}\" viewBox=\"0 0 {modules} {modules}\" shape-rendering=\"crispEdges\"><rect width=\"{modules}\" height=\"{modules}\" fill=\"#fff\"/><path fill=\"#000\" d=\""
    );
    // One horizontal bar per run of dark modules in a row.
    for y in 0..code.size() {
        let mut x = 0;
        while x < code.size() {
            let start = x;
            while x < code.size() && code.get_module(x, y) {
                x += 1;
            }
            if x > start {
                let _ = write!(svg, "M{} {}h{}v1h-{}z", start + QUIET_ZONE, y + QUIET_ZONE, x - start, x - start);
            }
            x += 1;
        }
    }
    svg.push_str("\"/></svg>");
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_url_marks_the_short_link_as_a_scan() {
        assert_eq!(scan_url("https://s.example/aB3xY9q"), "https://s.example/aB3xY9q?qr=1");
    }

    #[test]
    fn a_short_url_renders_as_a_square_svg_of_at_least_the_minimum_side() {
        let image = svg(&scan_url("https://s.example/aB3xY9q")).unwrap();
        assert!(image.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(image.ends_with("</svg>"));
        let width: i32 = image.split("width=\"").nth(1).and_then(|s| s.split('"').next()).and_then(|s| s.parse().ok()).unwrap();
        let height: i32 = image.split("height=\"").nth(1).and_then(|s| s.split('"').next()).and_then(|s| s.parse().ok()).unwrap();
        assert_eq!(width, height);
        assert!(width >= MIN_SIDE);
    }

    /// Level M holds at most 2,331 bytes; longer text is refused, not truncated.
    #[test]
    fn text_beyond_the_capacity_of_level_m_is_refused() {
        assert!(svg(&"x".repeat(2_331)).is_ok());
        assert!(matches!(svg(&"x".repeat(2_400)), Err(Error::Config(_))));
    }
}
