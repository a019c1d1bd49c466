//! `dlint rules`: list every rule.

use crate::Result;
use crate::lint::Registry;
use std::process::ExitCode;

/// Output formats of `dlint rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RulesFormat {
    /// Aligned columns.
    Table,
    /// The README's Markdown table.
    Markdown,
    /// A JSON array.
    Json,
}

/// Arguments of `dlint rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: RulesFormat,
}

/// The text `dlint rules` prints.
pub fn render(registry: &Registry, format: RulesFormat) -> String {
    match format {
        RulesFormat::Markdown => registry.markdown_table(),
        RulesFormat::Json => {
            let v: Vec<serde_json::Value> = registry
                .infos()
                .iter()
                .map(|i| {
                    serde_json::json!({
                        "id": i.id,
                        "name": i.name,
                        "severity": i.severity,
                        "category": i.category,
                        "fixable": i.fixable,
                        "enabled_by_default": i.default_enabled,
                        "summary": i.summary,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
        }
        RulesFormat::Table => {
            let w = registry
                .infos()
                .iter()
                .map(|i| i.name.len())
                .max()
                .unwrap_or(4)
                .max(4);
            let mut out = format!(
                "{:<7} {:<w$} {:<8} {:<13} {:<7} {}\n",
                "ID", "NAME", "SEVERITY", "CATEGORY", "FIXABLE", "SUMMARY"
            );
            for i in registry.infos() {
                let sev = if i.default_enabled {
                    i.severity.to_string()
                } else {
                    "off".to_string()
                };
                out.push_str(&format!(
                    "{:<7} {:<w$} {:<8} {:<13} {:<7} {}\n",
                    i.id,
                    i.name,
                    sev,
                    i.category,
                    if i.fixable { "yes" } else { "no" },
                    i.summary
                ));
            }
            out
        }
    }
}

/// Runs `dlint rules`.
pub fn run(args: RulesArgs) -> Result<ExitCode> {
    super::output::print_stdout(&render(Registry::global(), args.format))?;
    Ok(ExitCode::SUCCESS)
}
