//! DL5179: `pip install` of a tool that only builds Python packages (Cython, maturin,
//! scikit-build, meson-python, the `build` frontend, build backends ...) in a stage that ends up
//! in the image, with no `pip uninstall` of it later in the stage: it compiled the packages
//! installed after it and stays in the image without being used at run time. `pip`,
//! `setuptools` and `wheel` are not reported: Python's own images ship them, and setuptools'
//! `pkg_resources` is still imported at run time by some programs.

use crate::lint::{Context, Rule, RuleMeta, Severity};
use crate::shell::pkg::{Manager, invocation, invocations};

/// DL5179 `pip-build-tool-in-image`.
pub struct PipBuildToolInImage;

impl Rule for PipBuildToolInImage {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5179",
            name: "pip-build-tool-in-image",
            severity: Severity::Info,
            summary: "pip installs a build-only tool (Cython, maturin, scikit-build, build ...) \
                      into a stage of the final image and leaves it there",
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let a = cx.analysis();
        for stage in &df.stages {
            if !model.in_final_image(Some(stage.index))
                || stage
                    .name
                    .as_deref()
                    .is_some_and(|n| BUILD_STAGES.contains(&n.to_ascii_lowercase().as_str()))
            {
                continue;
            }
            let runs: Vec<_> = a.stage_runs(stage.index).filter(|r| !r.onbuild).collect();
            // every `pip uninstall` operand of the stage, normalised
            let uninstalled: Vec<String> = runs
                .iter()
                .filter_map(|r| r.script.as_ref())
                .flat_map(|s| s.commands.iter())
                .filter_map(|c| invocation(0, c))
                .filter(|i| i.manager == Manager::Pip && i.sub() == "uninstall")
                .flat_map(|i| {
                    i.operands
                        .iter()
                        .map(|w| normalize(&w.value))
                        .collect::<Vec<_>>()
                })
                .collect();
            for run in &runs {
                let Some(script) = &run.script else { continue };
                for inv in invocations(script) {
                    if inv.manager != Manager::Pip || inv.sub() != "install" {
                        continue;
                    }
                    for p in inv.packages() {
                        let name = normalize(&p.name);
                        let Some(what) = build_tool(&name) else {
                            continue;
                        };
                        if p.is_path || uninstalled.contains(&name) {
                            continue;
                        }
                        cx.report(
                            p.span,
                            format!(
                                "`{}` {what}: it is needed only while packages are built and \
                                 stays in the image; build wheels in a build stage and install \
                                 them in the final one, or `pip uninstall -y {}` once the \
                                 build is done",
                                p.name, p.name
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// Stage names that say the stage is for building or development, not shipped as is.
const BUILD_STAGES: &[&str] = &["dev", "development", "test", "testing", "ci", "debug"];

/// PEP 503 name: lowercase, runs of `-_.` as one `-`.
pub(crate) fn normalize(name: &str) -> String {
    crate::image::packages::lang::normalize_python(name)
}

/// The build-only tools by normalised distribution name, with what each is (the optimizer
/// captures these distributions' `RECORD` files: `crate::optimize::CAPTURE_GLOBS` names them).
pub(crate) const BUILD_TOOLS: &[(&str, &str)] = &[
    (
        "cython",
        "compiles Cython and Python modules to C extensions",
    ),
    ("build", "is a frontend that builds wheels and sdists"),
    ("maturin", "builds Rust extensions"),
    ("setuptools-rust", "builds Rust extensions"),
    ("scikit-build", "builds compiled extensions"),
    ("scikit-build-core", "builds compiled extensions"),
    ("meson-python", "builds compiled extensions"),
    ("meson", "builds compiled extensions"),
    ("ninja", "builds compiled extensions"),
    ("cmake", "builds compiled extensions"),
    (
        "pybind11",
        "holds the C++ headers extensions are compiled against",
    ),
    (
        "nanobind",
        "holds the C++ headers extensions are compiled against",
    ),
    ("setuptools-scm", "is a build backend"),
    ("poetry-core", "is a build backend"),
    ("hatchling", "is a build backend"),
    ("flit-core", "is a build backend"),
    ("pdm-backend", "is a build backend"),
];

/// What a build-only tool is, by its normalised distribution name.
fn build_tool(name: &str) -> Option<&'static str> {
    BUILD_TOOLS.iter().find(|t| t.0 == name).map(|t| t.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::lines;

    #[test]
    fn flags_build_tools_left_in_the_final_stage() {
        let src = "FROM python:3.8-alpine\n\
                   RUN apk add --no-cache build-base \\\n \
                   && pip install --no-cache-dir cython numpy \\\n \
                   && pip install --no-cache-dir 'Cython<3' scikit_build==0.17 psycopg2 \\\n \
                   && apk del build-base\n";
        assert_eq!(lines(&PipBuildToolInImage, src), [3, 4, 4]);
        let src = "FROM python:3.12 AS builder\nRUN pip install build && python -m build\n\
                   FROM python:3.12\nCOPY --from=builder /dist /dist\n\
                   RUN python -m pip install maturin\n";
        assert_eq!(lines(&PipBuildToolInImage, src), [5]);
    }

    #[test]
    fn accepts_build_stages_uninstalls_and_base_tools() {
        for src in [
            "FROM python:3.12 AS build\nRUN pip install cython && pip wheel -w /w .\n\
             FROM python:3.12\nCOPY --from=build /w /w\nRUN pip install /w/*.whl\n",
            "FROM python:3.12\nRUN pip install cython && pip install . && pip uninstall -y Cython\n",
            "FROM python:3.12\nRUN pip install --upgrade pip setuptools wheel\n",
            "FROM python:3.12\nRUN pip install numpy cythonize-helper\n",
            "FROM python:3.12 AS dev\nRUN pip install build\n",
        ] {
            assert!(lines(&PipBuildToolInImage, src).is_empty(), "{src}");
        }
    }
}
