//! QR codes of short links, for print: `GET /{code}/qr.svg`.
//!
//! The code holds the link's short URL with `?qr=1`, so a scan reaches the redirect marked as one
//! (counted as a click with channel `qr`). Error correction M (15% of the symbol may be damaged or
//! covered) and the standard 4-module quiet zone, so a printed code scans without a margin of its own.

use crate::{Error, Result};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// Query that marks an opened short link as a scan.
pub const SCAN_QUERY: &str = "qr=1";
/// Smallest rendered side in SVG user units (pixels when the file is opened as is).
const MIN_SIDE: u32 = 256;

/// The URL a link's QR code holds: `short_url` opened as a scan.
pub fn scan_url(short_url: &str) -> String {
    format!("{short_url}?{SCAN_QUERY}")
}

/// An SVG image of a QR code for `text` (black on white, quiet zone included).
///
/// # Errors
/// `Error::Config` when `text` does not fit in a QR code, which a short URL never reaches (it
/// would take a configured origin of about 2 KB).
pub fn svg(text: &str) -> Result<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|_| Error::Config("the short URL is too long for a QR code"))?;
    Ok(code.render::<svg::Color<'_>>().quiet_zone(true).min_dimensions(MIN_SIDE, MIN_SIDE).dark_color(svg::Color("#000")).light_color(svg::Color("#fff")).build())
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
        let width: u32 = image.split("width=\"").nth(1).and_then(|s| s.split('"').next()).and_then(|s| s.parse().ok()).unwrap();
        let height: u32 = image.split("height=\"").nth(1).and_then(|s| s.split('"').next()).and_then(|s| s.parse().ok()).unwrap();
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
