//! DL5161: `go build` with cgo on, whose binary is copied into a final stage that has no C
//! library (`scratch`, `gcr.io/distroless/static`, `cgr.dev/chainguard/static`). The golang
//! images have gcc, so `CGO_ENABLED` defaults to 1 there, and a program that imports `net` or
//! `os/user` links against glibc: in the final stage it fails to start with "no such file or
//! directory" (its dynamic loader is missing).

use crate::dockerfile::{ImageRef, Keyword, Span};
use crate::lint::{Applicability, Context, Edit, Fix, Rule, RuleMeta, Severity};
use crate::rules::packages::dl5159_redundant_bundler_install::root_image;
use crate::semantic::SemanticModel;
use crate::shell::Command;
use crate::shell::pkg::{C_COMPILER_PACKAGES, Toolchain, builds, go_image_with_gcc, invocations};

/// DL5161 `cgo-enabled-static-target`.
pub struct CgoEnabledStaticTarget;

impl Rule for CgoEnabledStaticTarget {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5161",
            name: "cgo-enabled-static-target",
            severity: Severity::Warning,
            summary: "go build with cgo on (CGO_ENABLED unset or 1) for a binary copied into a \
                      scratch or distroless static stage",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let Some(last) = model.final_stage() else {
            return;
        };
        let Some(target) = root_image(model, last) else {
            return;
        };
        if !has_no_libc(target) {
            return;
        }
        // COPY --from=<stage> into the final stage (or the stages it is built on)
        let mut copies: Vec<(usize, Vec<String>)> = Vec::new();
        for &s in &model.stage_chain(last) {
            let Some(st) = df.stages.get(s) else { continue };
            for ins in st
                .instructions
                .iter()
                .filter_map(|&i| df.instructions.get(i))
            {
                if ins.keyword != Keyword::Copy {
                    continue;
                }
                let Some(from) = ins.flag_value("from") else {
                    continue;
                };
                let Some(src) = model.stage_named(from, Some(s)) else {
                    continue;
                };
                let sources = match &ins.kind {
                    crate::dockerfile::InstructionKind::Copy { sources, .. } => {
                        sources.iter().map(|w| w.value.clone()).collect()
                    }
                    _ => Vec::new(),
                };
                copies.push((src, sources));
            }
        }
        let mut seen: Vec<usize> = Vec::new();
        for (src, sources) in &copies {
            for &s in &model.stage_chain(*src) {
                if seen.contains(&s) {
                    continue;
                }
                seen.push(s);
                check_builder(cx, model, s, sources, target);
            }
        }
    }
}

/// `scratch` and the distroless/chainguard `static` images: no C library, no dynamic loader.
fn has_no_libc(image: &ImageRef) -> bool {
    let name = image.name.to_ascii_lowercase();
    (image.registry.is_none() && name == "scratch")
        || name.ends_with("distroless/static")
        || name.contains("distroless/static-")
        || name.ends_with("chainguard/static")
}

/// Reports the `go build`s of stage `s` that run with cgo on and whose output one of
/// `sources` copies.
fn check_builder(
    cx: &mut Context<'_>,
    model: &SemanticModel<'_>,
    s: usize,
    sources: &[String],
    target: &ImageRef,
) {
    let Some(base) = root_image(model, s) else {
        return;
    };
    let chain = model.stage_chain(s);
    let a = cx.analysis();
    // the golang images have gcc, the alpine ones not (cgo is then off by itself) unless the
    // build installs a C compiler
    let golang_gcc = go_image_with_gcc(base);
    let installs_cc = chain.iter().any(|&c| {
        a.stage_runs(c).any(|r| {
            r.script.as_ref().is_some_and(|script| {
                invocations(script)
                    .iter()
                    .filter(|i| i.is_install())
                    .any(|i| {
                        i.packages()
                            .iter()
                            .any(|p| C_COMPILER_PACKAGES.contains(&p.name.as_str()))
                    })
            })
        })
    });
    if !(golang_gcc || installs_cc) {
        return;
    }
    let mut disabled_before = false;
    let runs: Vec<_> = chain.iter().rev().flat_map(|&c| a.stage_runs(c)).collect();
    for run in runs {
        let Some(script) = &run.script else { continue };
        let go_builds: Vec<usize> = builds(script, &|n| model.var(run.index, n))
            .iter()
            .filter(|b| b.toolchain() == Toolchain::Go)
            .map(|b| b.index)
            .collect();
        for (k, c) in script.commands.iter().enumerate() {
            if disables_cgo(c) {
                disabled_before = true;
            }
            if disabled_before || !go_builds.contains(&k) || run.stage != Some(s) {
                continue;
            }
            if model
                .var(run.index, "CGO_ENABLED")
                .is_some_and(|v| v.trim() != "1")
            {
                continue;
            }
            if links_statically(c) || !copied(c, sources) {
                continue;
            }
            let shown = target.raw.clone();
            let fix = (!c.nested && !c.from_sh_c).then(|| {
                Fix::unsafe_edit(
                    "run the build with CGO_ENABLED=0 (a program that needs cgo then fails to build)",
                    vec![Edit {
                        span: Span::new(c.span.start, c.span.start),
                        replacement: "CGO_ENABLED=0 ".to_string(),
                    }],
                )
            });
            cx.report_with_fix(
                c.span,
                format!(
                    "`go build` runs with cgo on (CGO_ENABLED is 1 by default where gcc is \
                     installed) and its binary is copied into `{shown}`, which has no C \
                     library: a program that imports `net` or `os/user` links against libc and \
                     fails there with \"no such file or directory\"; set CGO_ENABLED=0 \
                     (`ENV CGO_ENABLED=0`, or `CGO_ENABLED=0 go build`)"
                ),
                fix,
            );
        }
    }
}

