//! Brand colours: parsing `#rrggbb` and WCAG 2.x contrast.

use std::fmt;
use std::str::FromStr;

/// An opaque sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color {
    /// Red, green and blue channels.
    pub rgb: [u8; 3],
}

impl FromStr for Color {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hex = s.strip_prefix('#').ok_or_else(|| format!("`{s}` does not start with `#`"))?;
        // Checked first, so the byte slicing below only ever sees ASCII.
        if let Some(c) = hex.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(format!("`{s}` has `{c}`, which is not a hex digit"));
        }
        let expanded: String = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect(),
            6 => hex.to_owned(),
            _ => return Err(format!("`{s}` is not `#rgb` or `#rrggbb`")),
        };
        let mut rgb = [0u8; 3];
        for (i, channel) in rgb.iter_mut().enumerate() {
            *channel = u8::from_str_radix(&expanded[2 * i..2 * i + 2], 16)
                .map_err(|_| format!("`{s}` is not `#rgb` or `#rrggbb`"))?;
        }
        Ok(Self { rgb })
    }
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.rgb;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

impl Color {
    /// WCAG relative luminance, 0 (black) to 1 (white).
    pub fn luminance(self) -> f64 {
        let lin = |v: u8| {
            let c = f64::from(v) / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        let [r, g, b] = self.rgb;
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    /// WCAG contrast ratio against another colour, 1 to 21.
    pub fn contrast(self, other: Color) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }

    /// This colour mixed with `other`; `amount` 0 keeps this colour, 1 gives `other`.
    pub fn mix(self, other: Color, amount: f64) -> Color {
        let mut rgb = [0u8; 3];
        for (i, channel) in rgb.iter_mut().enumerate() {
            let (a, b) = (f64::from(self.rgb[i]), f64::from(other.rgb[i]));
            *channel = (a + (b - a) * amount).round().clamp(0.0, 255.0) as u8;
        }
        Color { rgb }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Color {
        s.parse().unwrap()
    }

    #[test]
    fn contrast_matches_wcag_examples() {
        let white = c("#fff");
        assert!((c("#005EB8").contrast(white) - 6.38).abs() < 0.01);
        assert!((c("#767676").contrast(white) - 4.54).abs() < 0.01);
        assert!((c("#000000").contrast(white) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn rejects_malformed_colours() {
        assert!("005EB8".parse::<Color>().is_err());
        assert!("#05EB8".parse::<Color>().is_err());
        assert!("#00ZZB8".parse::<Color>().is_err());
        assert_eq!(c("#AbC").to_string(), "#aabbcc");
    }

    #[test]
    fn multibyte_characters_are_an_error_not_a_panic() {
        for s in ["#a€bc", "#€€", "#ééé", "#aé", "#\u{1F600}ab"] {
            assert!(s.parse::<Color>().is_err(), "{s}");
        }
        assert_eq!("#a€bc".parse::<Color>(), Err("`#a€bc` has `€`, which is not a hex digit".into()));
    }

    #[test]
    fn mixes_towards_white() {
        assert_eq!(c("#000000").mix(c("#ffffff"), 0.5).to_string(), "#808080");
    }
}
