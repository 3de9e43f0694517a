//! The partner's brand, documents and support contact, read from the environment at start:
//! no rebuild of the app. The backend writes them into the app shell it serves (a JSON data
//! block the app reads, and the colours as CSS custom properties in a `<style>` whose hash the
//! Content-Security-Policy allows), so the app learns them without another request.
//!
//! Colours must keep the contrast WCAG 2.2 AA asks of text (4.5:1): white on the brand colours
//! and the link colour on white. A colour that does not is refused at start, with its ratio.

use std::path::Path;

use serde::Serialize;

/// Where the logo is served.
pub const LOGO_PATH: &str = "/brand/logo";
/// Largest logo file accepted.
const MAX_LOGO_BYTES: usize = 100 * 1024;
/// WCAG 2.2 AA contrast for normal text.
const MIN_CONTRAST: f64 = 4.5;

/// The partner's brand and links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Brand {
    /// What the app shows: name, links, support contact.
    pub shown: BrandShown,
    /// The logo file's bytes and content type.
    pub logo: Option<(Vec<u8>, &'static str)>,
    /// `--bk-brand` (header, buttons; white text on it).
    pub color: Option<String>,
    /// `--bk-brand-dark` (button hover and shadow, header rule; white text on it).
    pub dark_color: Option<String>,
    /// `--bk-link` (links on white).
    pub link_color: Option<String>,
}

/// The part of the brand the app reads (the JSON block in the app shell).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BrandShown {
    /// The service name in the header, instead of the catalogs' own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether a logo is served at [`LOGO_PATH`].
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub logo: bool,
    /// The support contact, shown with "contact support" outcomes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_email: Option<String>,
    /// Likewise, a phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_phone: Option<String>,
    /// Likewise, a help page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_url: Option<String>,
    /// The partner's terms, linked from the consent screen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_url: Option<String>,
    /// The partner's privacy notice, likewise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privacy_url: Option<String>,
    /// Solaris' data processing terms, likewise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_terms_url: Option<String>,
    /// The fallback identification (video identification), offered where the guide says
    /// "continue with video identification".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_url: Option<String>,
}

