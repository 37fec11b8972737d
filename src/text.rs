//! Text helpers that several stages share and that know nothing of the
//! site: slugs for URLs and anchor ids, and HTML escaping. A leaf module
//! (it imports nothing from the crate), so `content` and `markdown` can
//! both use it without depending on each other.

/// Turns text into a readable ASCII URL segment or anchor id:
/// `Größe & Hitze` → `groesse-hitze`. German umlauts and ß are spelled out,
/// other accents are dropped, everything else becomes `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        let mapped: Option<&str> = match c {
            'ä' | 'Ä' => Some("ae"),
            'ö' | 'Ö' => Some("oe"),
            'ü' | 'Ü' => Some("ue"),
            'ß' | 'ẞ' => Some("ss"),
            _ => None,
        };
        let mut push = |s: &str, out: &mut String| {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push_str(s);
        };
        if let Some(s) = mapped {
            push(s, &mut out);
        } else if c.is_ascii_alphanumeric() || c == '_' {
            push(&c.to_ascii_lowercase().to_string(), &mut out);
        } else if let Some(base) = strip_accent(c) {
            push(&base.to_string(), &mut out);
        } else if c.is_alphanumeric() {
            // Letters of other scripts stay as they are (lowercased).
            push(&c.to_lowercase().to_string(), &mut out);
        } else {
            pending_dash = true;
        }
    }
    out
}

/// The unaccented ASCII letter of common Latin letters with diacritics
/// (French, Romanian, Polish, Czech, Spanish, …).
fn strip_accent(c: char) -> Option<char> {
    let base = match c.to_lowercase().next()? {
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ă' | 'ā' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ě' | 'ę' | 'ē' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ł' | 'ľ' | 'ĺ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' | 'ŕ' => 'r',
        'ś' | 'š' | 'ș' | 'ş' => 's',
        'ť' | 'ț' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ů' | 'ū' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        _ => return None,
    };
    Some(base)
}

/// Escapes text for HTML content and attribute values: `&`, `<`, `>`, `"`
/// and `'` (as `&#39;`), pulldown-cmark's own escaping.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_keeps_german_readable() {
        assert_eq!(slugify("Größe der Gruppe"), "groesse-der-gruppe");
        assert_eq!(slugify("Schritt für Schritt!"), "schritt-fuer-schritt");
        assert_eq!(slugify("Übertragung & Tipps"), "uebertragung-tipps");
        assert_eq!(
            slugify("Verificarea căldurii în școală"),
            "verificarea-caldurii-in-scoala"
        );
        assert_eq!(slugify("  --a  b-- "), "a-b");
        assert_eq!(slugify("WP 3: Kommunikation"), "wp-3-kommunikation");
    }

    #[test]
    fn escape_html_escapes_the_five_characters() {
        assert_eq!(
            escape_html("a & b < c > d \"e\" 'f' ä"),
            "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39; ä"
        );
        assert_eq!(escape_html(""), "");
    }
}
