//! The `--max-growth` gate of `dlint compare`.

use super::{Comparison, Delta};
use serde::Serialize;

/// A `--max-growth` limit: a percentage of the baseline or a number of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Growth {
    /// Percent of the baseline's size (5 = 5%).
    Percent(f64),
    /// Bytes.
    Bytes(u64),
}

impl std::str::FromStr for Growth {
    type Err = String;

    /// Parses `5%`, `0.5%`, or a size ([`crate::units::parse_size`]: `20MB`, `20MiB`, `1.5G`, `4096`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = || {
            format!(
                "invalid growth limit `{s}`: expected a percentage (5%) or a size (20MB, 1.5GiB, 4096)"
            )
        };
        if let Some(p) = t.strip_suffix('%') {
            let v: f64 = p.trim().parse().map_err(|_| bad())?;
            return if v.is_finite() && v >= 0.0 {
                Ok(Growth::Percent(v))
            } else {
                Err(bad())
            };
        }
        crate::units::parse_size(t)
            .map(Growth::Bytes)
            .map_err(|_| bad())
    }
}

/// The outcome of the `--max-growth` gate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrowthCheck {
    /// The limit.
    pub limit: Growth,
    /// Uncompressed size of both images.
    pub size: Delta,
    /// Growth in percent of the baseline (absent when the baseline is empty).
    pub percent: Option<f64>,
    /// True when the candidate grew more than allowed.
    pub exceeded: bool,
}

impl GrowthCheck {
    /// Checks the candidate's uncompressed size against the baseline's.
    pub fn check(cmp: &Comparison, limit: Growth) -> Self {
        let size = cmp.totals.uncompressed;
        let percent = (size.a != 0).then(|| size.diff as f64 * 100.0 / size.a as f64);
        let exceeded = match limit {
            Growth::Bytes(max) => size.diff > 0 && size.diff.unsigned_abs() > max,
            // diff > a * p / 100, compared as diff * 100 > a * p to avoid rounding noise.
            Growth::Percent(p) if size.a != 0 => size.diff as f64 * 100.0 > size.a as f64 * p,
            Growth::Percent(_) => size.b > 0,
        };
        GrowthCheck {
            limit,
            size,
            percent,
            exceeded,
        }
    }
}
