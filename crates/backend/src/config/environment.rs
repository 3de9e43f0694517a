//! The environment the configuration is read from: each secret may come from a file instead
//! (`NAME_FILE`, as container platforms mount secrets), every variable read is noted, so that a
//! `BANKIDENT_*` variable nothing reads (a misspelled name) is reported, and what was read can
//! be shown with the secrets masked (`bankident-backend check-config`).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

/// The variables that hold secrets: each may come from the file `NAME_FILE` names, and is
/// never shown.
pub const SECRET_VARIABLES: [&str; 4] = [
    "SOLARIS_CLIENT_SECRET",
    "BANKIDENT_PARTNER_API_KEYS",
    "BANKIDENT_PARTNER_WEBHOOK_SECRET",
    "BANKIDENT_DATABASE_URL",
];

/// The prefix of the backend's own variables.
const OWN_PREFIX: &str = "BANKIDENT_";

/// Environment variables, with the secrets' files read, noting which are asked for.
#[derive(Debug, Default)]
pub struct Environment {
    values: BTreeMap<String, String>,
    read: RefCell<BTreeSet<String>>,
}

impl Environment {
    /// The process's environment, the secrets' files read.
    pub fn from_process() -> Result<Environment, String> {
        Environment::from_pairs(std::env::vars())
    }

    /// These variables, the secrets' files read.
    pub fn from_pairs(
        pairs: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Environment, String> {
        // An empty value counts as unset, as everywhere in the configuration.
        let mut values: BTreeMap<String, String> = pairs
            .into_iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .collect();
        for name in SECRET_VARIABLES {
            let file_variable = format!("{name}_FILE");
            let Some(path) = values.get(&file_variable).cloned() else {
                continue;
            };
            if values.contains_key(name) {
                return Err(format!(
                    "{name} and {file_variable} are both set: set one of them"
                ));
            }
            let text = std::fs::read_to_string(path.trim())
                .map_err(|error| format!("{file_variable}={path:?} cannot be read: {error}"))?;
            values.insert(
                name.to_string(),
                text.trim_end_matches(['\n', '\r']).to_string(),
            );
        }
        Ok(Environment {
            values,
            read: RefCell::default(),
        })
    }

    /// A variable's value, noting that it was asked for (its `_FILE` variant too).
    pub fn get(&self, name: &str) -> Option<String> {
        let mut read = self.read.borrow_mut();
        read.insert(name.to_string());
        read.insert(format!("{name}_FILE"));
        self.values.get(name).cloned()
    }

    /// The `BANKIDENT_*` variables set that nothing asked for: misspelled, or without effect in
    /// this configuration.
    pub fn unread(&self) -> Vec<String> {
        let read = self.read.borrow();
        self.values
            .keys()
            .filter(|name| name.starts_with(OWN_PREFIX) && !read.contains(*name))
            .cloned()
            .collect()
    }

    /// The variables that were asked for and are set, as `check-config` shows them: secrets
    /// masked, the rest as given.
    pub fn shown(&self) -> Vec<(String, String)> {
        let read = self.read.borrow();
        self.values
            .iter()
            .filter(|(name, _)| read.contains(*name))
            .map(|(name, value)| {
                let shown = if SECRET_VARIABLES.contains(&name.as_str()) {
                    masked(name, value)
                } else {
                    value.clone()
                };
                (name.clone(), shown)
            })
            .collect()
    }
}

/// A secret as it may be shown: a database URL without its password, anything else only its
/// length.
fn masked(name: &str, value: &str) -> String {
    if name == "BANKIDENT_DATABASE_URL"
        && let Some((scheme, rest)) = value.split_once("://")
    {
        return match rest.split_once('@') {
            Some((credentials, host)) => {
                let user = credentials.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}:•••@{host}")
            }
            None => value.to_string(),
        };
    }
    format!("••• ({} characters)", value.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(vars: &[(&str, &str)]) -> Vec<(String, String)> {
        vars.iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn a_secret_may_come_from_a_file_but_not_from_both() {
        let dir = std::env::temp_dir().join(format!("bankident-env-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("client-secret");
        std::fs::write(&file, "s3cret\n").unwrap();
        let path = file.display().to_string();
        let environment =
            Environment::from_pairs(pairs(&[("SOLARIS_CLIENT_SECRET_FILE", &path)])).unwrap();
        assert_eq!(
            environment.get("SOLARIS_CLIENT_SECRET").as_deref(),
            Some("s3cret")
        );
        let both = Environment::from_pairs(pairs(&[
            ("SOLARIS_CLIENT_SECRET_FILE", &path),
            ("SOLARIS_CLIENT_SECRET", "other"),
        ]))
        .unwrap_err();
        assert!(both.contains("both set"), "{both}");
        let missing =
            Environment::from_pairs(pairs(&[("BANKIDENT_PARTNER_API_KEYS_FILE", "/nowhere")]))
                .unwrap_err();
        assert!(
            missing.starts_with("BANKIDENT_PARTNER_API_KEYS_FILE"),
            "{missing}"
        );
    }

    #[test]
    fn variables_nothing_read_are_reported_and_secrets_are_never_shown() {
        let environment = Environment::from_pairs(pairs(&[
            ("BANKIDENT_LISTEN", "127.0.0.1:3000"),
            ("BANKIDENT_LISTN", "127.0.0.1:4000"),
            (
                "BANKIDENT_DATABASE_URL",
                "postgres://app:hunter2@db/bankident",
            ),
            ("SOLARIS_CLIENT_SECRET", "s3cret"),
            ("HOME", "/root"),
        ]))
        .unwrap();
        for name in [
            "BANKIDENT_LISTEN",
            "BANKIDENT_DATABASE_URL",
            "SOLARIS_CLIENT_SECRET",
        ] {
            environment.get(name);
        }
        assert_eq!(environment.unread(), ["BANKIDENT_LISTN"]);
        let shown = format!("{:?}", environment.shown());
        assert!(
            !shown.contains("hunter2") && !shown.contains("s3cret"),
            "{shown}"
        );
        assert!(shown.contains("postgres://app:•••@db/bankident"), "{shown}");
        assert!(shown.contains("127.0.0.1:3000"), "{shown}");
    }
}
