//! Days and timestamps without a date library: UTC days since the epoch, `YYYY-MM-DD`, RFC 3339.
//!
//! The worker only ever needs whole UTC days (rollups, salts, stats periods) and instants in
//! milliseconds (expiry), so the proleptic-Gregorian conversions below are all it takes.

use crate::{Error, Result};

const MS_PER_DAY: i64 = 86_400_000;

/// A UTC calendar day, counted from 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    /// The day that contains the instant `ms` (milliseconds since the epoch).
    pub fn from_ms(ms: i64) -> Day {
        Day(ms.div_euclid(MS_PER_DAY))
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as `2026-02-30`.
    ///
    /// # Errors
    /// `Error::BadDate` naming the input.
    pub fn parse(raw: &str) -> Result<Day> {
        let bad = || Error::BadDate(format!("{:?} is not a YYYY-MM-DD date", truncate(raw)));
        let b = raw.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let y = digits(&b[0..4]).ok_or_else(bad)?;
        let m = digits(&b[5..7]).ok_or_else(bad)?;
        let d = digits(&b[8..10]).ok_or_else(bad)?;
        if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
            return Err(bad());
        }
        Ok(Day(days_from_civil(y, m, d)))
    }

    /// The day `n` days later (or earlier, for negative `n`).
    pub fn plus(self, n: i64) -> Day {
        Day(self.0 + n)
    }

    /// Milliseconds since the epoch at this day's midnight UTC.
    pub fn start_ms(self) -> i64 {
        self.0 * MS_PER_DAY
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = civil_from_days(self.0);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Parses an RFC 3339 timestamp (`2026-12-31T23:59:59Z`, `…+01:00`, optional fraction) into
/// milliseconds since the epoch.
///
/// # Errors
/// `Error::BadDate` for anything else.
pub fn parse_rfc3339_ms(raw: &str) -> Result<i64> {
    let bad = || Error::BadDate(format!("{:?} is not an RFC 3339 timestamp", truncate(raw)));
    let b = raw.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return Err(bad());
    }
    let day = Day::parse(raw.get(..10).ok_or_else(bad)?).map_err(|_| bad())?;
    let hh = digits(&b[11..13]).ok_or_else(bad)?;
    let mm = digits(&b[14..16]).ok_or_else(bad)?;
    let ss = digits(&b[17..19]).ok_or_else(bad)?;
    if hh > 23 || mm > 59 || ss > 60 {
        return Err(bad());
    }
    let mut rest = &b[19..];
    let mut millis = 0;
    if rest.first() == Some(&b'.') {
        let frac_len = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac_len == 0 {
            return Err(bad());
        }
        let frac = &rest[1..1 + frac_len];
        millis = frac.iter().take(3).fold(0, |acc, c| acc * 10 + i64::from(c - b'0'));
        millis *= [100, 10, 1][frac.len().min(3) - 1];
        rest = &rest[1 + frac_len..];
    }
    let offset_min = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let oh = digits(&[*h1, *h2]).ok_or_else(bad)?;
            let om = digits(&[*m1, *m2]).ok_or_else(bad)?;
            if oh > 23 || om > 59 {
                return Err(bad());
            }
            let total = oh * 60 + om;
            if *sign == b'+' { total } else { -total }
        }
        _ => return Err(bad()),
    };
    Ok(day.start_ms() + ((hh * 60 + mm - offset_min) * 60 + ss) * 1000 + millis)
}

/// Writes an instant (ms since the epoch) as RFC 3339 in UTC with milliseconds,
/// `2026-12-31T23:59:59.000Z`: the form `parse_rfc3339_ms` reads back exactly.
pub fn format_rfc3339_ms(ms: i64) -> String {
    let day = Day::from_ms(ms);
    let in_day = ms - day.start_ms();
    let (h, m, s, milli) = (in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1000 % 60, in_day % 1000);
    format!("{day}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
}

fn truncate(raw: &str) -> String {
    raw.chars().take(40).collect()
}

fn digits(b: &[u8]) -> Option<i64> {
    b.iter().try_fold(0i64, |acc, c| c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0')))
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days, for the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_through_text() {
        for s in ["1970-01-01", "2000-02-29", "2026-11-23", "2100-12-31", "1969-12-31"] {
            assert_eq!(Day::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Day::parse("1970-01-02").unwrap(), Day(1));
    }

    #[test]
    fn impossible_or_malformed_dates_are_rejected() {
        for s in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026/01/01", "", "２０２６-01-01"] {
            assert!(matches!(Day::parse(s), Err(Error::BadDate(_))), "{s:?}");
        }
    }

    #[test]
    fn day_of_an_instant_uses_utc_midnights() {
        assert_eq!(Day::from_ms(0), Day(0));
        assert_eq!(Day::from_ms(86_399_999), Day(0));
        assert_eq!(Day::from_ms(-1), Day(-1));
    }

    #[test]
    fn rfc3339_timestamps_parse_with_offsets_and_fractions() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z").unwrap(), 0);
        assert_eq!(parse_rfc3339_ms("1970-01-01T01:00:00+01:00").unwrap(), 0);
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:01.5Z").unwrap(), 1500);
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00.123456Z").unwrap(), 123);
        for bad in ["2026-01-01", "2026-01-01T25:00:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00+1:00", "x"] {
            assert!(parse_rfc3339_ms(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn instants_format_as_utc_rfc3339_and_read_back() {
        assert_eq!(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
        for ms in [0, 1_764_043_200_123, 4_102_444_799_999, -86_400_001] {
            assert_eq!(parse_rfc3339_ms(&format_rfc3339_ms(ms)).unwrap(), ms);
        }
    }
}
