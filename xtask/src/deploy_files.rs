//! The deployment files under `deploy/` checked by tools from PyPI, installed into a virtual
//! environment of their own (`target/tools/python`): yamllint over every YAML file, the
//! Kubernetes manifests against the Kubernetes schemas (`kubernetes-validate --strict`: an
//! unknown field fails), the Compose file against the Compose specification's schema
//! (`check-jsonschema`). And the release's version where the files name the image, and in
//! CHANGELOG.md.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, anyhow};

use crate::shell::{Result, command, root, run};

/// The PyPI tools, pinned.
const PYTHON_TOOLS: [&str; 3] = [
    "yamllint==1.38.0",
    "kubernetes-validate==1.37.0",
    "check-jsonschema==0.39.0",
];

fn python_tools() -> PathBuf {
    root().join("target/tools/python")
}

fn tool(name: &str) -> String {
    python_tools().join("bin").join(name).display().to_string()
}

/// The virtual environment with [`PYTHON_TOOLS`], made when missing or holding other versions.
fn ensure_python_tools() -> Result {
    let stamp = python_tools().join("installed.txt");
    let wanted = PYTHON_TOOLS.join("\n");
    if fs::read_to_string(&stamp).is_ok_and(|installed| installed == wanted) {
        return Ok(());
    }
    run(command(
        "python3",
        &[
            "-m",
            "venv",
            "--clear",
            &python_tools().display().to_string(),
        ],
    ))?;
    let mut install = vec!["install", "--quiet", "--disable-pip-version-check"];
    install.extend(PYTHON_TOOLS);
    run(command(&tool("pip"), &install))?;
    fs::write(&stamp, wanted).with_context(|| format!("cannot write {}", stamp.display()))
}

/// Lints and validates the deployment files, and checks the versions they name.
pub fn check() -> Result {
    ensure_python_tools()?;
    let deploy = root().join("deploy");
    let mut lint = command(
        &tool("yamllint"),
        &["--strict", "--config-file", ".yamllint.yaml", "."],
    );
    lint.current_dir(&deploy);
    run(lint)?;
    let manifests: Vec<String> = yaml_files(&deploy.join("kubernetes"))?;
    let mut validate = vec!["--strict", "--quiet"];
    validate.extend(manifests.iter().map(String::as_str));
    run(command(&tool("kubernetes-validate"), &validate))?;
    run(command(
        &tool("check-jsonschema"),
        &[
            "--builtin-schema",
            "vendor.compose-spec",
            &deploy.join("compose/compose.yaml").display().to_string(),
        ],
    ))?;
    versions_agree(env!("CARGO_PKG_VERSION"))
}

fn yaml_files(dir: &std::path::Path) -> Result<Vec<String>> {
    let mut files: Vec<String> = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "yaml")
        })
        .map(|path| path.display().to_string())
        .collect();
    files.sort();
    Ok(files)
}

/// Every image reference in the deployment files names `version`, and CHANGELOG.md has its
/// section.
fn versions_agree(version: &str) -> Result {
    let mut wrong = Vec::new();
    for dir in ["deploy/compose", "deploy/kubernetes"] {
        for file in yaml_files(&root().join(dir))? {
            let text = fs::read_to_string(&file).with_context(|| format!("cannot read {file}"))?;
            wrong.extend(
                image_versions_other_than(&text, version)
                    .into_iter()
                    .map(|found| {
                        format!("{file} names the image bankident-backend:{found}, not {version}")
                    }),
            );
        }
    }
    let changelog =
        fs::read_to_string(root().join("CHANGELOG.md")).context("cannot read CHANGELOG.md")?;
    if !changelog.contains(&format!("## [{version}]")) {
        wrong.push(format!("CHANGELOG.md has no section ## [{version}]"));
    }
    if wrong.is_empty() {
        println!("==> the deployment files and CHANGELOG.md name release {version}");
        Ok(())
    } else {
        Err(anyhow!("{}", wrong.join("\n")))
    }
}

/// The versions of `bankident-backend:<version>` image references in `text` that are not
/// `version`.
fn image_versions_other_than(text: &str, version: &str) -> Vec<String> {
    text.split("bankident-backend:")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                .collect::<String>()
        })
        .filter(|found| !found.is_empty() && found != version)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_of_another_release_are_found() {
        let text = "image: registry.example.com/bankident-backend:0.1.0\n\
                    image: localhost/bankident-backend:0.0.9\nname: bankident-backend\n";
        assert_eq!(image_versions_other_than(text, "0.1.0"), ["0.0.9"]);
        assert!(image_versions_other_than(text, "0.0.9").contains(&"0.1.0".to_string()));
    }
}
