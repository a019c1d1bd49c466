//! DL5172: `bundle install` with an option Bundler 2.1 deprecated and Bundler 4 removes: the
//! options that were remembered in the app's configuration (`--without`, `--with`,
//! `--deployment`, `--frozen`, `--path`, `--system`, `--clean`, `--no-prune`, `--shebang`),
//! `--binstubs` (now the `bundle binstubs` command) and `--force` (renamed `--redownload`).
//! A bare `bundle` is reported too: Bundler 4 prints its help there instead of installing.

use crate::dockerfile::{Dockerfile, Edit, Span};
use crate::lint::{Applicability, Context, Fix, Rule, RuleMeta, Severity};
use crate::shell::pkg::{Manager, invocations};
use crate::shell::{Command, Op, Word};

/// DL5172 `deprecated-bundler-install-flags`.
pub struct DeprecatedBundlerInstallFlags;

impl Rule for DeprecatedBundlerInstallFlags {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5172",
            name: "deprecated-bundler-install-flags",
            severity: Severity::Warning,
            summary: "`bundle install` with an option Bundler 2.1 deprecated and Bundler 4 \
                      removes (`--without`, `--deployment`, `--path` ...)",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for run in &cx.analysis().runs {
            let Some(script) = &run.script else { continue };
            for inv in invocations(script) {
                if inv.manager != Manager::Bundle || !inv.installs_project() {
                    continue;
                }
                let flags = deprecated_flags(inv.cmd.args());
                if flags.is_empty() {
                    if inv.sub.is_none() && inv.cmd.args().is_empty() {
                        bare_bundle(cx, df, inv.cmd);
                    }
                    continue;
                }
                let fix = config_fix(df, inv.cmd, &flags);
                let names: Vec<String> = flags.iter().map(|f| format!("`{}`", f.flag)).collect();
                let advice: Vec<String> = flags.iter().map(Flag::advice).collect();
                cx.report_with_fix(
                    inv.cmd.span,
                    format!(
                        "`bundle install` with {}: deprecated since Bundler 2.1 and removed in \
                         Bundler 4; {}",
                        names.join(", "),
                        advice.join("; ")
                    ),
                    fix,
                );
            }
        }
    }
}

/// A bare `bundle`: Bundler 4 prints its usage instead of installing.
fn bare_bundle(cx: &mut Context<'_>, df: &Dockerfile, cmd: &Command) {
    let Some(name) = cmd.argv().first() else {
        return;
    };
    let fix =
        (!cmd.from_sh_c && name.is_static && name.span.text(&df.source) == name.value).then(|| {
            Fix::unsafe_edit(
                "write `bundle install`",
                vec![Edit {
                    span: Span::new(name.span.end, name.span.end),
                    replacement: " install".into(),
                }],
            )
        });
    cx.report_with_fix(
        cmd.span,
        "a bare `bundle` installs the bundle up to Bundler 2.x, but Bundler 4 prints its usage \
         instead: write `bundle install`"
            .to_string(),
        fix,
    );
}

/// How a deprecated option is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A setting: `bundle config set --local KEY VALUE` (`None`: the value the option took).
    Setting(&'static str, Option<&'static str>),
    /// `--force`: renamed `--redownload`.
    Renamed(&'static str),
    /// `--binstubs`: the `bundle binstubs` command.
    Command,
}

/// The deprecated options of `bundle install` (Bundler's `cli.rb`, `bundler.io/doc/upgrading`):
/// name, whether it takes values (1: one, 2: a list), replacement.
const DEPRECATED: &[(&str, u8, Kind)] = &[
    ("--without", 2, Kind::Setting("without", None)),
    ("--with", 2, Kind::Setting("with", None)),
    ("--deployment", 0, Kind::Setting("deployment", Some("true"))),
    (
        "--no-deployment",
        0,
        Kind::Setting("deployment", Some("false")),
    ),
    ("--frozen", 0, Kind::Setting("frozen", Some("true"))),
    ("--path", 1, Kind::Setting("path", None)),
    ("--system", 0, Kind::Setting("path.system", Some("true"))),
    ("--clean", 0, Kind::Setting("clean", Some("true"))),
    ("--no-prune", 0, Kind::Setting("no_prune", Some("true"))),
    ("--shebang", 1, Kind::Setting("shebang", None)),
    ("--force", 0, Kind::Renamed("--redownload")),
    ("--binstubs", 0, Kind::Command),
];

