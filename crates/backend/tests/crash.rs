//! Crash drills: the backend process is killed (SIGKILL) in the middle of a burst of
//! onboardings, or of erasures, then started again on the same database. Nothing is lost,
//! nothing is made twice, every browser from before the crash gets its onboarding back, and
//! every onboarding is either wholly erased or wholly kept. The test command runs this on
//! SQLite and again on PostgreSQL.

mod support;

use std::collections::HashMap;
use std::time::Duration;

use serde_json::Value;
use support::process::BackendProcess;
use support::{Emulator, answers, database_url, fresh_dir};

/// Onboardings in the burst.
const ONBOARDINGS: usize = 240;
/// Requests in flight at once.
const IN_FLIGHT: usize = 24;
/// How many openings succeed before the kill.
const KILL_AFTER: usize = 80;

/// The backend as its own process on `database`, each Solaris call given a second.
async fn start_backend(
    dir: &std::path::Path,
    database: &str,
    emulator: &Emulator,
) -> BackendProcess {
    BackendProcess::start(
        dir,
        database,
        &emulator.url,
        &[("SOLARIS_TIMEOUT_SECONDS", "1")],
    )
    .await
}

/// One customer's browser.
#[derive(Clone)]
struct Customer {
    address: String,
    cookie: String,
    answers: Value,
}

async fn new_customer(client: &reqwest::Client, base: &str, n: usize) -> Option<Customer> {
    let address = format!("10.9.{}.{}", n / 256, n % 256);
    let shell = client
        .get(format!("{base}/"))
        .header("x-forwarded-for", &address)
        .send()
        .await
        .ok()?;
    let cookie = shell
        .headers()
        .get("set-cookie")?
        .to_str()
        .ok()?
        .split(';')
        .next()?
        .to_string();
    Some(Customer {
        address,
        cookie,
        answers: answers(),
    })
}

/// Opens the customer's identification: the status (none if the connection broke) and body.
async fn open(client: &reqwest::Client, base: &str, customer: &Customer) -> Option<(u16, Value)> {
    let response = client
        .post(format!("{base}/api/identification"))
        .header("x-forwarded-for", &customer.address)
        .header("cookie", &customer.cookie)
        .header("sec-fetch-site", "same-origin")
        .json(&customer.answers)
        .send()
        .await
        .ok()?;
    let status = response.status().as_u16();
    Some((status, response.json().await.unwrap_or(Value::Null)))
}

