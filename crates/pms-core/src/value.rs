//! Runtime values of records and rule expressions.

use chrono::{Datelike as _, NaiveDate};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

/// A length of calendar time: months and days are kept apart so that `+ 12 months` is
/// calendar arithmetic (29 February + 12 months = 28 February) rather than 365 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Duration {
    /// Whole months (a year is 12).
    pub months: i32,
    /// Whole days.
    pub days: i32,
}

impl Duration {
    /// Parses `12 months`, `30 days`, `2 years`, `1 month`, `6mo`, `14d`, `2y`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Duration> {
        let t = text.trim();
        let split = t.find(|c: char| !c.is_ascii_digit())?;
        let (num, unit) = t.split_at(split);
        let n: i32 = num.parse().ok()?;
        match unit.trim() {
            "d" | "day" | "days" => Some(Duration { months: 0, days: n }),
            "w" | "week" | "weeks" => Some(Duration {
                months: 0,
                days: n.checked_mul(7)?,
            }),
            "mo" | "month" | "months" => Some(Duration { months: n, days: 0 }),
            "y" | "year" | "years" => Some(Duration {
                months: n.checked_mul(12)?,
                days: 0,
            }),
            _ => None,
        }
    }

    /// `date + self`; `None` past the calendar's range.
    ///
    /// Months forward keep the day of the month, clamped to a shorter month's end, and the
    /// last day of a month goes to the last day of the later month (30 June + 6 months =
    /// 31 December). So `d + N months` is the last day D on which `d` is still "within N
    /// months" (`D − N months <= d`): a deadline and a look-back window agree at month ends.
    /// Months backward clamp (31 August − 6 months = 28 February).
    #[must_use]
    pub fn add_to(self, date: NaiveDate) -> Option<NaiveDate> {
        let d = if self.months > 0 {
            let d = date.checked_add_months(chrono::Months::new(self.months.unsigned_abs()))?;
            let month_end = |x: NaiveDate| x.succ_opt().is_none_or(|n| n.month() != x.month());
            if month_end(date) {
                let mut end = d;
                while let Some(next) = end.succ_opt().filter(|n| n.month() == d.month()) {
                    end = next;
                }
                end
            } else {
                d
            }
        } else if self.months == 0 {
            date
        } else {
            date.checked_sub_months(chrono::Months::new(self.months.unsigned_abs()))?
        };
        d.checked_add_signed(chrono::TimeDelta::days(i64::from(self.days)))
    }

    /// `date - self`.
    #[must_use]
    pub fn sub_from(self, date: NaiveDate) -> Option<NaiveDate> {
        Duration {
            months: -self.months,
            days: -self.days,
        }
        .add_to(date)
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = |n: i32, one: &str, many: &str| {
            if n.abs() == 1 {
                format!("{n} {one}")
            } else {
                format!("{n} {many}")
            }
        };
        match (self.months, self.days) {
            (0, d) => f.write_str(&unit(d, "day", "days")),
            (m, 0) if m % 12 == 0 && m.abs() >= 24 => f.write_str(&unit(m / 12, "year", "years")),
            (m, 0) => f.write_str(&unit(m, "month", "months")),
            (m, d) => write!(
                f,
                "{} {}",
                unit(m, "month", "months"),
                unit(d, "day", "days")
            ),
        }
    }
}

/// Where a record lives in a [`crate::RecordSet`]: entity index and row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecRef {
    /// Index of the entity in [`crate::schema::STRUCTS`].
    pub entity: u16,
    /// Row within that entity's table.
    pub row: u32,
}

/// A nested object (a contract's clauses, an MR's inputs …) with fields by slot.
#[derive(Debug, Clone, PartialEq)]
pub struct Obj {
    /// Index of its [`crate::schema::Struct`] in [`crate::schema::STRUCTS`].
    pub shape: u16,
    /// Values by field slot.
    pub fields: Vec<Value>,
}

/// A value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// Absent: nothing recorded.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Num(f64),
    /// Text (also ids and vocabulary values).
    Str(Arc<str>),
    /// A date.
    Date(NaiveDate),
    /// A length of time.
    Dur(Duration),
    /// A list.
    List(Arc<Vec<Value>>),
    /// A nested object.
    Obj(Arc<Obj>),
    /// A record of the record set.
    Rec(RecRef),
}

impl Value {
    /// Whether the value is absent (null or an empty text or list).
    #[must_use]
    pub fn is_absent(&self) -> bool {
        match self {
            Value::Null => true,
            Value::Str(s) => s.trim().is_empty(),
            Value::List(l) => l.is_empty(),
            _ => false,
        }
    }