/// One deprecated option as written, with its values.
#[derive(Debug)]
struct Flag<'a> {
    flag: &'static str,
    kind: Kind,
    /// The option word and the words of its values (`--without development test`).
    words: Vec<&'a Word>,
    /// The values (an `=value` part included).
    values: Vec<String>,
}

impl Flag<'_> {
    /// The setting's value as `bundle config set` takes it.
    fn value(&self) -> String {
        match self.kind {
            Kind::Setting(_, Some(v)) => v.to_string(),
            _ => self.values.join(" "),
        }
    }

    fn advice(&self) -> String {
        match self.kind {
            Kind::Setting(key, _) => {
                let value = self.value();
                // a value with an expansion keeps it: double quotes
                let quoted = if value.contains('$') {
                    format!("\"{value}\"")
                } else {
                    format!("'{value}'")
                };
                format!(
                    "use `bundle config set --local {key} {quoted}` or `ENV {}=\"{value}\"`",
                    env_name(key)
                )
            }
            Kind::Renamed(new) => format!("`{}` is now `{new}`", self.flag),
            Kind::Command => {
                "run `bundle binstubs <gem>` for the executables the image needs".to_string()
            }
        }
    }
}

/// The variable of a Bundler setting: `path.system` -> `BUNDLE_PATH__SYSTEM`.
fn env_name(key: &str) -> String {
    format!("BUNDLE_{}", key.to_ascii_uppercase().replace('.', "__"))
}

/// The deprecated options among `args`, with the words they consume (Thor's rules: a list
/// option takes every following word up to the next option, a string option one word, and
/// `--opt=value` starts the values).
fn deprecated_flags(args: &[Word]) -> Vec<Flag<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(w) = args.get(i) {
        i += 1;
        let (name, inline) = match w.value.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (w.value.as_str(), None),
        };
        let Some(&(flag, arity, kind)) = DEPRECATED.iter().find(|d| d.0 == name) else {
            continue;
        };
        let mut words = vec![w];
        let mut values: Vec<String> = inline.map(str::to_string).into_iter().collect();
        let wants_more = match arity {
            0 => false,
            1 => inline.is_none(),
            _ => true,
        };
        while wants_more && let Some(v) = args.get(i) {
            if v.value.starts_with('-') {
                break;
            }
            words.push(v);
            values.push(v.value.clone());
            i += 1;
            if arity == 1 {
                break;
            }
        }
        out.push(Flag {
            flag,
            kind,
            words,
            values,
        });
    }
    out
}

