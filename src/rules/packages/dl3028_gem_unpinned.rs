//! DL3028: Pin versions in `gem install`.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::Manager;

/// DL3028 `gem-unpinned`.
pub struct GemUnpinned;

impl Rule for GemUnpinned {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL3028",
            name: "gem-unpinned",
            severity: Severity::Warning,
            summary: "Pin versions in `gem install`",
            fix: None,
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        super::unpinned(
            cx,
            &[Manager::Gem],
            |inv| inv.has(&["-v", "--version"]),
            |_, p| {
                format!(
                    "pin the version of `{}` in `gem install` (`{}:<version>` or `-v`)",
                    p.name, p.name
                )
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn pins() {
        assert_eq!(
            lines(&GemUnpinned, "FROM ruby:3\nRUN gem install bundler\n"),
            [2]
        );
        assert!(lines(&GemUnpinned, "FROM ruby:3\nRUN gem install bundler:2.5.0\n").is_empty());
        assert!(
            lines(
                &GemUnpinned,
                "FROM ruby:3\nRUN gem install bundler -v 2.5.0\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn unknown_options_may_take_a_value() {
        for src in [
            "FROM ruby:3\nRUN gem install bundler:2.0.1 --use-system-libraries true\n",
            "FROM ruby:3\nRUN gem install bundler:2.0.1 --use-system-libraries=true\n",
            "FROM ruby:3\nRUN gem install --with-opt-dir /opt bundler:2.0.1\n",
        ] {
            assert!(lines(&GemUnpinned, src).is_empty(), "{src}");
        }
        // gem's own switches and `--no-` negations take no value: the gem after them counts
        for src in [
            "FROM ruby:3\nRUN gem install --no-document rails\n",
            "FROM ruby:3\nRUN gem install --conservative rails\n",
            "FROM ruby:3\nRUN gem install -N rails\n",
            "FROM ruby:3\nRUN gem install bundler:2.0.1 --use-system-libraries --force rails\n",
        ] {
            assert_eq!(lines(&GemUnpinned, src), [2], "{src}");
        }
    }
}
