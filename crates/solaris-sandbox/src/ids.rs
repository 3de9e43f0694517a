//! Identifiers in Solaris' shape: 32 lowercase hex characters and a type suffix
//! (`…cper` person, `…cidt` identification, `…ises` session, `…cmno` mobile number, `…cdoc`
//! document, `…ex` error).

/// `n` random bytes as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).expect("the operating system provides randomness");
    hex::encode(buffer)
}

/// A new id with Solaris' type suffix.
pub fn new_id(suffix: &str) -> String {
    format!("{}{suffix}", random_hex(16))
}

/// A six-digit SMS code.
pub fn sms_code() -> String {
    let mut buffer = [0u8; 4];
    getrandom::fill(&mut buffer).expect("the operating system provides randomness");
    format!("{:06}", u32::from_le_bytes(buffer) % 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_solaris_shape() {
        let id = new_id("cper");
        assert_eq!(id.len(), 36);
        assert!(
            id[..32]
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert!(id.ends_with("cper"));
        assert_ne!(new_id("cper"), id);
        let code = sms_code();
        assert!(code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()));
    }
}
