//! QR codes for the practice's website, drawn as SVG for the templates.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The longest website address accepted; QR codes for longer ones get too dense to scan
/// from a printed page.
pub const MAX_URL_LEN: usize = 300;

/// Encodes `url` as an SVG QR code with a quiet zone, or says why it can't. Memoised: the
/// brand check at load and every document of the practice ask for the same code, and a
/// watch session asks again at every rebuild.
#[comemo::memoize]
pub fn try_svg(url: &str) -> Result<String, String> {
    if url.len() > MAX_URL_LEN {
        return Err(format!(
            "the address is {} characters long; at most {MAX_URL_LEN} fit a QR code that scans well",
            url.len()
        ));
    }
    // Level M survives a little dirt or a fold across the code.
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).map_err(|e| e.to_string())?;
    Ok(code
        .render::<svg::Color<'_>>()
        .quiet_zone(true)
        .module_dimensions(8, 8)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// Encodes `url`, which configuration loading has already checked with [`try_svg`].
pub fn svg(url: &str) -> String {
    try_svg(url).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_a_website_as_svg() {
        let s = svg("https://www.delinde.example");
        assert!(s.contains("<svg"), "{s}");
        assert!(s.contains("#000000"));
    }

    #[test]
    fn refuses_overlong_addresses() {
        let long = format!("https://x.example/{}", "a".repeat(400));
        assert!(try_svg(&long).unwrap_err().contains("at most 300"));
    }
}