impl Brand {
    /// Reads the brand settings (`BANKIDENT_BRAND_*`, `BANKIDENT_SUPPORT_*`, the document
    /// URLs and `BANKIDENT_FALLBACK_IDENT_URL`).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Brand, String> {
        let text = |name: &str, max: usize| -> Result<Option<String>, String> {
            match get(name).map(|value| value.trim().to_string()) {
                Some(value)
                    if value.chars().count() > max || value.chars().any(char::is_control) =>
                {
                    Err(format!(
                        "{name} must be at most {max} characters on one line"
                    ))
                }
                other => Ok(other),
            }
        };
        let url = |name: &str| -> Result<Option<String>, String> {
            match get(name).map(|value| value.trim().to_string()) {
                Some(value) if !is_https_url(&value) => {
                    Err(format!("{name}={value:?} must be an https URL"))
                }
                other => Ok(other),
            }
        };
        let color = |name: &str, against: &str| -> Result<Option<String>, String> {
            let Some(value) = get(name).map(|value| value.trim().to_ascii_lowercase()) else {
                return Ok(None);
            };
            let rgb = parse_hex_color(&value)
                .ok_or_else(|| format!("{name}={value:?} must be a colour like #0b5c55"))?;
            let ratio = contrast_ratio(rgb, (255, 255, 255));
            if ratio < MIN_CONTRAST {
                return Err(format!(
                    "{name}={value} has a contrast of {ratio:.2}:1 with {against}; at least {MIN_CONTRAST}:1 is needed so every customer can read it"
                ));
            }
            Ok(Some(value))
        };
        let support_email = text("BANKIDENT_SUPPORT_EMAIL", 254)?;
        if let Some(email) = &support_email {
            let plausible = email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty() && domain.contains('.') && !email.contains([' ', '<', '>', '"'])
            });
            if !plausible {
                return Err(format!(
                    "BANKIDENT_SUPPORT_EMAIL={email:?} is not an email address"
                ));
            }
        }
        let support_phone = text("BANKIDENT_SUPPORT_PHONE", 30)?;
        if let Some(phone) = &support_phone {
            let plausible = phone.starts_with('+')
                && phone[1..].chars().all(|c| c.is_ascii_digit() || c == ' ')
                && phone.chars().filter(char::is_ascii_digit).count() >= 6;
            if !plausible {
                return Err(format!(
                    "BANKIDENT_SUPPORT_PHONE={phone:?} must be an international number such as +49 30 1234567"
                ));
            }
        }
        let logo = match get("BANKIDENT_BRAND_LOGO") {
            Some(path) => Some(read_logo(Path::new(path.trim()))?),
            None => None,
        };
        Ok(Brand {
            shown: BrandShown {
                name: text("BANKIDENT_BRAND_NAME", 60)?,
                logo: logo.is_some(),
                support_email,
                support_phone,
                support_url: url("BANKIDENT_SUPPORT_URL")?,
                terms_url: url("BANKIDENT_TERMS_URL")?,
                privacy_url: url("BANKIDENT_PRIVACY_URL")?,
                data_terms_url: url("BANKIDENT_SOLARIS_DATA_TERMS_URL")?,
                fallback_url: url("BANKIDENT_FALLBACK_IDENT_URL")?,
            },
            logo,
            color: color("BANKIDENT_BRAND_COLOR", "its white text")?,
            dark_color: color("BANKIDENT_BRAND_DARK_COLOR", "its white text")?,
            link_color: color("BANKIDENT_LINK_COLOR", "the white page")?,
        })
    }

    /// The consent screen's documents, checked against the mode: without the demo mode every
    /// one of them must be configured (a customer must be able to read what they agree to);
    /// in the demo mode, `samples` (the embedded emulator's sample documents, when it runs)
    /// stand in for those that are not.
    pub fn with_consent_documents(
        mut self,
        demo_mode: bool,
        samples: Option<&str>,
    ) -> Result<Brand, String> {
        let shown = &mut self.shown;
        let documents = [
            ("BANKIDENT_TERMS_URL", &mut shown.terms_url, "terms"),
            ("BANKIDENT_PRIVACY_URL", &mut shown.privacy_url, "privacy"),
            (
                "BANKIDENT_SOLARIS_DATA_TERMS_URL",
                &mut shown.data_terms_url,
                "data-terms",
            ),
        ];
        let mut missing = Vec::new();
        for (name, url, sample) in documents {
            if url.is_some() {
                continue;
            }
            match (demo_mode, samples) {
                (false, _) => missing.push(name),
                (true, Some(samples)) => *url = Some(format!("{samples}/{sample}?lang={{lang}}")),
                (true, None) => {}
            }
        }
        if missing.is_empty() {
            Ok(self)
        } else {
            Err(format!(
                "{} must be set (https URLs): the consent screen links the documents the customer agrees to. \
                 Only the demo mode (BANKIDENT_DEMO_MODE=true) starts without them",
                missing.join(", ")
            ))
        }
    }

    /// The JSON block the app reads; empty when nothing is configured.
    pub fn data_html(&self) -> String {
        if self.shown == BrandShown::default() {
            return String::new();
        }
        // `<` is escaped so no value can close the block.
        let json = serde_json::to_string(&self.shown)
            .expect("the brand serializes")
            .replace('<', "\\u003c");
        format!(r#"<script type="application/json" id="bankident-brand">{json}</script>"#)
    }

    /// The colours' `<style>`, to follow the app's stylesheet (which it overrides); empty
    /// when no colour is configured.
    pub fn style_html(&self) -> String {
        self.style()
            .map(|style| format!("<style>{style}</style>"))
            .unwrap_or_default()
    }

    /// The colours as CSS custom properties.
    pub fn style(&self) -> Option<String> {
        let properties: String = [
            ("--bk-brand", &self.color),
            ("--bk-brand-dark", &self.dark_color),
            ("--bk-link", &self.link_color),
        ]
        .iter()
        .filter_map(|(name, value)| value.as_ref().map(|value| format!("{name}:{value};")))
        .collect();
        (!properties.is_empty()).then(|| format!(":root{{{properties}}}"))
    }
}

fn is_https_url(value: &str) -> bool {
    value.starts_with("https://")
        && super::host_of(value).is_some()
        && !value.contains(['"', '<', '>', ' ', '\\'])
}

