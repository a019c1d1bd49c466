//! The command-line spelling of the library's option enums: clap's [`ValueEnum`] is
//! implemented here, so the library's types carry no clap derive.

use crate::report::compare::CompareFormat;
use crate::report::optimize::Format as OptimizeFormat;
use crate::report::rules::RulesFormat;
use crate::report::{ColorChoice, Format};
use clap::ValueEnum;
use clap::builder::PossibleValue;

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        Format::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            Format::Text => "rustc-style code frames for people (default)",
            Format::Compact => "One line per finding: `path:line:col: severity RULE message`",
            Format::Json => "One JSON document per run (schema in docs/ci-and-hooks.md)",
            Format::Sarif => "SARIF 2.1.0, for GitHub code scanning",
            Format::Gitlab => "GitLab Code Quality report",
            Format::Checkstyle => "Checkstyle XML",
            Format::Junit => "JUnit XML, one testcase per rule per file",
            Format::Github => "GitHub Actions workflow commands (inline PR annotations)",
        };
        Some(
            PossibleValue::new(self.as_str())
                .help(help)
                .aliases(self.aliases().iter().copied()),
        )
    }
}

impl ValueEnum for ColorChoice {
    fn value_variants<'a>() -> &'a [Self] {
        &[ColorChoice::Auto, ColorChoice::Always, ColorChoice::Never]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            ColorChoice::Auto => PossibleValue::new("auto")
                .help("Colour when stdout is a terminal and `NO_COLOR` is unset"),
            ColorChoice::Always => PossibleValue::new("always"),
            ColorChoice::Never => PossibleValue::new("never"),
        })
    }
}

impl ValueEnum for CompareFormat {
    fn value_variants<'a>() -> &'a [Self] {
        CompareFormat::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let help = match self {
            CompareFormat::Text => "Aligned text tables",
            CompareFormat::Json => "One JSON document",
            CompareFormat::Markdown => "Compact Markdown for a merge-request comment",
            CompareFormat::Html => "One self-contained HTML file (inline CSS and SVG, no scripts)",
        };
        Some(PossibleValue::new(self.as_str()).help(help))
    }
}

impl ValueEnum for RulesFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[RulesFormat::Table, RulesFormat::Markdown, RulesFormat::Json]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            RulesFormat::Table => PossibleValue::new("table").help("Aligned columns"),
            RulesFormat::Markdown => {
                PossibleValue::new("markdown").help("The Markdown table of docs/rules.md")
            }
            RulesFormat::Json => PossibleValue::new("json").help("A JSON array"),
        })
    }
}

impl ValueEnum for OptimizeFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            OptimizeFormat::Text,
            OptimizeFormat::Json,
            OptimizeFormat::Markdown,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            OptimizeFormat::Text => PossibleValue::new("text").help("Ranked table"),
            OptimizeFormat::Json => PossibleValue::new("json")
                .help("JSON, schema `dlint-optimize/1` (docs/optimize-schema.md)"),
            OptimizeFormat::Markdown => {
                PossibleValue::new("markdown").help("Markdown for a merge-request comment")
            }
        })
    }
}
