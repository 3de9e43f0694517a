//! The release artefacts as an operator installs them, each walking one onboarding from the
//! partner's call to the signed result: the Debian package installed with `dpkg -i` (its
//! systemd unit's user, settings file and commands) and the OCI image run by buildah as its
//! own user. `cargo xtask test` builds the artefacts, installs the package, then runs these with
//! `--ignored`; outside that step there is nothing installed to test.

mod support;

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::{Value, json};
use support::partner::KEY;
use support::process::{BackendProcess, cookie_set_by, free_port};
use support::{Customer, Emulator, answer_json, answers, fresh_dir};

/// The package's systemd unit.
const UNIT: &str = "/usr/lib/systemd/system/bankident-backend.service";

/// The settings a test gives on top of the artefact's own: its ports, the emulator as Solaris,
/// the consent documents and a partner key.
fn test_settings(emulator: &Emulator, port: u16, management_port: u16) -> Vec<(String, String)> {
    let host = emulator.url.trim_start_matches("http://");
    [
        ("BANKIDENT_LISTEN", format!("127.0.0.1:{port}")),
        ("BANKIDENT_PUBLIC_URL", format!("http://127.0.0.1:{port}")),
        (
            "BANKIDENT_MANAGEMENT_LISTEN",
            format!("127.0.0.1:{management_port}"),
        ),
        ("SOLARIS_API_URL", emulator.url.clone()),
        (
            "SOLARIS_TOKEN_URL",
            format!("{}/oauth2/token", emulator.url),
        ),
        ("SOLARIS_CLIENT_ID", "sandbox-client".into()),
        ("SOLARIS_CLIENT_SECRET", "sandbox-secret".into()),
        ("BANKIDENT_REDIRECT_HOSTS", host.into()),
        (
            "BANKIDENT_TERMS_URL",
            "https://partner.example/terms".into(),
        ),
        (
            "BANKIDENT_PRIVACY_URL",
            "https://partner.example/privacy".into(),
        ),
        (
            "BANKIDENT_SOLARIS_DATA_TERMS_URL",
            "https://partner.example/solaris-data".into(),
        ),
        ("BANKIDENT_PARTNER_API_KEYS", format!("operations:{KEY}")),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_string(), value))
    .collect()
}

/// `NAME=value` lines of a systemd environment file, comments and blanks left out.
fn environment_file(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect()
}