fn read_logo(path: &Path) -> Result<(Vec<u8>, &'static str), String> {
    let content_type = match path.extension().and_then(|ext| ext.to_str()) {
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        _ => {
            return Err(format!(
                "BANKIDENT_BRAND_LOGO={}: the logo must be an .svg, .png or .webp file",
                path.display()
            ));
        }
    };
    let bytes = std::fs::read(path)
        .map_err(|error| format!("BANKIDENT_BRAND_LOGO={}: {error}", path.display()))?;
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(format!(
            "BANKIDENT_BRAND_LOGO={}: {} bytes; at most {MAX_LOGO_BYTES} keep the first page fast",
            path.display(),
            bytes.len()
        ));
    }
    Ok((bytes, content_type))
}

/// `#rrggbb` as its channels.
fn parse_hex_color(value: &str) -> Option<(u8, u8, u8)> {
    let hex = value.strip_prefix('#').filter(|hex| hex.len() == 6)?;
    let channel = |at: usize| u8::from_str_radix(&hex[at..at + 2], 16).ok();
    Some((channel(0)?, channel(2)?, channel(4)?))
}

/// WCAG 2.2 relative luminance.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let linear = |channel: u8| {
        let value = f64::from(channel) / 255.0;
        if value <= 0.04045 {
            value / 12.92
        } else {
            ((value + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// WCAG 2.2 contrast ratio of two colours (1 to 21).
pub fn contrast_ratio(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand(vars: &[(&str, &str)]) -> Result<Brand, String> {
        Brand::from_lookup(|name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        })
    }

    #[test]
    fn contrast_follows_wcag() {
        assert!((contrast_ratio((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 0.01);
        // WebAIM's checker: #767676 on white is 4.54:1, #777777 is 4.48:1.
        assert!((contrast_ratio((0x76, 0x76, 0x76), (255, 255, 255)) - 4.54).abs() < 0.01);
        assert!((contrast_ratio((0x77, 0x77, 0x77), (255, 255, 255)) - 4.48).abs() < 0.01);
    }

    #[test]
    fn colours_customers_cannot_read_are_refused() {
        let error = brand(&[("BANKIDENT_BRAND_COLOR", "#ffdd00")]).unwrap_err();
        assert!(
            error.contains("BANKIDENT_BRAND_COLOR") && error.contains(":1"),
            "{error}"
        );
        assert!(brand(&[("BANKIDENT_LINK_COLOR", "blue")]).is_err());
        let ok = brand(&[
            ("BANKIDENT_BRAND_COLOR", "#5B2A86"),
            ("BANKIDENT_LINK_COLOR", "#3a1d5c"),
        ])
        .unwrap();
        assert_eq!(
            ok.style().as_deref(),
            Some(":root{--bk-brand:#5b2a86;--bk-link:#3a1d5c;}")
        );
    }

    #[test]
    fn the_app_gets_the_shown_part_and_nothing_can_break_out() {
        assert_eq!(brand(&[]).unwrap().data_html(), "");
        assert_eq!(brand(&[]).unwrap().style_html(), "");
        let configured = brand(&[
            ("BANKIDENT_BRAND_NAME", "Nova </script><b>Bank"),
            ("BANKIDENT_SUPPORT_EMAIL", "help@nova.example"),
            (
                "BANKIDENT_FALLBACK_IDENT_URL",
                "https://video.nova.example/start",
            ),
        ])
        .unwrap();
        let html = configured.data_html();
        assert!(html.starts_with(r#"<script type="application/json" id="bankident-brand">"#));
        assert_eq!(html.matches("</script>").count(), 1, "{html}");
        assert!(html.contains(r#""support_email":"help@nova.example""#));
        assert!(brand(&[("BANKIDENT_TERMS_URL", "http://nova.example/terms")]).is_err());
        assert!(brand(&[("BANKIDENT_SUPPORT_EMAIL", "help")]).is_err());
        assert!(brand(&[("BANKIDENT_SUPPORT_PHONE", "call us")]).is_err());
        assert!(brand(&[("BANKIDENT_BRAND_LOGO", "/etc/passwd")]).is_err());
    }
}
