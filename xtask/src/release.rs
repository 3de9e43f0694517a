//! `cargo xtask release`: the release artefacts, from the app's release build (`dist/`) and the
//! backend's production build (`--no-default-features`: no emulator), into `target/artefacts/`:
//!
//! - the static binary (`x86_64-unknown-linux-musl`, with Debian's musl-tools for the C parts:
//!   SQLite and ring);
//! - the Debian package (cargo-deb, `[package.metadata.deb]` of the backend; deploy/debian/);
//! - the OCI image built `FROM scratch` by buildah (deploy/container/Containerfile), kept in
//!   buildah's storage for the tests and saved as a `docker-archive` tar that `docker load` and
//!   `podman load` take.
//!
//! The test command then installs the package, runs both artefacts through one onboarding each
//! (`crates/backend/tests/release_artefacts.rs`) and removes the package again.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};

use crate::shell::{Result, TestCounts, command, output, root, run, run_tests};
use crate::tools::apt_install;

/// The static build's target.
const MUSL_TARGET: &str = "x86_64-unknown-linux-musl";
/// The cargo-deb release that packages the backend.
const CARGO_DEB_VERSION: &str = "3.8.0";
/// buildah's storage driver: `vfs` needs neither overlay mounts nor fuse, so it works inside
/// a container too.
const STORAGE_DRIVER: &str = "vfs";

/// What a release consists of.
pub struct Artefacts {
    /// The Debian package.
    pub package: PathBuf,
    /// The image's name in buildah's storage.
    pub image: String,
}

/// The release's version: the workspace's, which every crate takes (CHANGELOG.md names it).
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// `cargo xtask release`: the app's release build, then the artefacts.
pub fn release() -> Result {
    crate::project::build_app()?;
    let artefacts = build_artefacts()?;
    println!(
        "release {}: {} and the image {} (saved in {})",
        version(),
        artefacts.package.display(),
        artefacts.image,
        image_archive().display()
    );
    Ok(())
}

/// Builds the artefacts from the `dist/` already built.
pub fn build_artefacts() -> Result<Artefacts> {
    if !root().join("dist/index.html").exists() {
        return Err(anyhow!(
            "dist/index.html is missing: the app's release build comes first (trunk build --release)"
        ));
    }
    ensure_release_tools()?;
    let binary = build_static_binary()?;
    let package = build_package()?;
    let image = build_image(&binary)?;
    Ok(Artefacts { package, image })
}

/// The musl target, musl-gcc, buildah and cargo-deb, each only when missing.
fn ensure_release_tools() -> Result {
    let installed =
        output(command("rustup", &["target", "list", "--installed"])).unwrap_or_default();
    if !installed.lines().any(|line| line.trim() == MUSL_TARGET) {
        run(command("rustup", &["target", "add", MUSL_TARGET]))?;
    }
    let mut missing = Vec::new();
    if output(command("musl-gcc", &["--version"])).is_none() {
        missing.push("musl-tools");
    }
    if output(command("buildah", &["--version"])).is_none() {
        missing.push("buildah");
    }
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    let cargo_deb = output(command("cargo", &["deb", "--version"])).unwrap_or_default();
    if !cargo_deb.contains(CARGO_DEB_VERSION) {
        println!("Installing cargo-deb {CARGO_DEB_VERSION}");
        let mut install = command(
            "cargo",
            &[
                "install",
                &format!("cargo-deb@{CARGO_DEB_VERSION}"),
                "--locked",
                "--force",
            ],
        );
        install
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
        run(install)?;
    }
    Ok(())
}

/// The backend's production build, linked statically against musl.
fn build_static_binary() -> Result<PathBuf> {
    run(command(
        "cargo",
        &[
            "build",
            "--release",
            "--locked",
            "--package",
            "bankident-backend",
            "--no-default-features",
            "--target",
            MUSL_TARGET,
        ],
    ))?;
    Ok(root()
        .join("target")
        .join(MUSL_TARGET)
        .join("release/bankident-backend"))
}

fn artefacts_dir() -> PathBuf {
    root().join("target/artefacts")
}

/// The Debian package of the static binary just built.
fn build_package() -> Result<PathBuf> {
    let out = artefacts_dir();
    fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let package = out.join(format!("bankident-backend_{}-1_amd64.deb", version()));
    run(command(
        "cargo",
        &[
            "deb",
            "--package",
            "bankident-backend",
            "--target",
            MUSL_TARGET,
            "--no-build",
            "--output",
            &package.display().to_string(),
        ],
    ))?;
    Ok(package)
}

/// Where the image is saved.
fn image_archive() -> PathBuf {
    artefacts_dir().join(format!("bankident-backend-{}-image.tar", version()))
}

/// A `buildah` command on the project's storage driver.
fn buildah(args: &[&str]) -> std::process::Command {
    let mut all = vec!["--storage-driver", STORAGE_DRIVER];
    all.extend_from_slice(args);
    command("buildah", &all)
}

/// The image, from a context of the binary, `dist/` and an empty `data/`.
fn build_image(binary: &Path) -> Result<String> {
    let context = artefacts_dir().join("image-context");
    if context.exists() {
        fs::remove_dir_all(&context)
            .with_context(|| format!("cannot clear {}", context.display()))?;
    }
    fs::create_dir_all(context.join("data"))
        .with_context(|| format!("cannot create {}", context.display()))?;
    fs::copy(binary, context.join("bankident-backend"))
        .with_context(|| format!("cannot copy {}", binary.display()))?;
    copy_dir(&root().join("dist"), &context.join("dist"))?;
    let image = format!("localhost/bankident-backend:{}", version());
    // The previous build of this release goes, or its layers would pile up in the storage.
    let _ = output(buildah(&["rmi", "--force", &image]));
    let containerfile = root().join("deploy/container/Containerfile");
    run(buildah(&[
        "build",
        // HEALTHCHECK is part of Docker's image format only.
        "--format",
        "docker",
        "--isolation",
        "chroot",
        "--file",
        &containerfile.display().to_string(),
        "--tag",
        &image,
        &context.display().to_string(),
    ]))?;
    let archive = image_archive();
    let _ = fs::remove_file(&archive);
    run(buildah(&[
        "push",
        &image,
        &format!("docker-archive:{}:{image}", archive.display()),
    ]))?;
    fs::remove_dir_all(&context).with_context(|| format!("cannot clear {}", context.display()))?;
    Ok(image)
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    for entry in fs::read_dir(from).with_context(|| format!("cannot read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The test command's step: builds the artefacts, installs the package on this machine (it
/// must be root), runs both through an onboarding, and removes the package again whatever
/// happened.
pub fn check(counts: &mut TestCounts) -> Result {
    if output(command("id", &["-u"])).as_deref() != Some("0") {
        return Err(anyhow!(
            "the release artefacts' test installs a Debian package with dpkg -i: run the test command as root"
        ));
    }
    let artefacts = build_artefacts()?;
    run(command(
        "dpkg",
        &["--install", &artefacts.package.display().to_string()],
    ))?;
    let mut tests = command(
        "cargo",
        &[
            "test",
            "--package",
            "bankident-backend",
            "--test",
            "release_artefacts",
            "--",
            "--ignored",
        ],
    );
    tests.env("BANKIDENT_TEST_IMAGE", &artefacts.image);
    let outcome = run_tests(tests, counts);
    let removed = run(command("dpkg", &["--purge", "bankident-backend"]));
    outcome.and(removed)
}