async fn outcome(client: &reqwest::Client, base: &str, customer: &Customer) -> Value {
    client
        .get(format!("{base}/api/identification/outcome"))
        .header("x-forwarded-for", &customer.address)
        .header("cookie", &customer.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backend_killed_during_a_burst_loses_and_duplicates_nothing() {
    let emulator = Emulator::start().await;
    let dir = fresh_dir("crash");
    let database = database_url(&dir).await;
    let mut backend = start_backend(&dir, &database, &emulator).await;
    // Longer than a crashed request's lease (10 s), which a cut-off customer may wait out.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    let mut customers = Vec::new();
    for n in 0..ONBOARDINGS {
        customers.push(new_customer(&client, &backend.url, n).await.unwrap());
    }
    // The burst: the process is killed once KILL_AFTER openings have succeeded, with the
    // others in flight or waiting.
    let succeeded = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (killed_tx, killed_rx) = tokio::sync::oneshot::channel::<()>();
    let mut burst = tokio::task::JoinSet::new();
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    for customer in customers.clone() {
        let (client, base, succeeded, semaphore) = (
            client.clone(),
            backend.url.clone(),
            succeeded.clone(),
            semaphore.clone(),
        );
        burst.spawn(async move {
            let _permit = semaphore.acquire().await.unwrap();
            let answer = open(&client, &base, &customer).await;
            if matches!(answer, Some((200, _))) {
                succeeded.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
            (customer.cookie.clone(), answer)
        });
    }
    let watcher = {
        let succeeded = succeeded.clone();
        tokio::spawn(async move {
            while succeeded.load(std::sync::atomic::Ordering::SeqCst) < KILL_AFTER {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            let _ = killed_tx.send(());
        })
    };
    killed_rx.await.unwrap();
    backend.kill();
    watcher.await.unwrap();
    let mut before: HashMap<String, Option<(u16, Value)>> = HashMap::new();
    while let Some(done) = burst.join_next().await {
        let (cookie, answer) = done.unwrap();
        before.insert(cookie, answer);
    }
    let opened_before: Vec<&Customer> = customers
        .iter()
        .filter(|customer| matches!(before[&customer.cookie], Some((200, _))))
        .collect();
    let cut_off = customers.len() - opened_before.len();
    assert!(opened_before.len() >= KILL_AFTER);
    assert!(cut_off > 0, "the kill came in the middle of the burst");

    // Started again on the same database.
    let backend = start_backend(&dir, &database, &emulator).await;
    for customer in &opened_before {
        // An identification opened before the crash is still there, with the same session.
        let answer = outcome(&client, &backend.url, customer).await;
        assert_eq!(answer["state"], "unfinished", "{answer}");
        let url_before = before[&customer.cookie].as_ref().unwrap().1["url"].clone();
        let (status, again) = open(&client, &backend.url, customer).await.unwrap();
        assert_eq!((status, &again["url"]), (200, &url_before));
    }
    for customer in customers
        .iter()
        .filter(|customer| !matches!(before[&customer.cookie], Some((200, _))))
    {
        // One cut off mid-way opens now (after a short wait if a person creation may still
        // be landing at Solaris).
        let mut answer = open(&client, &backend.url, customer).await.unwrap();
        for _ in 0..5 {
            if answer.0 != 503 {
                break;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
            answer = open(&client, &backend.url, customer).await.unwrap();
        }
        assert_eq!(answer.0, 200, "{}", answer.1);
        assert_eq!(
            outcome(&client, &backend.url, customer).await["state"],
            "unfinished"
        );
    }
    // Exactly one person per customer at Solaris.
    let mut persons: HashMap<String, usize> = HashMap::new();
    for person in emulator.persons().await {
        *persons
            .entry(person["first_name"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    for customer in &customers {
        let name = customer.answers["first_name"].as_str().unwrap();
        assert_eq!(persons.get(name), Some(&1), "{name}: one person");
    }
    println!(
        "killed with {} openings done and {cut_off} cut off or waiting; all {} onboardings complete after the restart",
        opened_before.len(),
        customers.len()
    );
}

/// The partner API key of the erasure drill.
const PARTNER_KEY: &str = "crash-drill-partner-key-0123456789abcdef";
/// Onboardings erased in the erasure drill, and how many erasures succeed before the kill.
const ERASED: usize = 48;
const KILL_AFTER_ERASURES: usize = 12;

/// A partner's customer with an open identification session, through the start link: the
/// onboarding's id and the customer.
async fn partner_customer(client: &reqwest::Client, base: &str, n: usize) -> (String, Customer) {
    let created: Value = client
        .post(format!("{base}/partner/v1/onboardings"))
        .bearer_auth(PARTNER_KEY)
        .json(&serde_json::json!({ "customer_reference": format!("crash-{n}") }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let address = format!("10.8.{}.{}", n / 256, n % 256);
    let opened = client
        .get(created["start_link"]["url"].as_str().unwrap())
        .header("x-forwarded-for", &address)
        .send()
        .await
        .unwrap();
    let cookie = support::process::cookie_set_by(opened.headers());
    let customer = Customer {
        address,
        cookie,
        answers: answers(),
    };
    let (status, body) = open(client, base, &customer).await.unwrap();
    assert_eq!(status, 200, "{body}");
    (
        created["onboarding"]["id"].as_str().unwrap().to_string(),
        customer,
    )
}

/// The partner API's answer about an onboarding: status and body.
async fn partner_get(client: &reqwest::Client, base: &str, path: &str) -> (u16, Value) {
    let response = client
        .get(format!("{base}{path}"))
        .bearer_auth(PARTNER_KEY)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backend_killed_during_erasures_leaves_each_onboarding_wholly_erased_or_wholly_kept() {
    let emulator = Emulator::start().await;
    let dir = fresh_dir("crash-erasure");
    let database = database_url(&dir).await;
    let partner = [
        ("BANKIDENT_DEMO_MODE", "false"),
        ("BANKIDENT_PARTNER_API_KEYS", PARTNER_KEY),
    ];
    let mut backend = BackendProcess::start(&dir, &database, &emulator.url, &partner).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut onboardings = Vec::new();
    for n in 0..ERASED {
        onboardings.push(partner_customer(&client, &backend.url, n).await);
    }

    // Every onboarding is erased at once; the process is killed once some erasures succeeded.
    let erased = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut burst = tokio::task::JoinSet::new();
    for (id, _) in onboardings.clone() {
        let (client, base, erased) = (client.clone(), backend.url.clone(), erased.clone());
        burst.spawn(async move {
            let answer = client
                .delete(format!("{base}/partner/v1/onboardings/{id}"))
                .bearer_auth(PARTNER_KEY)
                .send()
                .await;
            if answer.is_ok_and(|answer| answer.status() == 200) {
                erased.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        });
    }
    while erased.load(std::sync::atomic::Ordering::SeqCst) < KILL_AFTER_ERASURES {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    backend.kill();
    while burst.join_next().await.is_some() {}

    let backend = BackendProcess::start(&dir, &database, &emulator.url, &partner).await;
    let (status, page) = partner_get(&client, &backend.url, "/partner/v1/events?limit=100").await;
    assert_eq!(status, 200, "{page}");
    let events = page["events"].as_array().unwrap();
    let (mut wholly_erased, mut wholly_kept) = (0, 0);
    for (id, customer) in &onboardings {
        let types: Vec<&str> = events
            .iter()
            .filter(|event| event["data"]["onboarding_id"] == id.as_str())
            .map(|event| event["type"].as_str().unwrap())
            .collect();
        let (status, shown) = partner_get(
            &client,
            &backend.url,
            &format!("/partner/v1/onboardings/{id}"),
        )
        .await;
        let page = client
            .get(format!("{}/", backend.url))
            .header("cookie", &customer.cookie)
            .header("x-forwarded-for", &customer.address)
            .send()
            .await
            .unwrap();
        let location = page
            .headers()
            .get("location")
            .map(|location| location.to_str().unwrap().to_string());
        match status {
            410 => {
                assert_eq!(types, ["onboarding.erased"], "{id}");
                assert_eq!(location.as_deref(), Some("/link?problem=erased"), "{id}");
                wholly_erased += 1;
            }
            200 => {
                assert_eq!(types, ["onboarding.session_opened"], "{id}");
                assert!(shown["person_id"].is_string(), "{shown}");
                assert_eq!(
                    outcome(&client, &backend.url, customer).await["state"],
                    "unfinished"
                );
                // Asked again, it is erased now.
                let again = client
                    .delete(format!("{}/partner/v1/onboardings/{id}", backend.url))
                    .bearer_auth(PARTNER_KEY)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(again.status(), 200);
                wholly_kept += 1;
            }
            other => panic!("{id}: {other} {shown}"),
        }
    }
    assert!(wholly_erased >= KILL_AFTER_ERASURES);
    println!(
        "killed during {ERASED} erasures: {wholly_erased} wholly erased, {wholly_kept} wholly kept (and erased after the restart)"
    );
}