/// `CGO_ENABLED=0` set by this command: an assignment on it, `export`/`env`, `go env -w`; or
/// a value from a variable (`CGO_ENABLED=${CGO}`), which the build may set to 0.
fn disables_cgo(c: &Command) -> bool {
    let sets = |s: &str| {
        s.strip_prefix("CGO_ENABLED=")
            .is_some_and(|v| v.trim_matches(['"', '\'']) != "1")
    };
    c.assignments.iter().any(|a| sets(a)) || c.words.iter().any(|w| sets(&w.value))
}

/// Flags that link statically or drop the cgo parts of the standard library.
fn links_statically(c: &Command) -> bool {
    c.args().iter().any(|w| {
        let v = w.value.as_str();
        v.contains("-static") || v.contains("netgo") || !w.is_static && v.contains("LDFLAGS")
    })
}

/// True when a COPY source can be the binary: the `-o` path or a directory above it, any
/// source when the output is relative or unnamed (it lands in the working directory).
fn copied(c: &Command, sources: &[String]) -> bool {
    let args = c.args();
    let out = args
        .windows(2)
        .find(|w| w[0].value == "-o")
        .map(|w| w[1].value.as_str())
        .or_else(|| args.iter().find_map(|w| w.value.strip_prefix("-o=")));
    let Some(out) = out.filter(|o| o.starts_with('/')) else {
        return true;
    };
    sources.iter().any(|s| {
        let s = s.trim_end_matches('/');
        s.is_empty()
            || s.contains(['*', '$', '?'])
            || out == s
            || out.strip_prefix(s).is_some_and(|r| r.starts_with('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_builds_with_cgo_on_copied_into_scratch_or_static() {
        let src = "FROM golang:1.22 AS build\n\
                   WORKDIR /src\n\
                   COPY . .\n\
                   RUN go build -o /out/server ./cmd/server\n\
                   FROM scratch\n\
                   COPY --from=build /out/server /server\n\
                   ENTRYPOINT [\"/server\"]\n";
        assert_eq!(lines(&CgoEnabledStaticTarget, src), [4]);
        let src = "FROM golang:1.22-alpine AS build\n\
                   RUN apk add --no-cache gcc musl-dev\n\
                   RUN go build -o /app .\n\
                   FROM gcr.io/distroless/static-debian12:nonroot\n\
                   COPY --from=build /app /app\n";
        assert_eq!(lines(&CgoEnabledStaticTarget, src), [3]);
    }

    #[test]
    fn accepts_cgo_off_static_links_and_libc_targets() {
        for src in [
            "FROM golang:1.22 AS b\nENV CGO_ENABLED=0\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n",
            "FROM golang:1.22 AS b\nRUN CGO_ENABLED=0 GOOS=linux go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n",
            "FROM golang:1.22 AS b\nRUN go env -w CGO_ENABLED=0\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n",
            "FROM golang:1.22 AS b\nRUN export CGO_ENABLED=0 && go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n",
            "FROM golang:1.22-alpine AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n",
            "FROM golang:1.22 AS b\nRUN go build -tags netgo,osusergo -ldflags '-extldflags \"-static\"' -o /app .\nFROM scratch\nCOPY --from=b /app /app\n",
            "FROM golang:1.22 AS b\nRUN go build -o /app .\nFROM gcr.io/distroless/base-debian12\nCOPY --from=b /app /app\n",
            "FROM golang:1.22 AS b\nRUN go build -o /app .\nFROM debian:12-slim\nCOPY --from=b /app /app\n",
            "FROM golang:1.22 AS b\nRUN go build -o /app .\nRUN go build -o /tool ./tool\nFROM scratch\nCOPY --from=b /etc/ssl/certs /etc/ssl/certs\n",
        ] {
            assert!(lines(&CgoEnabledStaticTarget, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_prefixes_the_command() {
        let src = "FROM golang:1.22 AS b\nRUN go mod download && GOOS=linux go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n";
        assert_eq!(
            fixed(&CgoEnabledStaticTarget, src),
            "FROM golang:1.22 AS b\nRUN go mod download && CGO_ENABLED=0 GOOS=linux go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n"
        );
    }

    #[test]
    fn wrapped_builds() {
        for build in [
            "sh -c 'go build -o /app .'",
            "/usr/local/go/bin/go build -o /app .",
            "sudo go -C cmd/server build -o /app",
            "GOOS=linux $GO_BUILD",
        ] {
            let src = format!(
                "FROM golang:1.22 AS b\nARG GO_BUILD=\"go build -o /app .\"\nRUN {build}\n\
                 FROM scratch\nCOPY --from=b /app /app\n"
            );
            let want: &[usize] = if build.contains("$GO_BUILD") {
                &[]
            } else {
                &[3]
            };
            // a whole command in a variable is not resolved (only sub-commands and goals are)
            assert_eq!(lines(&CgoEnabledStaticTarget, &src), want, "{src}");
        }
        // no fix inside `sh -c` (the prefix would land in the quoted string's parent)
        let src = "FROM golang:1.22 AS b\nRUN sh -c 'go build -o /app .'\nFROM scratch\nCOPY --from=b /app /app\n";
        assert_eq!(fixed(&CgoEnabledStaticTarget, src), src);
    }
}
