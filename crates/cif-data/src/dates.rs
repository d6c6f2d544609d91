//! The one date check of the data files (the matrix, the catalogues and the
//! rules of `check`): a real calendar day written `YYYY-MM-DD`.

/// Parses `YYYY-MM-DD` into (year, month, day), for a real calendar day only
/// (`2026-02-31` and `2025-13-01` are not dates).
pub fn parse_date(text: &str) -> Option<(u32, u32, u32)> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: core::ops::Range<usize>| -> Option<u32> {
        let part = text.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&month) {
        return None;
    }
    (1..=days_in(year, month))
        .contains(&day)
        .then_some((year, month, day))
}

/// The days in `month` of `year`.
fn days_in(year: u32, month: u32) -> u32 {
    let leap = year.is_multiple_of(4) && !year.is_multiple_of(100) || year.is_multiple_of(400);
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 31,
    }
}

/// A lifecycle date: `YYYY-MM-DD`, or `YYYY-MM` read as the first day of the
/// month, or its last day when `last` (an end of support). The bool says
/// whether the text gave only the month.
pub fn parse_day_or_month(text: &str, last: bool) -> Option<((u32, u32, u32), bool)> {
    if text.len() == 7 {
        let (year, month) = parse_date(&format!("{text}-01")).map(|(y, m, _)| (y, m))?;
        let day = if last { days_in(year, month) } else { 1 };
        return Some(((year, month, day), true));
    }
    parse_date(text).map(|d| (d, false))
}

/// "April 2027" or "April 30, 2027".
pub fn spell(date: (u32, u32, u32), month_only: bool) -> String {
    const MONTHS: &str =
        "January February March April May June July August September October November December";
    let (y, m, d) = date;
    let name = MONTHS.split(' ').nth((m.clamp(1, 12) - 1) as usize);
    let name = name.unwrap_or_default();
    if month_only {
        format!("{name} {y}")
    } else {
        format!("{name} {d}, {y}")
    }
}

/// `YYYY-MM-DD` of a day.
pub fn iso(date: (u32, u32, u32)) -> String {
    format!("{:04}-{:02}-{:02}", date.0, date.1, date.2)
}

/// The calendar day (year, month, day) of a count of days since
/// 1970-01-01, in the proleptic Gregorian calendar (Howard Hinnant's
/// `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m as u32, d as u32)
}

/// `civil_from_days` for a day of this era (years 0 to 4,294,967,295).
pub fn from_days(days: i64) -> (u32, u32, u32) {
    let (y, m, d) = civil_from_days(days);
    (u32::try_from(y).unwrap_or(0), m, d)
}

/// True for a real calendar day written `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    parse_date(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_days_are_dates() {
        assert_eq!(parse_date("2026-12-02"), Some((2026, 12, 2)));
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2026-02-31"));
        assert!(!is_date("2025-13-01"));
        assert!(!is_date("2025-00-10"));
        assert!(!is_date("2025-1-01"));
        assert!(!is_date("10/31/2025"));
        assert!(!is_date("2025-10-3x"));
        assert!(!is_date("+025-10-31"));
    }

    #[test]
    fn months_read_as_their_first_or_last_day() {
        assert_eq!(
            parse_day_or_month("2027-04", true),
            Some(((2027, 4, 30), true))
        );
        assert_eq!(
            parse_day_or_month("2024-02", true),
            Some(((2024, 2, 29), true))
        );
        assert_eq!(
            parse_day_or_month("2024-06", false),
            Some(((2024, 6, 1), true))
        );
        assert_eq!(
            parse_day_or_month("2025-10-31", false),
            Some(((2025, 10, 31), false))
        );
        assert_eq!(parse_day_or_month("2025-13", false), None);
        assert_eq!(parse_day_or_month("April 2027", false), None);
        assert_eq!(spell((2027, 4, 30), true), "April 2027");
        assert_eq!(spell((2025, 10, 31), false), "October 31, 2025");
        assert_eq!(from_days(0), (1970, 1, 1));
        assert_eq!(from_days(20_794), (2026, 12, 7));
    }
}
