//! Text helpers that several stages share and that know nothing of the
//! site: slugs for URLs and anchor ids, and HTML escaping. A leaf module
//! (it imports nothing from the crate), so `content` and `markdown` can
//! both use it without depending on each other.

/// How URL segments are spelled for letters outside ASCII (`slugs:` in
/// `site.yaml`). Latin letters are always transliterated by language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SlugStyle {
    /// Letters of non-Latin scripts stay as they are (`/ar/notes/موجة-حر/`,
    /// `/bg/търсене/`): valid IRIs, readable in the reader's script.
    #[default]
    Unicode,
    /// Only ASCII: Cyrillic is transliterated (bg: Streamlined System,
    /// uk: the 2010 national system, others: Russian-style), letters of
    /// other scripts are left out.
    Ascii,
}

/// Turns text into a readable URL segment or anchor id without knowing
/// its language: `Größe & Hitze` → `groesse-hitze`. German umlauts and ß
/// are spelled out, other accents dropped, letters of other scripts kept,
/// everything else becomes `-`. Text of a known language goes through
/// [`slugify_in`].
pub fn slugify(text: &str) -> String {
    slugify_in(text, "", SlugStyle::Unicode)
}

/// Turns text in language `lang` into a URL segment or anchor id, with
/// that language's transliteration of Latin letters (hu `ő` → `o`, de `ö`
/// → `oe`, tr `ı` → `i`, ro `ș` → `s`) and non-Latin scripts kept or
/// transliterated as `style` says.
pub fn slugify_in(text: &str, lang: &str, style: SlugStyle) -> String {
    let primary = lang.split('-').next().unwrap_or(lang);
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    // Whether the previous character was a letter or digit (Ukrainian
    // spells some letters differently at the start of a word).
    let mut in_word = false;
    let mut previous = ' ';
    let push = |s: &str, out: &mut String, pending_dash: &mut bool| {
        if *pending_dash && !out.is_empty() {
            out.push('-');
        }
        *pending_dash = false;
        out.push_str(s);
    };
    for c in text.chars() {
        // `İ` lowercases to `i` and a combining dot; the dot is not wanted.
        let lower = if c == 'İ' {
            'i'
        } else {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(one), None) => one,
                _ => c,
            }
        };
        let word_start = !in_word;
        in_word = c.is_alphanumeric();
        let after = std::mem::replace(&mut previous, lower);
        if let Some(s) = latin(primary, lower) {
            push(s, &mut out, &mut pending_dash);
        } else if lower.is_ascii_alphanumeric() || lower == '_' {
            push(lower.encode_utf8(&mut [0; 4]), &mut out, &mut pending_dash);
        } else if let Some(base) = strip_accent(lower) {
            push(base.encode_utf8(&mut [0; 4]), &mut out, &mut pending_dash);
        } else if style == SlugStyle::Ascii {
            match cyrillic(primary, lower, word_start, after) {
                Some("") => {}
                Some(s) => push(s, &mut out, &mut pending_dash),
                // Other scripts have no transliteration here: left out.
                None => pending_dash = true,
            }
        } else if lower.is_alphanumeric() {
            // Letters of other scripts stay as they are (lowercased).
            push(lower.encode_utf8(&mut [0; 4]), &mut out, &mut pending_dash);
        } else {
            pending_dash = true;
        }
    }
    out
}

/// Latin letters spelled out by language: German umlauts as `ae`, `oe`,
/// `ue` (also the default), Hungarian, Turkish and Nordic ones as their
/// base letter or their own digraphs.
fn latin(lang: &str, c: char) -> Option<&'static str> {
    Some(match (lang, c) {
        ("hu", 'ö' | 'ő') | ("tr" | "az" | "fi" | "sv" | "et", 'ö') => "o",
        ("hu", 'ü' | 'ű') | ("tr" | "az" | "fi" | "sv" | "et", 'ü') => "u",
        ("fi" | "sv" | "et", 'ä' | 'å') => "a",
        ("da" | "nb" | "nn" | "no", 'ø') => "oe",
        ("da" | "nb" | "nn" | "no", 'å') => "aa",
        (_, 'ä') => "ae",
        (_, 'ö') => "oe",
        (_, 'ü') => "ue",
        (_, 'ß') => "ss",
        (_, 'æ') => "ae",
        (_, 'œ') => "oe",
        (_, 'þ') => "th",
        (_, 'ı') => "i",
        (_, 'ğ') => "g",
        (_, 'ð') => "d",
        _ => return None,
    })
}

