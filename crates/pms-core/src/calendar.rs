//! Business days: weekends, Japanese national holidays, the year-end closure and a company's
//! own extra closed and open days.

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// Japanese national holidays (records.md, Appendix A), as (year, month, day).
const JP_HOLIDAYS: &[(i32, u32, u32)] = &[
    (2024, 1, 1),
    (2024, 1, 8),
    (2024, 2, 11),
    (2024, 2, 12),
    (2024, 2, 23),
    (2024, 3, 20),
    (2024, 4, 29),
    (2024, 5, 3),
    (2024, 5, 4),
    (2024, 5, 5),
    (2024, 5, 6),
    (2024, 7, 15),
    (2024, 8, 11),
    (2024, 8, 12),
    (2024, 9, 16),
    (2024, 9, 22),
    (2024, 9, 23),
    (2024, 10, 14),
    (2024, 11, 3),
    (2024, 11, 4),
    (2024, 11, 23),
    (2025, 1, 1),
    (2025, 1, 13),
    (2025, 2, 11),
    (2025, 2, 23),
    (2025, 2, 24),
    (2025, 3, 20),
    (2025, 4, 29),
    (2025, 5, 3),
    (2025, 5, 4),
    (2025, 5, 5),
    (2025, 5, 6),
    (2025, 7, 21),
    (2025, 8, 11),
    (2025, 9, 15),
    (2025, 9, 23),
    (2025, 10, 13),
    (2025, 11, 3),
    (2025, 11, 23),
    (2025, 11, 24),
    (2026, 1, 1),
    (2026, 1, 12),
    (2026, 2, 11),
    (2026, 2, 23),
    (2026, 3, 20),
    (2026, 4, 29),
    (2026, 5, 3),
    (2026, 5, 4),
    (2026, 5, 5),
    (2026, 5, 6),
    (2026, 7, 20),
    (2026, 8, 11),
    (2026, 9, 21),
    (2026, 9, 22),
    (2026, 9, 23),
    (2026, 10, 12),
    (2026, 11, 3),
    (2026, 11, 23),
];

/// A business calendar.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    /// Whether the Japanese national holidays and the 12-29…01-03 closure apply.
    pub jp: bool,
    /// Extra closed days.
    pub extra_closed: BTreeSet<NaiveDate>,
    /// Extra open days.
    pub extra_open: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// The calendar of `base: jp` with no extra days.
    #[must_use]
    pub fn jp() -> Calendar {
        Calendar {
            jp: true,
            ..Calendar::default()
        }
    }

    /// Whether `d` is a business day.
    #[must_use]
    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        if self.extra_open.contains(&d) {
            return true;
        }
        if self.extra_closed.contains(&d) || matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            return false;
        }
        if self.jp {
            let (m, day) = (d.month(), d.day());
            if (m == 12 && day >= 29) || (m == 1 && day <= 3) {
                return false;
            }
            if JP_HOLIDAYS.contains(&(d.year(), m, day)) {
                return false;
            }
        }
        true
    }

    /// `d` if it is a business day, otherwise the next business day.
    #[must_use]
    pub fn next_business_day(&self, d: NaiveDate) -> NaiveDate {
        let mut x = d;
        for _ in 0..60 {
            if self.is_business_day(x) {
                return x;
            }
            match x.succ_opt() {
                Some(n) => x = n,
                None => return x,
            }
        }
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::records::parse_date(s).unwrap_or_default()
    }

    #[test]
    fn holidays_weekends_and_year_end() {
        let c = Calendar::jp();
        assert!(!c.is_business_day(d("2025-11-24")), "substitute holiday");
        assert!(!c.is_business_day(d("2025-12-30")), "year-end closure");
        assert!(!c.is_business_day(d("2025-11-22")), "saturday");
        assert!(c.is_business_day(d("2025-11-25")));
        assert_eq!(c.next_business_day(d("2025-12-27")), d("2026-01-05"));
    }
}
