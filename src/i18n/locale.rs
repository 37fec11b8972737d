//! Locale data from CLDR through ICU4X (compiled data, no files at run
//! time): plural categories, long dates, month names and decimal
//! separators for any BCP 47 language code. An i18n file may override the
//! formats; a code CLDR does not know gets CLDR's root formats.

use fixed_decimal::Decimal;
use icu_calendar::Gregorian;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use icu_datetime::input::Date as IcuDate;
use icu_decimal::DecimalFormatter;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_locale_core::Locale as IcuLocale;
use icu_plurals::{PluralCategory, PluralRuleType, PluralRules};

use crate::content::front_matter::Date;

/// CLDR data for one language, loaded once per build.
#[derive(Debug)]
pub struct Locale {
    plurals: Option<PluralRules>,
    dates: Option<FixedCalendarDateTimeFormatter<Gregorian, YMD>>,
    decimals: Option<DecimalFormatter>,
    months: Vec<String>,
}

fn parse_locale(code: &str) -> IcuLocale {
    IcuLocale::try_from_str(code).unwrap_or(icu_locale_core::locale!("und"))
}

impl Locale {
    /// The CLDR data for `code` (`de`, `pt-BR`, `sr-Latn`); unknown codes
    /// get the root locale's formats and the `other` plural form.
    pub fn new(code: &str) -> Locale {
        let locale = parse_locale(code);
        let preferences = (&locale).into();
        let plurals = PluralRules::try_new((&locale).into(), PluralRuleType::Cardinal.into()).ok();
        let dates =
            FixedCalendarDateTimeFormatter::<Gregorian, _>::try_new(preferences, YMD::long()).ok();
        let mut options = DecimalFormatterOptions::default();
        // Group from five digits on (`12.345`, but `2024`), whatever the
        // locale's minimum: years and counts read better ungrouped.
        options.grouping_strategy = Some(GroupingStrategy::Min2);
        let decimals = DecimalFormatter::try_new((&locale).into(), options).ok();
        let months = month_names(&locale);
        Locale {
            plurals,
            dates,
            decimals,
            months,
        }
    }

    /// The CLDR plural category of `n` (`one`, `few`, `other`, …).
    pub fn plural_category(&self, n: f64) -> &'static str {
        let Some(rules) = &self.plurals else {
            return "other";
        };
        // Operands from a `Decimal` keep the visible fraction digits
        // (`1.5`), which some languages' rules depend on.
        let decimal: Decimal = match format_plain(n).parse() {
            Ok(d) => d,
            Err(_) => return "other",
        };
        match rules.category_for(&decimal) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    /// A date in the locale's long form (`27. November 2026`).
    pub fn date(&self, date: Date) -> String {
        let formatted = IcuDate::try_new_gregorian(
            date.year,
            u8::try_from(date.month).unwrap_or(1),
            u8::try_from(date.day).unwrap_or(1),
        )
        .ok()
        .zip(self.dates.as_ref())
        .map(|(d, formatter)| formatter.format(&d).to_string());
        formatted.unwrap_or_else(|| date.iso())
    }

    /// The full name of a month (1–12) as used in dates.
    pub fn month(&self, month: u32) -> String {
        self.months
            .get(month.saturating_sub(1) as usize)
            .cloned()
            .unwrap_or_else(|| month.to_string())
    }

    /// A number with `decimals` fraction digits in the locale's style.
    pub fn number(&self, value: f64, decimals: usize) -> String {
        let text = format!("{:.*}", decimals.min(12), value);
        let Some(formatter) = &self.decimals else {
            return text;
        };
        match text.parse::<Decimal>() {
            Ok(mut d) => {
                // `-0.0` reads as a negative zero; show plain zero.
                if d.absolute.is_zero() {
                    d.sign = fixed_decimal::Sign::None;
                }
                formatter.format(&d).to_string()
            }
            Err(_) => text,
        }
    }
}

/// `n` as plain decimal text for plural operands (`1`, `1.5`).
fn format_plain(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n.abs() as u64)
    } else {
        format!("{}", n.abs())
    }
}

/// The twelve month names in the form used inside dates (`MMMM`).
fn month_names(locale: &IcuLocale) -> Vec<String> {
    use icu_datetime::fieldsets::enums::DateFieldSet;
    use icu_datetime::pattern::{DateTimePattern, FixedCalendarDateTimeNames, MonthNameLength};
    use writeable::TryWriteable;
    let Ok(pattern) = "MMMM".parse::<DateTimePattern>() else {
        return Vec::new();
    };
    let Ok(mut names) =
        FixedCalendarDateTimeNames::<Gregorian, DateFieldSet>::try_new(locale.into())
    else {
        return Vec::new();
    };
    if names.include_month_names(MonthNameLength::Wide).is_err() {
        return Vec::new();
    }
    (1..=12u8)
        .filter_map(|m| {
            let date = IcuDate::try_new_gregorian(2026, m, 1).ok()?;
            names
                .with_pattern_unchecked(&pattern)
                .format(&date)
                .try_write_to_string()
                .ok()
                .map(|s| s.into_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_follow_cldr_for_any_language() {
        let ro = Locale::new("ro");
        assert_eq!(ro.plural_category(1.0), "one");
        assert_eq!(ro.plural_category(5.0), "few");
        assert_eq!(ro.plural_category(20.0), "other");
        let cs = Locale::new("cs");
        assert_eq!(cs.plural_category(3.0), "few");
        assert_eq!(cs.plural_category(1.5), "many");
        let ar = Locale::new("ar");
        assert_eq!(ar.plural_category(2.0), "two");
        assert_eq!(Locale::new("de").plural_category(0.0), "other");
    }

    #[test]
    fn dates_months_and_numbers_come_from_cldr() {
        let d = Date {
            year: 2026,
            month: 11,
            day: 27,
        };
        assert_eq!(Locale::new("de").date(d), "27. November 2026");
        assert_eq!(Locale::new("en").date(d), "November 27, 2026");
        assert_eq!(Locale::new("ro").date(d), "27 noiembrie 2026");
        assert_eq!(Locale::new("ro").month(3), "martie");
        assert_eq!(Locale::new("de").number(12345.6, 1), "12.345,6");
        assert_eq!(Locale::new("en").number(12345.6, 1), "12,345.6");
        assert_eq!(Locale::new("de").number(2024.0, 0), "2024");
        assert_eq!(Locale::new("de").number(-0.04, 1), "0,0");
        assert_eq!(Locale::new("xx").number(1.5, 1), "1.5");
        // Digits as CLDR gives them for the locale: Arabic-Indic in
        // Egyptian Arabic, Latin digits in Moroccan Arabic.
        assert_eq!(Locale::new("ar-EG").number(12345.5, 1), "١٢٬٣٤٥٫٥");
        assert_eq!(Locale::new("ar-MA").number(2024.0, 0), "2024");
    }
}
