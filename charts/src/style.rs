//! Chart colours from the page's CSS custom properties, a palette that reads in both themes, and a
//! colour map for heatmaps and surfaces. Pure: the caller looks the properties up.

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// The colour as CSS `rgba(...)` with alpha `a` (0 to 1).
    pub fn css(self, a: f64) -> String {
        let a = if a.is_finite() {
            a.clamp(0.0, 1.0)
        } else {
            1.0
        };
        format!("rgba({},{},{},{a})", self.0, self.1, self.2)
    }

    /// Relative luminance (0 black to 1 white).
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// The colour `t` of the way to `other` (0 to 1).
    pub fn mix(self, other: Rgb, t: f64) -> Rgb {
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let f = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(f(self.0, other.0), f(self.1, other.1), f(self.2, other.2))
    }
}

/// Parses a CSS colour as computed styles give custom properties: `#rgb`, `#rgba`, `#rrggbb`,
/// `#rrggbbaa`, `rgb(r, g, b)`, `rgb(r g b / a)`, `rgba(...)`. Alpha is ignored.
pub fn parse_color(s: &str) -> Option<Rgb> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix('#') {
        let digit = |i: usize| u8::from_str_radix(hex.get(i..=i)?, 16).ok();
        let pair = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        return match hex.len() {
            3 | 4 => Some(Rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 | 8 => Some(Rgb(pair(0)?, pair(2)?, pair(4)?)),
            _ => None,
        };
    }
    let inner = s
        .strip_prefix("rgba(")
        .or_else(|| s.strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let inner = inner.split('/').next()?;
    let mut parts = inner
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty());
    let mut channel = || -> Option<u8> {
        let p = parts.next()?;
        let v = match p.strip_suffix('%') {
            Some(pct) => pct.parse::<f64>().ok()? * 2.55,
            None => p.parse::<f64>().ok()?,
        };
        v.is_finite().then(|| v.clamp(0.0, 255.0).round() as u8)
    };
    Some(Rgb(channel()?, channel()?, channel()?))
}

/// The colours and font of the page's current theme.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    /// Body text: titles, axis names.
    pub text: Rgb,
    /// Secondary text: tick labels, messages.
    pub muted: Rgb,
    /// Axes and grid lines.
    pub border: Rgb,
    /// The chart background.
    pub panel: Rgb,
    /// The site's accent colour.
    pub accent: Rgb,
    /// Link blue.
    pub link: Rgb,
    /// Red: divergence, wrong predictions, NaN cells.
    pub caution: Rgb,
    /// Green: right predictions.
    pub tip: Rgb,
    /// Purple.
    pub important: Rgb,
    /// Amber.
    pub warning: Rgb,
    /// Blue (callout notes).
    pub note: Rgb,
    /// Pink (the code highlighter's keyword colour).
    pub pink: Rgb,
    /// The sans-serif font family list.
    pub font: String,
    /// Whether the background is dark.
    pub dark: bool,
}

/// The font used when `--sans` is missing.
const FALLBACK_FONT: &str = "system-ui, sans-serif";

impl Theme {
    /// The theme from a lookup of CSS custom properties (`--text`, `--muted`, …); missing or
    /// unparsable ones fall back to the light theme's values.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Theme {
        let color =
            |name: &str, fallback: Rgb| get(name).and_then(|v| parse_color(&v)).unwrap_or(fallback);
        let panel = color("--panel", Rgb(0xff, 0xff, 0xff));
        let font = get("--sans")
            .map(|f| f.trim().to_string())
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| FALLBACK_FONT.to_string());
        let dark = panel.luminance() < 0.3;
        Theme {
            text: color("--text", Rgb(0x1f, 0x23, 0x28)),
            muted: color("--muted", Rgb(0x5f, 0x66, 0x70)),
            border: color("--border", Rgb(0xe2, 0xdd, 0xd2)),
            panel,
            accent: color("--accent", Rgb(0xb5, 0x45, 0x2a)),
            link: color("--link", Rgb(0x1d, 0x5f, 0xa8)),
            caution: color("--caution", Rgb(0xc0, 0x36, 0x2c)),
            tip: color("--tip", Rgb(0x1a, 0x7f, 0x4b)),
            important: color("--important", Rgb(0x7a, 0x3f, 0xb0)),
            warning: color("--warning", Rgb(0x9a, 0x67, 0x00)),
            note: color("--note", Rgb(0x1d, 0x5f, 0xa8)),
            pink: color(
                "--hl-keyword",
                if dark {
                    Rgb(0xff, 0x7e, 0xb6)
                } else {
                    Rgb(0xa8, 0x32, 0x7a)
                },
            ),
            font,
            dark,
        }
    }

    /// The theme for print and static SVG figures: the site's light colours on white, in
    /// `system-ui, sans-serif`.
    pub fn print() -> Theme {
        Theme::from_lookup(|_| None)
    }

    /// Nine distinct series colours, one per optimizer of the race: blue, accent, green, purple,
    /// amber, pink, teal, grey, olive. Red is left out (it marks divergence).
    pub fn palette(&self) -> [Rgb; 9] {
        let (teal, olive) = if self.dark {
            (Rgb(0x4f, 0xd1, 0xc5), Rgb(0xb5, 0xd1, 0x5c))
        } else {
            (Rgb(0x0f, 0x7b, 0x8a), Rgb(0x6b, 0x8e, 0x23))
        };
        [
            self.link,
            self.accent,
            self.tip,
            self.important,
            self.warning,
            self.pink,
            teal,
            self.muted,
            olive,
        ]
    }

    /// The palette colour for index `i` (wraps).
    pub fn series(&self, i: usize) -> Rgb {
        let p = self.palette();
        p[i % p.len()]
    }
}