    /// The text, if this is text.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The date, if this is a date.
    #[must_use]
    pub fn as_date(&self) -> Option<NaiveDate> {
        match self {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }

    /// Text value helper.
    #[must_use]
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    /// Total order used for sorting and `min`/`max`: nulls first, then by kind and value.
    #[must_use]
    pub fn total_cmp(&self, other: &Value) -> Ordering {
        fn rank(v: &Value) -> u8 {
            match v {
                Value::Null => 0,
                Value::Bool(_) => 1,
                Value::Int(_) | Value::Num(_) => 2,
                Value::Str(_) => 3,
                Value::Date(_) => 4,
                Value::Dur(_) => 5,
                Value::List(_) => 6,
                Value::Obj(_) => 7,
                Value::Rec(_) => 8,
            }
        }
        match (self, other) {
            (Value::Bool(a), Value::Bool(b)) => a.cmp(b),
            (Value::Int(a), Value::Int(b)) => a.cmp(b),
            (Value::Int(a), Value::Num(b)) => (*a as f64).total_cmp(b),
            (Value::Num(a), Value::Int(b)) => a.total_cmp(&(*b as f64)),
            (Value::Num(a), Value::Num(b)) => a.total_cmp(b),
            (Value::Str(a), Value::Str(b)) => a.cmp(b),
            (Value::Date(a), Value::Date(b)) => a.cmp(b),
            (Value::Dur(a), Value::Dur(b)) => a.cmp(b),
            (Value::List(a), Value::List(b)) => {
                for (x, y) in a.iter().zip(b.iter()) {
                    let o = x.total_cmp(y);
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                a.len().cmp(&b.len())
            }
            (Value::Rec(a), Value::Rec(b)) => a.cmp(b),
            _ => rank(self).cmp(&rank(other)),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("—"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Num(n) => write!(f, "{n}"),
            Value::Str(s) => f.write_str(s),
            // chrono's `Display` of a date is `%Y-%m-%d`, without its format machinery.
            Value::Date(d) => write!(f, "{d}"),
            Value::Dur(d) => write!(f, "{d}"),
            Value::List(l) => {
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                Ok(())
            }
            Value::Obj(_) => f.write_str("{…}"),
            Value::Rec(r) => write!(f, "#{}:{}", r.entity, r.row),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_none(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Int(i) => s.serialize_i64(*i),
            Value::Num(n) => s.serialize_f64(*n),
            Value::Str(t) => s.serialize_str(t),
            Value::Date(_) | Value::Dur(_) | Value::Rec(_) => s.serialize_str(&self.to_string()),
            Value::List(l) => {
                let mut seq = s.serialize_seq(Some(l.len()))?;
                for v in l.iter() {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Value::Obj(o) => {
                let shape = crate::schema::struct_at(o.shape);
                let mut map = s.serialize_map(None)?;
                if let Some(shape) = shape {
                    for (field, v) in shape.fields.iter().zip(o.fields.iter()) {
                        if !matches!(v, Value::Null) {
                            map.serialize_entry(field.name, v)?;
                        }
                    }
                }
                map.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly")]
    use super::Duration;
    use chrono::{Datelike, NaiveDate};
    use proptest::prelude::*;

    fn last_day(year: i32, month: u32) -> u32 {
        (28..=31)
            .rev()
            .find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some())
            .unwrap()
    }

    proptest! {
        /// `+ n months` lands on the same day of the month n months later, or on that month's
        /// last day when it is shorter (31 March + 1 month = 30 April, 29 February + 12
        /// months = 28 February); `- n months` likewise, and days are plain days.
        #[test]
        fn months_keep_the_day_or_clamp_to_the_month_end(
            days in 0i64..40_000, months in 1i32..60, back in any::<bool>(), extra in 0i32..400,
        ) {
            let d = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(days);
            let dur = Duration { months: if back { -months } else { months }, days: 0 };
            let r = dur.add_to(d).unwrap();
            let index = d.year() * 12 + d.month0() as i32 + dur.months;
            prop_assert_eq!(r.year(), index.div_euclid(12));
            prop_assert_eq!(r.month0() as i32, index.rem_euclid(12));
            let end = last_day(r.year(), r.month());
            if !back && d.day() == last_day(d.year(), d.month()) {
                prop_assert_eq!(r.day(), end);
            } else {
                prop_assert_eq!(r.day(), d.day().min(end));
            }
            if back {
                // `d` is within the window that starts at `r`.
                prop_assert!(dur.sub_from(r).unwrap() >= d);
            } else {
                prop_assert!(dur.sub_from(r).unwrap() <= d);
                // The last day on which `d` is within `months` months.
                let next = r.succ_opt().unwrap();
                prop_assert!(dur.sub_from(next).unwrap() > d);
            }
            let plain = Duration { months: 0, days: extra };
            prop_assert_eq!(plain.add_to(d).unwrap(), d + chrono::Duration::days(i64::from(extra)));
        }
    }

    #[test]
    fn leap_day_and_month_ends() {
        let date = |s: &str| crate::records::parse_date(s).unwrap();
        let m = |n| Duration { months: n, days: 0 };
        assert_eq!(m(12).add_to(date("2024-02-29")), Some(date("2025-02-28")));
        assert_eq!(m(48).add_to(date("2024-02-29")), Some(date("2028-02-29")));
        assert_eq!(m(1).add_to(date("2025-03-31")), Some(date("2025-04-30")));
        assert_eq!(m(1).add_to(date("2025-01-31")), Some(date("2025-02-28")));
        assert_eq!(m(6).sub_from(date("2025-08-31")), Some(date("2025-02-28")));
        // The last day of a month goes to the last day: the deadline of a check on 30 June
        // "within 6 months" is 31 December, the last day on which 30 June is within 6 months.
        assert_eq!(m(6).add_to(date("2025-06-30")), Some(date("2025-12-31")));
        assert_eq!(m(6).sub_from(date("2025-12-31")), Some(date("2025-06-30")));
        assert_eq!(m(1).add_to(date("2025-04-30")), Some(date("2025-05-31")));
        assert_eq!(m(12).add_to(date("2023-02-28")), Some(date("2024-02-29")));
        assert_eq!(m(1).add_to(date("2025-04-29")), Some(date("2025-05-29")));
        assert_eq!(Duration::parse("2 years"), Some(m(24)));
    }
}