/// The fix: each remembered option becomes a `bundle config set --local` run before the
/// install, and is deleted from it; `--force` becomes `--redownload`. `None` when a word is
/// not plain text in the Dockerfile, the command cannot take a command in front of it (after
/// `||` or `|`), or an option has no mechanical replacement (`--binstubs`).
fn config_fix(df: &Dockerfile, cmd: &Command, flags: &[Flag<'_>]) -> Option<Fix> {
    if cmd.from_sh_c || matches!(cmd.op_before, Some(Op::Or | Op::Pipe | Op::Background)) {
        return None;
    }
    let plain = |w: &Word| w.is_static && w.span.text(&df.source) == w.value;
    let mut edits = Vec::new();
    let mut settings = Vec::new();
    for f in flags {
        if !f.words.iter().all(|w| plain(w)) {
            return None;
        }
        match f.kind {
            Kind::Command => return None,
            Kind::Renamed(new) => edits.push(Edit {
                span: f.words[0].span,
                replacement: new.to_string(),
            }),
            Kind::Setting(key, _) => {
                let value = f.value();
                if value.is_empty() || value.contains('\'') {
                    return None;
                }
                settings.push(format!("bundle config set --local {key} '{value}' && "));
                let first = f.words[0];
                let last = f.words.last().copied().unwrap_or(first);
                // from the end of the word before the option, so no blank is left behind
                let before = cmd
                    .words
                    .iter()
                    .take_while(|w| w.span.start < first.span.start)
                    .last()?;
                edits.push(Edit {
                    span: Span::new(before.span.end, last.span.end),
                    replacement: String::new(),
                });
            }
        }
    }
    if !settings.is_empty() {
        let at = cmd.words.first()?.span.start.min(cmd.span.start);
        edits.push(Edit {
            span: Span::new(at, at),
            replacement: settings.concat(),
        });
    }
    Some(Fix::unsafe_edit(
        "set the options with `bundle config set --local` before the install",
        merge_adjacent(edits),
    ))
}

/// Deletions that touch are merged into one edit (the fix engine wants disjoint edits).
fn merge_adjacent(mut edits: Vec<Edit>) -> Vec<Edit> {
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out: Vec<Edit> = Vec::with_capacity(edits.len());
    for e in edits {
        if let Some(prev) = out.last_mut()
            && prev.replacement.is_empty()
            && e.replacement.is_empty()
            && prev.span.end == e.span.start
            && e.span.start < e.span.end
        {
            prev.span = Span::new(prev.span.start, e.span.end);
            continue;
        }
        out.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_deprecated_options() {
        let src = "FROM ruby:3.3\n\
                   RUN bundle install --deployment --without development test\n\
                   RUN bundle install --path=vendor/bundle -j4\n\
                   RUN bundle install --system --binstubs\n\
                   RUN bundle install --force\n\
                   RUN bundle\n\
                   RUN bundle check || bundle install --with=$GROUPS\n";
        assert_eq!(
            lines(&DeprecatedBundlerInstallFlags, src),
            [2, 3, 4, 5, 6, 7]
        );
    }

    #[test]
    fn accepts_configured_installs() {
        let src = "FROM ruby:3.3\n\
                   ENV BUNDLE_WITHOUT=development\n\
                   RUN bundle config set --local without 'development test' && bundle install -j4\n\
                   RUN bundle install --jobs 4 --retry 3 --no-cache\n\
                   RUN bundle exec rake assets:precompile && bundle --version\n\
                   RUN gem install bundler --without-docs\n";
        assert!(lines(&DeprecatedBundlerInstallFlags, src).is_empty());
    }

    #[test]
    fn fix_sets_the_options_with_bundle_config() {
        assert_eq!(
            fixed(
                &DeprecatedBundlerInstallFlags,
                "FROM ruby:3.3\nRUN bundle install --deployment --without development test -j4\n"
            ),
            "FROM ruby:3.3\nRUN bundle config set --local deployment 'true' && bundle config set \
             --local without 'development test' && bundle install -j4\n"
        );
        assert_eq!(
            fixed(
                &DeprecatedBundlerInstallFlags,
                "FROM ruby:3.3\nRUN apk add build-base && bundle install --path vendor/bundle\n"
            ),
            "FROM ruby:3.3\nRUN apk add build-base && bundle config set --local path \
             'vendor/bundle' && bundle install\n"
        );
        assert_eq!(
            fixed(
                &DeprecatedBundlerInstallFlags,
                "FROM ruby:3.3\nRUN bundle install --force && bundle\n"
            ),
            "FROM ruby:3.3\nRUN bundle install --redownload && bundle install\n"
        );
    }

    #[test]
    fn no_fix_where_a_command_cannot_go_first() {
        for src in [
            "FROM ruby:3.3\nRUN bundle check || bundle install --without test\n",
            "FROM ruby:3.3\nRUN bundle install --without $GROUPS\n",
            "FROM ruby:3.3\nRUN bundle install --binstubs\n",
        ] {
            assert_eq!(fixed(&DeprecatedBundlerInstallFlags, src), src, "{src}");
        }
    }
}
