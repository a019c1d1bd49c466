//! CI gates on an image report: `--max-size`, `--max-layer-size`, `--max-wasted`,
//! `--min-efficiency`, also readable from the `image:` section of `.dlint.yaml`.

use super::ImageReport;
use crate::units::{human, parse_size};
use serde::Deserialize;
use std::path::Path;

/// The `image:` section of `.dlint.yaml`: the gates of `dlint image` as written (sizes like
/// `500MB`, shares like `10%`); the image gates check and apply them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ImageSection {
    #[serde(alias = "max_size")]
    pub max_size: Option<Scalar>,
    #[serde(alias = "max_layer_size")]
    pub max_layer_size: Option<Scalar>,
    #[serde(alias = "max_wasted")]
    pub max_wasted: Option<Scalar>,
    #[serde(alias = "min_efficiency")]
    pub min_efficiency: Option<Scalar>,
    /// Size cap of the layer cache (`--cache-max` wins).
    #[serde(alias = "cache_max")]
    pub cache_max: Option<Scalar>,
}

/// A scalar in YAML: a number or a string like `500MB`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Num(f64),
    Str(String),
}

impl Scalar {
    /// The value as text (`500MB`, `0.5`).
    pub fn text(&self) -> String {
        match self {
            Scalar::Num(n) => n.to_string(),
            Scalar::Str(s) => s.clone(),
        }
    }
}

/// A limit given as bytes or as a percentage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// Absolute bytes.
    Bytes(u64),
    /// Percent (0–100).
    Percent(f64),
}

/// The gates to check. `None` means not set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gates {
    /// Largest total uncompressed image size.
    pub max_size: Option<u64>,
    /// Largest uncompressed layer.
    pub max_layer_size: Option<u64>,
    /// Most wasted bytes, absolute or as a percentage of stored file bytes.
    pub max_wasted: Option<Limit>,
    /// Lowest efficiency (0–1).
    pub min_efficiency: Option<f64>,
}

impl Gates {
    /// Fills unset gates from `other` (command line first, then the config file).
    pub fn or(self, other: Gates) -> Gates {
        Gates {
            max_size: self.max_size.or(other.max_size),
            max_layer_size: self.max_layer_size.or(other.max_layer_size),
            max_wasted: self.max_wasted.or(other.max_wasted),
            min_efficiency: self.min_efficiency.or(other.min_efficiency),
        }
    }

    /// These gates (the command line's) over those of a config file's `image:` section; a bad
    /// value there is an error naming the config file (`config_path`).
    pub fn with_section(
        self,
        section: &ImageSection,
        config_path: Option<&Path>,
    ) -> crate::Result<Gates> {
        let from_file = from_section(section).map_err(|message| crate::Error::Config {
            path: config_path.map(Path::to_path_buf).unwrap_or_default(),
            message,
        })?;
        Ok(self.or(from_file))
    }

    /// True if no gate is set.
    pub fn is_empty(&self) -> bool {
        *self == Gates::default()
    }
}

/// A failed gate and by how much.
#[derive(Debug, Clone, PartialEq)]
pub struct GateFailure {
    /// Gate name as on the command line (`max-size`).
    pub gate: &'static str,
    /// Human explanation including the excess.
    pub message: String,
}

/// Parses `10%` or a size.
pub fn parse_limit(s: &str) -> Result<Limit, String> {
    if let Some(p) = s.trim().strip_suffix('%') {
        let v: f64 = p
            .trim()
            .parse()
            .map_err(|_| format!("invalid percentage {s:?}"))?;
        if !(0.0..=100.0).contains(&v) {
            return Err(format!("percentage {s:?} is not between 0 and 100"));
        }
        Ok(Limit::Percent(v))
    } else {
        parse_size(s).map(Limit::Bytes)
    }
}

/// Parses an efficiency: `0.9` or `90%`.
pub fn parse_efficiency(s: &str) -> Result<f64, String> {
    let v = if s.trim().ends_with('%') {
        match parse_limit(s)? {
            Limit::Percent(p) => p / 100.0,
            Limit::Bytes(b) => b as f64,
        }
    } else {
        s.trim()
            .parse::<f64>()
            .map_err(|_| format!("invalid efficiency {s:?} (use 0.9 or 90%)"))?
    };
    if !(0.0..=1.0).contains(&v) {
        return Err(format!("efficiency {s:?} is not between 0 and 1"));
    }
    Ok(v)
}

