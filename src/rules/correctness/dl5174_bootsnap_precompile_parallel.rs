//! DL5174: `bootsnap precompile` without `-j 1`. Bootsnap compiles with one worker process
//! per CPU by default, and those workers crash under QEMU, which `docker buildx` uses to build
//! the other platforms of a multi-platform image (rails/bootsnap#495); the Rails generator's
//! Dockerfile passes `-j 1` for that reason.

use crate::dockerfile::{Edit, Span};
use crate::lint::{Applicability, Context, Fix, Rule, RuleMeta, Severity};
use crate::shell::{Command, Word};

/// DL5174 `bootsnap-precompile-parallel`.
pub struct BootsnapPrecompileParallel;

impl Rule for BootsnapPrecompileParallel {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5174",
            name: "bootsnap-precompile-parallel",
            severity: Severity::Info,
            summary: "`bootsnap precompile` without `-j 1`: its parallel workers crash under the \
                      QEMU emulation of multi-platform builds",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        for run in &cx.analysis().runs {
            let Some(script) = &run.script else { continue };
            // a script that compares the platforms avoids the emulated path itself
            let text = df
                .instructions
                .get(run.index)
                .map(|i| i.args.text.as_str())
                .unwrap_or("");
            if text.contains("BUILDPLATFORM") && text.contains("TARGETPLATFORM") {
                continue;
            }
            for cmd in &script.commands {
                let Some(sub) = precompile_word(cmd) else {
                    continue;
                };
                if serial(cmd) {
                    continue;
                }
                let fix =
                    (!cmd.from_sh_c && sub.is_static && sub.span.text(&df.source) == sub.value)
                        .then(|| {
                            Fix::unsafe_edit(
                                "add `-j 1`",
                                vec![Edit {
                                    span: Span::new(sub.span.end, sub.span.end),
                                    replacement: " -j 1".into(),
                                }],
                            )
                        });
                cx.report_with_fix(
                    cmd.span,
                    "`bootsnap precompile` runs one worker per CPU, and the workers crash under \
                     the QEMU emulation `docker buildx` uses for other platforms \
                     (rails/bootsnap#495): add `-j 1`, as the Rails generator's Dockerfile does"
                        .to_string(),
                    fix,
                );
            }
        }
    }
}

/// The `precompile` word of `bootsnap precompile` (directly, or after `bundle exec`).
fn precompile_word(cmd: &Command) -> Option<&Word> {
    let argv = cmd.argv();
    let at = argv
        .iter()
        .position(|w| w.value == "bootsnap" || w.value.ends_with("/bootsnap"))?;
    // only as the command or behind `bundle exec` / `bin/bundle exec`
    let behind_bundle = at == 2
        && argv
            .first()
            .is_some_and(|w| w.value.rsplit('/').next() == Some("bundle"))
        && argv.get(1).is_some_and(|w| w.value == "exec");
    if at != 0 && !behind_bundle {
        return None;
    }
    argv.get(at + 1).filter(|w| w.value == "precompile")
}

/// `-j 1`, `-j1`, `-j=1`, `--jobs 1`, `--jobs=1` (or 0, which also means no workers).
fn serial(cmd: &Command) -> bool {
    let one = |v: &str| matches!(v, "0" | "1");
    let args = cmd.args();
    args.iter().enumerate().any(|(k, w)| {
        let v = w.value.as_str();
        let next = || args.get(k + 1).is_some_and(|n| one(&n.value));
        match v {
            "-j" | "--jobs" => next(),
            _ => v
                .strip_prefix("--jobs=")
                .or_else(|| v.strip_prefix("-j=").or_else(|| v.strip_prefix("-j")))
                .is_some_and(one),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_parallel_precompiles() {
        let src = "FROM ruby:3.3\n\
                   RUN bundle install && bundle exec bootsnap precompile --gemfile\n\
                   RUN bundle exec bootsnap precompile app/ lib/\n\
                   RUN bootsnap precompile -j 4 app/\n";
        assert_eq!(lines(&BootsnapPrecompileParallel, src), [2, 3, 4]);
    }

    #[test]
    fn accepts_serial_or_platform_guarded_precompiles() {
        let src = "FROM ruby:3.3\n\
                   ARG BUILDPLATFORM\n\
                   ARG TARGETPLATFORM\n\
                   RUN bundle exec bootsnap precompile -j 1 --gemfile\n\
                   RUN bundle exec bootsnap precompile --jobs=1 app/ && bootsnap precompile -j0 lib/\n\
                   RUN if [ \"$BUILDPLATFORM\" = \"$TARGETPLATFORM\" ]; then bootsnap precompile app/; fi\n\
                   RUN bundle exec bootsnap doctor && echo bootsnap precompile\n";
        assert!(lines(&BootsnapPrecompileParallel, src).is_empty());
    }

    #[test]
    fn fix_adds_one_job() {
        assert_eq!(
            fixed(
                &BootsnapPrecompileParallel,
                "FROM ruby:3.3\nRUN bundle exec bootsnap precompile app/ lib/\n"
            ),
            "FROM ruby:3.3\nRUN bundle exec bootsnap precompile -j 1 app/ lib/\n"
        );
    }
}