/// A lowercase Cyrillic letter in Latin letters: Bulgarian by the
/// Streamlined System, Ukrainian by the 2010 national system (its
/// word-initial forms and `зг` → `zgh` included), other languages
/// Russian-style. `Some("")` for letters that are left out (soft sign,
/// apostrophe). `after` is the letter before `c`.
fn cyrillic(lang: &str, c: char, word_start: bool, after: char) -> Option<&'static str> {
    let bulgarian = lang == "bg";
    let ukrainian = lang == "uk";
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' if ukrainian && after == 'з' => "gh",
        'г' if ukrainian => "h",
        'г' => "g",
        'ґ' => "g",
        'д' => "d",
        'е' | 'э' | 'ё' => "e",
        'є' if word_start => "ye",
        'є' => "ie",
        'ж' => "zh",
        'з' => "z",
        'и' if ukrainian => "y",
        'и' => "i",
        'і' => "i",
        'ї' if word_start => "yi",
        'ї' => "i",
        'й' if ukrainian && !word_start => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' if bulgarian => "h",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' if bulgarian => "sht",
        'щ' => "shch",
        'ъ' if bulgarian => "a",
        'ь' if bulgarian => "y",
        'ъ' | 'ь' | '\u{2019}' | '\'' => "",
        'ы' => "y",
        'ю' if ukrainian && !word_start => "iu",
        'ю' => "yu",
        'я' if ukrainian && !word_start => "ia",
        'я' => "ya",
        _ => return None,
    })
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
        'ñ' | 'ń' | 'ň' | 'ŋ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' | 'ŕ' => 'r',
        'ś' | 'š' | 'ș' | 'ş' | 'ſ' => 's',
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
    fn slugs_transliterate_latin_letters_by_language() {
        let unicode = |text: &str, lang: &str| slugify_in(text, lang, SlugStyle::Unicode);
        // Hungarian drops the accents instead of spelling out German umlauts.
        assert_eq!(unicode("Zöldfelületek", "hu"), "zoldfeluletek");
        assert_eq!(
            unicode("Összefoglaló és jövőkép", "hu"),
            "osszefoglalo-es-jovokep"
        );
        // German spells them out, as before.
        assert_eq!(unicode("Größe der Gruppe", "de"), "groesse-der-gruppe");
        assert_eq!(
            unicode("Übertragung & Tipps", "de-AT"),
            "uebertragung-tipps"
        );
        assert_eq!(
            unicode("Verificarea căldurii în școală și țară", "ro"),
            "verificarea-caldurii-in-scoala-si-tara"
        );
        assert_eq!(
            unicode("Işık ve Gölge Çalışması", "tr"),
            "isik-ve-golge-calismasi"
        );
        assert_eq!(unicode("İstanbul Ağacı", "tr"), "istanbul-agaci");
        assert_eq!(unicode("Łąka i źródło", "pl"), "laka-i-zrodlo");
        assert_eq!(unicode("Ñandú", "es"), "nandu");
        assert_eq!(unicode("Cœur de l’été", "fr"), "coeur-de-l-ete");
        assert_eq!(unicode("Sjön Mälaren", "sv"), "sjon-malaren");
        assert_eq!(unicode("Blåbærsyltetøy", "da"), "blaabaersyltetoey");
        // Without a language: the old behaviour.
        assert_eq!(
            slugify("Größe"),
            slugify_in("Größe", "en", SlugStyle::Unicode)
        );
    }

    #[test]
    fn non_latin_scripts_stay_unicode_or_become_ascii() {
        assert_eq!(slugify_in("موجة حر", "ar", SlugStyle::Unicode), "موجة-حر");
        assert_eq!(slugify_in("Търсене", "bg", SlugStyle::Unicode), "търсене");
        assert_eq!(slugify_in("Пошук", "uk", SlugStyle::Unicode), "пошук");
        let ascii = |text: &str, lang: &str| slugify_in(text, lang, SlugStyle::Ascii);
        // Bulgarian: Streamlined System (ъ → a, щ → sht).
        assert_eq!(ascii("Търсене в сайта", "bg"), "tarsene-v-sayta");
        assert_eq!(ascii("Щастие и Юнак", "bg"), "shtastie-i-yunak");
        // Ukrainian: the 2010 national system, with word-initial forms.
        assert_eq!(ascii("Пошук", "uk"), "poshuk");
        assert_eq!(ascii("Їжак і Юля", "uk"), "yizhak-i-yulia");
        assert_eq!(ascii("Згорани, Згурський", "uk"), "zghorany-zghurskyi");
        assert_eq!(ascii("Київ", "uk"), "kyiv");
        // Russian-style for other Cyrillic.
        assert_eq!(ascii("Хорошо", "ru"), "khorosho");
        // Scripts without a transliteration are left out.
        assert_eq!(ascii("موجة حر", "ar"), "");
        assert_eq!(ascii("Größe 3", "de"), "groesse-3");
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
