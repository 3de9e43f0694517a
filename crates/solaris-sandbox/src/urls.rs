//! URL rules: Solaris wants https; the emulator also takes plain http to this machine.

/// Whether `url` is https, or http to a loopback host (`localhost`, `127.x.x.x`, `[::1]`).
pub fn is_https_or_loopback_http(url: &str) -> bool {
    if let Some(rest) = url.strip_prefix("https://") {
        return !host(rest).is_empty();
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = host(rest);
    host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The host of the part of a URL after `scheme://`, without port, path or credentials.
fn host(after_scheme: &str) -> &str {
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if authority.starts_with('[') {
        return authority.split_inclusive(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        for url in [
            "https://www.callbackurl.com",
            "https://partner.example/cb?x=1",
            "http://localhost:3000/callback",
            "http://127.0.0.1/cb",
            "http://127.8.9.1:80",
            "http://[::1]:8080/x",
        ] {
            assert!(is_https_or_loopback_http(url), "{url}");
        }
        for url in [
            "http://www.callbackurl.com",
            "http://localhost.evil.com/",
            "http://127.0.0.1.evil.com/",
            "http://user@evil.com",
            "ftp://localhost",
            "https://",
            "javascript:alert(1)",
            "",
        ] {
            assert!(!is_https_or_loopback_http(url), "{url}");
        }
    }
}