/// Checks every set gate; returns the failures (empty = pass).
pub fn check(r: &ImageReport, g: &Gates) -> Vec<GateFailure> {
    let mut out = Vec::new();
    if let Some(max) = g.max_size
        && r.totals.uncompressed_size > max
    {
        out.push(GateFailure {
            gate: "max-size",
            message: format!(
                "image is {} uncompressed, {} over the limit of {}",
                human(r.totals.uncompressed_size),
                human(r.totals.uncompressed_size - max),
                human(max)
            ),
        });
    }
    if let Some(max) = g.max_layer_size {
        for l in &r.layers {
            if l.uncompressed_size > max {
                out.push(GateFailure {
                    gate: "max-layer-size",
                    message: format!(
                        "layer {} ({}) is {}, {} over the limit of {}",
                        l.index,
                        l.created_by.as_deref().unwrap_or("?"),
                        human(l.uncompressed_size),
                        human(l.uncompressed_size - max),
                        human(max)
                    ),
                });
            }
        }
    }
    match g.max_wasted {
        Some(Limit::Bytes(max)) if r.totals.wasted_bytes > max => out.push(GateFailure {
            gate: "max-wasted",
            message: format!(
                "{} wasted, {} over the limit of {}",
                human(r.totals.wasted_bytes),
                human(r.totals.wasted_bytes - max),
                human(max)
            ),
        }),
        Some(Limit::Percent(max)) if r.totals.wasted_percent > max => out.push(GateFailure {
            gate: "max-wasted",
            message: format!(
                "{:.2}% wasted, {:.2} points over the limit of {max}%",
                r.totals.wasted_percent,
                r.totals.wasted_percent - max
            ),
        }),
        _ => {}
    }
    if let Some(min) = g.min_efficiency
        && r.totals.efficiency < min
    {
        out.push(GateFailure {
            gate: "min-efficiency",
            message: format!(
                "efficiency is {:.4}, {:.4} below the minimum of {min}",
                r.totals.efficiency,
                min - r.totals.efficiency
            ),
        });
    }
    out
}

/// The gates of a config file's `image:` section.
pub fn from_section(s: &ImageSection) -> Result<Gates, String> {
    let ctx = |k: &str, e: String| format!("image.{k}: {e}");
    Ok(Gates {
        max_size: s
            .max_size
            .as_ref()
            .map(|v| parse_size(&v.text()).map_err(|e| ctx("max-size", e)))
            .transpose()?,
        max_layer_size: s
            .max_layer_size
            .as_ref()
            .map(|v| parse_size(&v.text()).map_err(|e| ctx("max-layer-size", e)))
            .transpose()?,
        max_wasted: s
            .max_wasted
            .as_ref()
            .map(|v| parse_limit(&v.text()).map_err(|e| ctx("max-wasted", e)))
            .transpose()?,
        min_efficiency: s
            .min_efficiency
            .as_ref()
            .map(|v| parse_efficiency(&v.text()).map_err(|e| ctx("min-efficiency", e)))
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("10KB"), Ok(10_000));
        assert_eq!(parse_size("1.5MiB"), Ok(1_572_864));
        assert_eq!(parse_size("2G"), Ok(2_000_000_000));
        // `--max-size 1G` and `--max-growth 1G` mean the same number of bytes
        assert_eq!(
            parse_limit("1G"),
            Ok(Limit::Bytes(
                match "1G".parse::<crate::image::compare::Growth>() {
                    Ok(crate::image::compare::Growth::Bytes(b)) => b,
                    other => panic!("{other:?}"),
                }
            ))
        );
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5 parsecs").is_err());
        assert_eq!(parse_limit("12.5%"), Ok(Limit::Percent(12.5)));
        assert!(parse_limit("120%").is_err());
        assert_eq!(parse_efficiency("0.9"), Ok(0.9));
        assert_eq!(parse_efficiency("95%"), Ok(0.95));
        assert!(parse_efficiency("2").is_err());
    }
}