/// Viridis stops, evenly spaced: dark purple → blue → green → yellow.
const VIRIDIS: [Rgb; 9] = [
    Rgb(68, 1, 84),
    Rgb(71, 45, 123),
    Rgb(59, 82, 139),
    Rgb(44, 114, 142),
    Rgb(33, 145, 140),
    Rgb(40, 174, 128),
    Rgb(94, 201, 98),
    Rgb(173, 220, 48),
    Rgb(253, 231, 37),
];

/// The colour-map colour at `t` (0 low to 1 high; clamped, NaN gives the low end). Perceptually
/// even and readable on light and dark backgrounds.
pub fn colormap(t: f64) -> Rgb {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let k = (x.floor() as usize).min(VIRIDIS.len() - 2);
    VIRIDIS[k].mix(VIRIDIS[k + 1], x - k as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_colour_forms_of_computed_styles() {
        assert_eq!(parse_color(" #1d5fa8"), Some(Rgb(0x1d, 0x5f, 0xa8)));
        assert_eq!(parse_color("#fff"), Some(Rgb(255, 255, 255)));
        assert_eq!(parse_color("#11223380"), Some(Rgb(0x11, 0x22, 0x33)));
        assert_eq!(parse_color("rgb(1, 2, 3)"), Some(Rgb(1, 2, 3)));
        assert_eq!(parse_color("rgba(1,2,3,0.5)"), Some(Rgb(1, 2, 3)));
        assert_eq!(parse_color("rgb(10 20 30 / 50%)"), Some(Rgb(10, 20, 30)));
        assert_eq!(parse_color("rgb(100% 0% 0%)"), Some(Rgb(255, 0, 0)));
        assert_eq!(parse_color(""), None);
        assert_eq!(parse_color("#12"), None);
        assert_eq!(parse_color("#gggggg"), None);
        assert_eq!(parse_color("rgb(1, 2)"), None);
        assert_eq!(parse_color("rgb(nan, 2, 3)"), None);
        assert_eq!(parse_color("red"), None);
        assert_eq!(parse_color("#é12"), None);
    }

    #[test]
    fn theme_falls_back_and_detects_dark() {
        let light = Theme::from_lookup(|_| None);
        assert!(!light.dark);
        assert_eq!(light.font, FALLBACK_FONT);
        let dark = Theme::from_lookup(|name| match name {
            "--panel" => Some("#1d2127".into()),
            "--link" => Some("#7fb4ff".into()),
            "--sans" => Some(" \"Be Vietnam Pro\", sans-serif".into()),
            _ => None,
        });
        assert!(dark.dark);
        assert_eq!(dark.link, Rgb(0x7f, 0xb4, 0xff));
        assert_eq!(dark.font, "\"Be Vietnam Pro\", sans-serif");
    }

    #[test]
    fn palette_wraps_and_is_distinct() {
        let t = Theme::from_lookup(|_| None);
        let p = t.palette();
        // The race trains nine optimizers: each gets its own colour.
        assert!(p.len() >= 9, "{}", p.len());
        for (i, c) in p.iter().enumerate() {
            assert_eq!(t.series(i), *c);
            assert_eq!(t.series(i + p.len()), *c);
            assert_eq!(t.series(i + 100 * p.len()), *c);
            assert_ne!(*c, t.caution);
        }
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                assert_ne!(p[i], p[j]);
            }
        }
    }

    #[test]
    fn colormap_is_safe_at_the_ends() {
        assert_eq!(colormap(0.0), VIRIDIS[0]);
        assert_eq!(colormap(1.0), VIRIDIS[8]);
        assert_eq!(colormap(-3.0), VIRIDIS[0]);
        assert_eq!(colormap(7.0), VIRIDIS[8]);
        assert_eq!(colormap(f64::NAN), VIRIDIS[0]);
        assert!(colormap(0.5).luminance() > colormap(0.1).luminance());
        assert_eq!(Rgb(0, 0, 0).css(f64::NAN), "rgba(0,0,0,1)");
    }
}