/// The unit's `Key=value` settings of its `[Service]` section.
fn service_settings(unit: &str) -> BTreeMap<String, String> {
    unit.lines()
        .skip_while(|line| line.trim() != "[Service]")
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

/// One onboarding through `backend`: the partner creates it, the customer opens the start link,
/// loads the app, answers and identifies at the emulator; the partner reads the success.
async fn walk_one_onboarding(backend: &BackendProcess, emulator: &Emulator) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let created = answer_json(
        client
            .post(format!("{}/partner/v1/onboardings", backend.url))
            .bearer_auth(KEY)
            .json(&json!({ "customer_reference": "release-check", "language": "en" })),
    )
    .await;
    let link = created["start_link"]["url"]
        .as_str()
        .unwrap_or_else(|| panic!("a start link: {created}"));
    let id = created["onboarding"]["id"].as_str().unwrap();

    let started = client.get(link).send().await.unwrap();
    assert_eq!(started.status(), 303);
    let cookie = cookie_set_by(started.headers());
    let page = client
        .get(format!("{}/", backend.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    // The page names the app's wasm, which the artefact serves from its own copy of dist/.
    let wasm = page
        .split('"')
        .find(|part| part.ends_with("bankident-app_bg.wasm"))
        .unwrap_or_else(|| panic!("the app's page: {page}"));
    let wasm = client
        .get(format!("{}{wasm}", backend.url))
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    let opened = answer_json(
        client
            .post(format!("{}/api/identification", backend.url))
            .header("cookie", &cookie)
            .header("sec-fetch-site", "same-origin")
            .json(&answers()),
    )
    .await;
    let url = opened["url"]
        .as_str()
        .unwrap_or_else(|| panic!("the webview's URL: {opened}"));
    let end = Customer::new()
        .identify(emulator, url, "DE11110101010100000020")
        .await;
    assert!(end.back_to.is_some(), "{}", end.page);

    let onboarding = answer_json(
        client
            .get(format!("{}/partner/v1/onboardings/{id}", backend.url))
            .bearer_auth(KEY),
    )
    .await;
    assert_eq!(onboarding["state"], "final", "{onboarding}");
    assert_eq!(onboarding["category"], "success", "{onboarding}");
}

#[tokio::test]
#[ignore = "needs the Debian package installed: cargo xtask test installs it and runs this"]
async fn the_installed_debian_package_serves_an_onboarding_as_its_own_user() {
    let unit = std::fs::read_to_string(UNIT).expect("the package installed its systemd unit");
    let service = service_settings(&unit);
    let user = &service["User"];
    let settings_file = &service["EnvironmentFile"];
    let settings = environment_file(&std::fs::read_to_string(settings_file).unwrap());
    // The settings file as shipped: the app the package installed, a database in the state
    // directory, JSON logs.
    assert_eq!(
        settings["BANKIDENT_DIST_DIR"],
        "/usr/share/bankident-backend/dist"
    );
    assert!(
        std::path::Path::new(&settings["BANKIDENT_DIST_DIR"])
            .join("index.html")
            .exists()
    );
    let passwd = Command::new("getent")
        .args(["passwd", user])
        .output()
        .unwrap();
    assert!(passwd.status.success(), "the package made the user {user}");
    let passwd = String::from_utf8_lossy(&passwd.stdout);
    assert!(passwd.trim_end().ends_with("/usr/sbin/nologin"), "{passwd}");
    let state = std::fs::metadata(&service["WorkingDirectory"]).expect("the state directory");
    let uid: u32 = passwd.split(':').nth(2).unwrap().parse().unwrap();
    assert_eq!(std::os::unix::fs::MetadataExt::uid(&state), uid);

    let emulator = Emulator::start().await;
    let (port, management_port) = (free_port(), free_port());
    let mut environment = settings.clone();
    environment.extend(test_settings(&emulator, port, management_port));
    let as_the_service = |command_line: &str| {
        let mut command = Command::new("runuser");
        command
            .args(["-u", user, "--"])
            .args(command_line.split_whitespace())
            .current_dir(&service["WorkingDirectory"])
            .env_clear()
            .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
            .envs(&environment);
        command
    };
    // What the unit runs before the start.
    let checked = as_the_service(&service["ExecStartPre"]).output().unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let dir = fresh_dir("installed-package");
    let backend = BackendProcess::spawn_logged(
        as_the_service(&service["ExecStart"]),
        &dir,
        port,
        management_port,
    )
    .await;
    walk_one_onboarding(&backend, &emulator).await;
    let health = as_the_service("/usr/bin/bankident-backend health")
        .output()
        .unwrap();
    assert!(health.status.success());
    drop(backend);
    // The database is the service user's, in its state directory.
    let database = settings["BANKIDENT_DATABASE_URL"]
        .strip_prefix("sqlite://")
        .unwrap()
        .to_string();
    let database = std::fs::metadata(&database).expect("the SQLite database");
    assert_eq!(std::os::unix::fs::MetadataExt::uid(&database), uid);
    let log = std::fs::read_to_string(dir.join("backend.log")).unwrap();
    assert!(
        log.lines().any(|line| line.starts_with('{')),
        "JSON logs, as the settings file sets: {log}"
    );
}

#[tokio::test]
#[ignore = "needs the image in buildah's storage: cargo xtask test builds it and runs this"]
async fn the_container_image_serves_an_onboarding_as_its_non_root_user() {
    let image = std::env::var("BANKIDENT_TEST_IMAGE").expect("the image's name");
    let buildah = |args: &[&str]| {
        let output = Command::new("buildah")
            .args(["--storage-driver", "vfs"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "buildah {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    };
    let inspected: Value =
        serde_json::from_str(&buildah(&["inspect", "--type", "image", &image])).unwrap();
    let config = &inspected["Docker"]["config"];
    assert_eq!(config["User"], "10001:10001", "{config}");
    assert_eq!(
        config["Healthcheck"]["Test"],
        json!(["CMD", "/usr/bin/bankident-backend", "health"])
    );
    let container = buildah(&["from", &image]);

    let emulator = Emulator::start().await;
    let (port, management_port) = (free_port(), free_port());
    let in_the_image = |args: &[&str]| {
        let mut command = Command::new("buildah");
        command.args([
            "--storage-driver",
            "vfs",
            "run",
            "--isolation",
            "chroot",
            "--user",
            config["User"].as_str().unwrap(),
        ]);
        for (name, value) in test_settings(&emulator, port, management_port) {
            command.args(["--env", &format!("{name}={value}")]);
        }
        command.arg(&container).arg("--").args(args);
        command
    };
    let backend = BackendProcess::spawn_logged(
        in_the_image(&["/usr/bin/bankident-backend", "serve"]),
        &fresh_dir("container-image"),
        port,
        management_port,
    )
    .await;
    walk_one_onboarding(&backend, &emulator).await;
    // The image's health check, as a container engine runs it.
    let health = in_the_image(&["/usr/bin/bankident-backend", "health"])
        .output()
        .unwrap();
    assert!(
        health.status.success(),
        "{}",
        String::from_utf8_lossy(&health.stderr)
    );
    drop(backend);
    buildah(&["rm", &container]);
}
